"""Pure AWS transforms on canned API responses (no SDK, no server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parity.collectors.aws import dynamodb, ecs, lambda_, rds, s3, ssm
from parity.collectors.aws.base import iam_action, strip_arn
from parity.collectors.interface import CollectContext
from parity.model import ConfigEntry, DataVolume, Dependency, Image, SecretRef

from conftest import DATA

CTX = CollectContext("production", Path("."))


def canned(name: str) -> Any:
    return json.loads((DATA / "aws" / name).read_text())


def by_key(records: list[Any], cls: type) -> dict[tuple[str, str], Any]:
    return {(r[0], r[1]): r for r in records if isinstance(r, cls)}


def test_ssm_transform_relative_keys_and_secure_strings() -> None:
    params = canned("ssm_get_parameters_by_path.json")["Parameters"]
    recs = ssm.transform(params, "/shop/prod/", "aws-ssm", "eu-west-1", CTX)
    cfg = by_key(recs, ConfigEntry)
    assert cfg[("aws-ssm", "LOG_LEVEL")].value == "INFO"
    assert cfg[("aws-ssm", "HOSTS")].value == "a,b"
    token = cfg[("aws-ssm", "API_TOKEN")]
    assert token.value is None and token.fingerprint  # a secret in a String param
    secure = cfg[("aws-ssm", "db/PASSWORD")]
    assert str(secure.value_ref) == "aws-ssm:db/PASSWORD" and secure.fingerprint is None
    ref = by_key(recs, SecretRef)[("aws-ssm", "db/PASSWORD")]
    assert ref.version == "7" and ref.fingerprint is None  # ciphertext is never fingerprinted
    assert "ciphertext" not in repr(recs) and "ghp_" not in repr(recs)
    decrypted = ssm.transform(params, "/shop/prod/", "aws-ssm", "eu-west-1", CTX, decrypted=True)
    assert by_key(decrypted, SecretRef)[("aws-ssm", "db/PASSWORD")].fingerprint


def test_ecs_transform() -> None:
    data = canned("ecs_service_and_task_definition.json")
    digest = "sha256:" + "d" * 64
    repo = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/shop/web"
    recs = ecs.transform(
        [("shop-prod", data["service"], data["taskDefinition"])],
        {(repo, "1.4.2"): digest},
        lambda c, s: f"aws-ecs/{c}/{s}",
        CTX,
    )
    img = by_key(recs, Image)[("aws-ecs/shop-prod/web", "web")]
    assert (img.tag, img.digest) == ("1.4.2", digest)
    cfg = by_key(recs, ConfigEntry)
    w = "aws-ecs/shop-prod/web"
    assert cfg[(w, "desiredCount")].value == "3" and cfg[(w, "launchType")].value == "FARGATE"
    assert cfg[(w, "task.memory")].value == "2048"
    assert cfg[(f"{w}/web", "APP_ENV")].env_var
    assert cfg[(f"{w}/web", "DB_PASSWORD")].value_ref == (
        "aws-ssm",
        "parameter/shop/prod/DB_PASSWORD",
    )
    assert cfg[(f"{w}/web", "command")].value == "/entry.sh gunicorn app:app"
    assert cfg[(f"{w}/web", "logDriver")].value == "awslogs"
    refs = by_key(recs, SecretRef)
    assert refs[(f"{w}/web", "parameter/shop/prod/DB_PASSWORD")].backend == "aws-ssm"
    assert refs[(f"{w}/web", "secret:shop/prod/stripe-AbCdEf")].backend == "aws-secretsmanager"


def test_lambda_transform() -> None:
    fns = canned("lambda_functions.json")["Functions"]
    details = [
        {"reserved_concurrency": 50},
        {"reserved_concurrency": None, "image_uri": "acme/img:2.0", "resolved_digest": "sha256:ee"},
    ]
    recs = lambda_.transform(fns, details, lambda n: f"aws-lambda/{n}", CTX)
    deps = by_key(recs, Dependency)
    assert deps[("aws-lambda-runtime", "shop-prod-api")].version == "python3.12"
    cfg = by_key(recs, ConfigEntry)
    api = "aws-lambda/shop-prod-api"
    assert cfg[(api, "layers.shared-utils")].value == "14"
    assert cfg[(api, "architectures")].value == "arm64"
    assert cfg[(api, "reserved_concurrency")].value == "50"
    assert cfg[("aws-lambda/shop-prod-img", "reserved_concurrency")].value == "unreserved"
    assert cfg[(f"{api}/env", "SIGNING_SECRET")].value is None
    assert "must-not-leak" not in repr(recs)
    img = by_key(recs, Image)[("aws-lambda/shop-prod-img", "function")]
    assert (img.tag, img.digest) == ("2.0", "sha256:ee")


def test_rds_transform() -> None:
    data = canned("rds_instances.json")
    recs = rds.transform(
        data["DBInstances"], [], data["Parameters"], lambda k, i: f"aws-rds/{k}/{i}", CTX
    )
    assert by_key(recs, Dependency)[("aws-rds-postgres", "shop-prod-db")].version == "15.5"
    cfg = by_key(recs, ConfigEntry)
    inst = "aws-rds/instance/shop-prod-db"
    assert cfg[(inst, "multi_az")].value == "true"
    assert cfg[(inst, "parameter_group")].value == "shop-pg15"
    assert cfg[(f"{inst}/parameters", "max_connections")].value == "500"


def test_volume_transforms() -> None:
    table = canned("dynamodb_describe_table.json")["Table"]
    recs = dynamodb.dynamo_transform([table], "aws-dynamodb")
    assert [(r.key, r.value, r.exact) for r in recs] == [
        ("shop-prod-orders:items", 120000.0, False),
        ("shop-prod-orders:bytes", 52428800.0, False),
    ]
    buckets = s3.s3_transform([("b", 10, 1000, True, "s3:b")], "aws-s3")
    assert all(isinstance(r, DataVolume) and r.exact for r in buckets)


def test_arn_and_iam_helpers() -> None:
    assert strip_arn("arn:aws:ssm:eu-west-1:111:parameter/a/b") == "parameter/a/b"
    assert strip_arn("/a/b") == "/a/b"
    assert iam_action("s3", "ListObjectsV2") == "s3:ListBucket"
    assert iam_action("ecs", "DescribeServices") == "ecs:DescribeServices"


def test_missing_boto3_is_an_actionable_collector_error(monkeypatch) -> None:
    import sys

    import pytest

    from parity.collectors.aws.ssm import SsmCollector, SsmOptions
    from parity.errors import CollectorError

    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 -> ImportError
    c = SsmCollector(SsmOptions(paths=["/a/"]), CTX)
    with pytest.raises(CollectorError, match="needs boto3") as e:
        c.run()
    assert e.value.hint == "pip install 'parity[aws]'"
