"""compose and k8s collectors: images, env, references; secret values never stored."""

from __future__ import annotations

import pytest

from parity.collectors.compose import ComposeCollector, ComposeOptions
from parity.collectors.interface import CollectContext
from parity.collectors.k8s import K8sCollector, K8sOptions
from parity.errors import ParseError
from parity.model import ConfigEntry, Image, SecretRef

from conftest import DATA


def by_kind(records: list, kind: type) -> dict[tuple[str, str], object]:
    return {(r.group[1], r.key): r for r in records if isinstance(r, kind)}


def test_compose_services() -> None:
    ctx = CollectContext("prod", DATA / "compose")
    recs = ComposeCollector(ComposeOptions(path="docker-compose.yml"), ctx).run().records
    images = by_kind(recs, Image)
    web = images[("compose/web", "web")]
    assert (web.repository, web.tag, web.digest) == (
        "registry.local:5000/acme/web",
        "2.1",
        "sha256:abc123",
    )
    job = images[("compose/job", "job")]
    assert (job.repository, job.tag) == ("busybox", None)
    cfg = by_kind(recs, ConfigEntry)
    assert cfg[("compose/web", "LEVEL")].value == "2"  # environment overrides env_file
    assert cfg[("compose/web", "FROM_FILE")].source == "web.env:2"
    assert cfg[("compose/web", "EMPTY")].value == "<unresolved=EMPTY>"  # taken from the shell
    assert cfg[("compose/job", "MODE")].value == "batch"
    assert cfg[("compose/web", "ports")].structured == ["8080:80", "9090:90/tcp"]
    assert cfg[("compose/web", "command")].value == "gunicorn app:app --workers 2"
    assert cfg[("compose/web", "configs")].structured == ["nginx_conf"]
    secrets = by_kind(recs, SecretRef)
    assert secrets[("compose/web", "api_token")].fingerprint is None
    assert secrets[("compose/web", "db_pw")].fingerprint.startswith("hmac-sha256:")
    assert "compose-secret-value" not in repr(recs)


def test_k8s_objects() -> None:
    ctx = CollectContext("prod", DATA / "k8s")
    recs = K8sCollector(K8sOptions(path="manifests.yaml"), ctx).run().records
    images = by_kind(recs, Image)
    assert set(images) == {
        ("k8s/CronJob/nightly", "job"),
        ("k8s/Deployment/api", "migrate"),
        ("k8s/Deployment/api", "api"),
    }
    cfg = by_kind(recs, ConfigEntry)
    api = "k8s/Deployment/api/api"
    # ConfigMap values live at their source; consumers reference them (one finding per cause)
    assert (
        cfg[(api, "MODE")].value_ref == ("k8s-configmap", "cfg/MODE") and cfg[(api, "MODE")].env_var
    )
    assert cfg[(api, "COLOR")].value_ref == ("k8s-configmap", "cfg/COLOR")
    assert cfg[(api, "API_KEY")].value_ref == ("k8s-secret", "stripe/key")
    assert cfg[(api, "DB_password")].value_ref == ("k8s-secret", "creds/password")
    assert cfg[(api, "POD_IP")].value == "fieldRef:status.podIP"
    assert cfg[(api, "resources")].structured == {"limits": {"memory": "1Gi"}}
    assert cfg[("k8s/Deployment/api", "replicas")].value == "3"
    assert cfg[("k8s/CronJob/nightly/job", "command")].value == "python -m job"
    assert cfg[("k8s/ConfigMap/cfg", "COLOR")].value == "blue"
    refs = by_kind(recs, SecretRef)
    assert refs[(api, "stripe/key")].env_var == "API_KEY"
    assert refs[(api, "creds")].backend == "k8s-secret"
    stored = refs[("k8s/Secret", "creds/password")]
    assert stored.fingerprint and stored.fingerprint.startswith("hmac-sha256:")
    assert "hunter2" not in repr(recs) and "plain-string-data-token" not in repr(recs)


def test_k8s_malformed_yaml() -> None:
    ctx = CollectContext("prod", DATA / "k8s")
    with pytest.raises(ParseError) as e:
        K8sCollector(K8sOptions(path="bad.yaml"), ctx).run()
    assert e.value.path == "bad.yaml" and e.value.line == 2


def test_compose_malformed_yaml() -> None:
    ctx = CollectContext("prod", DATA / "compose")
    with pytest.raises(ParseError) as e:
        ComposeCollector(ComposeOptions(path="bad-compose.yml"), ctx).run()
    assert e.value.path == "bad-compose.yml" and e.value.line == 4
