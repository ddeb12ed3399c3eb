"""AWS collectors against moto running as a real HTTP server (two seeded accounts)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_env import CANARY, PROD, REGION, STAGING, free_port, parity_toml

from parity.collectors import COLLECTORS
from parity.collectors.aws import AWS_COLLECTORS
from parity.collectors.aws.base import AwsSession, is_read_only
from parity.collectors.aws.config import AwsConfig
from parity.collectors.interface import CollectContext
from parity.settings import load_settings

from conftest import cli

pytestmark = pytest.mark.usefixtures("aws_creds")

EXPECTED = {
    ("key-typo", "staging", "config:aws-ssm:MAIL_FORM", "error"),
    ("missing-key", "staging", "config:aws-ssm:CACHE_TTL", "warning"),
    ("secret-missing", "staging", "secret-ref:aws-secrets:stripe-key", "error"),
    ("image-drift", "staging", "image:aws-ecs/shop-staging/web:web", "warning"),
    ("image-drift", "staging", "image:aws-ecs/shop-staging/worker:worker", "error"),
    ("image-drift", "staging", "image:aws-ecr/shop/worker:1.4.2", "error"),
    ("image-drift", "staging", "image:aws-ecr/shop/web:1.4.2", "warning"),
    ("version-mismatch", "staging", "dependency:aws-lambda-runtime:shop-staging-api", "warning"),
    ("version-mismatch", "staging", "dependency:aws-rds-postgres:shop-staging-db", "warning"),
    (
        "data-volume-ratio",
        "staging",
        "data-volume:aws-dynamodb:shop-staging-orders:items",
        "warning",
    ),
}


def project(tree: Any, endpoint: str, **kw: Any) -> str:
    return str(tree({"parity.toml": parity_toml(endpoint, **kw)}) / "parity.toml")


def test_end_to_end_exact_findings(moto_endpoint: str, tree: Any) -> None:
    r = cli("check", "-c", project(tree, moto_endpoint), "-f", "json")
    assert r.code == 1, r.err
    report = json.loads(r.out)
    assert report["complete"] and report["errors"] == []
    got = {(f["rule"], f["environment"], f["subject"], f["severity"]) for f in report["findings"]}
    assert got == EXPECTED
    msgs = {f["subject"]: f["message"] for f in report["findings"]}
    assert "did you mean MAIL_FROM" in msgs["config:aws-ssm:MAIL_FORM"]
    assert (
        "python3.11 in staging, python3.12"
        in msgs["dependency:aws-lambda-runtime:shop-staging-api"]
    )
    assert "1.0% of production" in msgs["data-volume:aws-dynamodb:shop-staging-orders:items"]


def collector(type_name: str, endpoint: str, account: str, **options: Any) -> Any:
    cls = COLLECTORS[type_name]
    cfg = AwsConfig(
        endpoint_url=endpoint,
        regions=[REGION],
        max_attempts=2,
        role_arn=f"arn:aws:iam::{account}:role/parity",
    )
    return cls(
        cls.Options(**options), CollectContext("production", Path("."), connections={"aws": cfg})
    )


OPTIONS: dict[str, dict[str, Any]] = {
    "aws-ssm": {"paths": ["/shop/prod/"], "fingerprint_secure": True},
    "aws-secrets": {"prefix": "shop/prod/", "fingerprint": True},
    "aws-lambda": {"prefix": "shop-"},
    "aws-s3": {},
}


@pytest.mark.parametrize("cls", AWS_COLLECTORS, ids=lambda c: c.type_name)
def test_recorded_calls_are_declared_and_read_only(cls: Any, moto_endpoint: str) -> None:
    c = collector(cls.type_name, moto_endpoint, PROD, **OPTIONS.get(cls.type_name, {}))
    result = c.run()
    assert result.records, f"{cls.type_name} collected nothing"
    declared = c.declared_operations(c.options)
    assert all(is_read_only(op) for ops in declared.values() for op in ops)
    recorded = {(s, o) for s, o in c.recorder.calls}
    assert recorded, "no call recorded"
    assert recorded <= {(s, o) for s, ops in declared.items() for o in ops}


def test_missing_resource_types_are_not_errors(moto_endpoint: str) -> None:
    empty = "333333333333"
    for t in ("aws-ecs", "aws-rds", "aws-dynamodb", "aws-ecr", "aws-lambda"):
        assert collector(t, moto_endpoint, empty).run().records == []


def test_iam_policy_from_declarations(moto_endpoint: str, tree: Any) -> None:
    r = cli("iam-policy", "--env", "production", "-c", project(tree, moto_endpoint))
    assert r.code == 0, r.err
    policy = json.loads(r.out)
    assert policy["Version"] == "2012-10-17"
    (stmt,) = policy["Statement"]
    assert stmt["Effect"] == "Allow" and stmt["Resource"] == "*"
    actions = stmt["Action"]
    assert all(re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9]+", a) for a in actions)
    assert {
        "ssm:GetParametersByPath",
        "kms:Decrypt",
        "s3:ListAllMyBuckets",
        "s3:ListBucket",
        "ecs:DescribeTaskDefinition",
        "ecr:DescribeImages",
        "secretsmanager:GetSecretValue",
    } <= set(actions)
    assert not any(
        a.split(":")[1].startswith(("Put", "Create", "Delete", "Update")) for a in actions
    )
    no_fp = cli("iam-policy", "-c", project(tree, moto_endpoint, fingerprint=False))
    assert "kms:Decrypt" not in json.loads(no_fp.out)["Statement"][0]["Action"]


def inject(monkeypatch: pytest.MonkeyPatch, event: str, handler: Any) -> None:
    """Register a fault on every client parity creates (after its own call recorder)."""
    original = AwsSession.client

    def client(self: AwsSession, service: str, region: str, recorder: Any) -> Any:
        c = original(self, service, region, recorder)
        c.meta.events.register(event, handler)
        return c

    monkeypatch.setattr(AwsSession, "client", client)


def test_access_denied_is_collector_failed_with_hint(
    moto_endpoint: str, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    def deny(model: Any, **_: Any) -> None:
        if model.name == "DescribeTaskDefinition":
            raise ClientError(
                {"Error": {"Code": "AccessDeniedException", "Message": "no"}}, model.name
            )

    inject(monkeypatch, "before-call", deny)
    r = cli("check", "-c", project(tree, moto_endpoint), "-f", "json")
    assert r.code == 3
    errors = json.loads(r.out)["errors"]
    assert {e["environment"] for e in errors} == {"production", "staging"}
    e = errors[0]
    assert e["collector"] == "aws-ecs"
    assert "DescribeTaskDefinition failed with AccessDeniedException" in e["message"]
    assert "ecs:DescribeTaskDefinition" in e["hint"] and "iam-policy --env" in e["hint"]


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


def test_throttling_that_outlives_retries(
    moto_endpoint: str, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.awsrequest import AWSResponse

    attempts: list[str] = []

    def throttle(request: Any, **_: Any) -> Any:
        if "GetParametersByPath" in request.headers.get("X-Amz-Target", b"").decode():
            attempts.append("x")
            body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"})
            return AWSResponse(
                request.url,
                400,
                {"Content-Type": "application/x-amz-json-1.1"},
                _Raw(body.encode()),
            )
        return None

    inject(monkeypatch, "before-send", throttle)
    r = cli(
        "check",
        "-c",
        project(tree, moto_endpoint, max_attempts=2),
        "--env",
        "production",
        "-f",
        "json",
    )
    assert r.code == 3
    (e,) = json.loads(r.out)["errors"]
    assert "GetParametersByPath failed with ThrottlingException" in e["message"]
    assert "throttled beyond 2 adaptive retries" in e["message"]
    assert len(attempts) == 3  # the first attempt and both retries were made before giving up


def test_missing_credentials(
    moto_endpoint: str, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    r = cli("check", "-c", project(tree, moto_endpoint), "-f", "json")
    assert r.code == 3
    messages = {e["message"] for e in json.loads(r.out)["errors"]}
    assert messages == {
        "no AWS credentials found for environment production",
        "no AWS credentials found for environment staging",
    }


def test_endpoint_down(tree: Any) -> None:
    r = cli("check", "-c", project(tree, f"http://127.0.0.1:{free_port()}"), "-f", "json")
    assert r.code == 3
    errors = json.loads(r.out)["errors"]
    assert len(errors) == 16  # every source of both environments, none silently empty
    assert all(e["message"].startswith("cannot reach http://127.0.0.1:") for e in errors)
    assert all("endpoint_url" in e["hint"] for e in errors)


def test_one_account_down_masks_its_sources(moto_endpoint: str, tree: Any) -> None:
    """Staging's endpoint is down: its 8 sources fail, and production's parameters, secrets,
    services and tables are not reported as missing in staging (nor anything else)."""
    down = f"http://127.0.0.1:{free_port()}"
    text = parity_toml(moto_endpoint)
    head, _, tail = text.partition("[environments.staging.aws]")
    text = head + "[environments.staging.aws]" + tail.replace(moto_endpoint, down, 1)
    r = cli("check", "-c", str(tree({"parity.toml": text}) / "parity.toml"), "-f", "json")
    assert r.code == 3, r.err
    report = json.loads(r.out)
    assert {(f["rule"], f["environment"]) for f in report["findings"]} == {
        ("collector-failed", "staging")
    }
    assert len(report["findings"]) == 8


def test_missing_parameter_path_is_an_error(moto_endpoint: str) -> None:
    from parity.errors import CollectorError

    with pytest.raises(CollectorError, match="no SSM parameters under /shop/nope/"):
        collector("aws-ssm", moto_endpoint, PROD, paths=["/shop/nope/"]).run()


def test_fetched_canary_secret_appears_in_no_output(
    moto_endpoint: str, tree: Any, tmp_path: Path
) -> None:
    cfg = project(tree, moto_endpoint)
    outputs = []
    for fmt in ("table", "json", "markdown"):
        r = cli("check", "-c", cfg, "-f", fmt)
        outputs += [r.out, r.err]
    snap = tmp_path / "prod.json"
    r = cli("snapshot", "production", "-c", cfg, "-o", str(snap))
    assert r.code == 0, r.err
    text = snap.read_text()
    outputs += [text, r.err]
    assert CANARY not in "\n".join(outputs)
    records = [
        json.loads(line.rstrip(","))
        for line in text.splitlines()
        if line.strip().startswith('{"') and "kind" in line
    ]
    fingerprinted = {
        r["name"] for r in records if r["kind"] == "secret-ref" and r.get("fingerprint")
    }
    assert {"DB_PASSWORD", "db-credentials"} <= fingerprinted


def test_aws_settings_from_environment(tree: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = project(tree, "http://127.0.0.1:1")
    monkeypatch.setenv("PARITY_ENVIRONMENTS__STAGING__AWS__ENDPOINT_URL", "http://127.0.0.1:2")
    monkeypatch.setenv("PARITY_ENVIRONMENTS__STAGING__AWS__MAX_WORKERS", "3")
    s = load_settings(cfg)
    staging = AwsConfig.model_validate(s.environments["staging"].connections["aws"])
    assert (staging.endpoint_url, staging.max_workers) == ("http://127.0.0.1:2", 3)
    assert staging.role_arn == f"arn:aws:iam::{STAGING}:role/parity-audit"
    prod = AwsConfig.model_validate(s.environments["production"].connections["aws"])
    assert prod.endpoint_url == "http://127.0.0.1:1"
