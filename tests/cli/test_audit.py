"""`parity audit`, `history`, `prune`, `baseline` and `diff ENV@…` end to end."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import cli

STAGING_ENV = "WORKERS=4\nLOG_LEVEL=info\n"


def project(tree: Any, staging: str = STAGING_ENV) -> Path:
    root = tree(
        {
            "parity.toml": """
            reference = "production"
            policy = "policy.yaml"
            [environments.production]
            sources = [{ type = "dotenv", path = "production.env", name = "app" }]
            [environments.staging]
            sources = [{ type = "dotenv", path = "staging.env", name = "app" }]
            """,
            "production.env": "WORKERS=4\nLOG_LEVEL=info\nCACHE_TTL=60\n",
            "staging.env": staging,
            # these tests are about audits, not severities: every missing key gates
            "policy.yaml": "rules:\n  missing-key: {severity: error}\n",
        }
    )
    return root


def audit(root: Path, *args: str) -> Any:
    r = cli("audit", "-c", str(root / "parity.toml"), "-f", "json", *args)
    return r, (json.loads(r.out) if r.out.startswith("{") else None)


def test_audits_mark_new_persisting_and_resolved(tree: Any) -> None:
    root = project(tree)
    r, first = audit(root)
    assert r.code == 1  # missing-key CACHE_TTL is an error
    assert first["audit"]["previous_at"] is None
    assert {f["status"] for f in first["findings"]} == {"new"}
    assert (root / ".parity" / "audits").is_dir()

    (root / "staging.env").write_text("WORKERS=4\nLOG_LEVEL=info\nCACHE_TTL=90\n")
    r, second = audit(root)
    statuses = {(f["rule"], f["subject"]): f["status"] for f in second["findings"]}
    assert statuses == {("value-drift", "config:app:CACHE_TTL"): "new"}
    assert [f["subject"] for f in second["audit"]["resolved"]] == ["config:app:CACHE_TTL"]
    r, third = audit(root, "--fail-on-new", "--fail-on", "info")
    assert third["audit"]["new"] == 0 and third["audit"]["persisting"] == 1
    assert r.code == 0  # nothing new, though an info finding persists
    r, _ = audit(root, "--fail-on", "info")
    assert r.code == 1


def test_an_unreadable_environment_resolves_nothing(tree: Any) -> None:
    root = project(tree)
    audit(root)
    (root / "staging.env").unlink()
    r, report = audit(root)
    assert r.code == 3
    assert report["audit"]["resolved"] == []


def test_history_and_diff_against_the_past(tree: Any) -> None:
    root = project(tree)
    audit(root)
    (root / "production.env").write_text("WORKERS=8\nLOG_LEVEL=info\nCACHE_TTL=60\n")
    audit(root)
    cfg = str(root / "parity.toml")
    listing = cli("history", "production", "-c", cfg)
    assert listing.code == 0 and "production@latest~1" in listing.out
    rows = json.loads(cli("history", "production", "-c", cfg, "-f", "json").out)
    assert len(rows) == 2 and all(r["complete"] for r in rows)
    r = cli("diff", "production@latest~1", "production@latest", "-c", cfg, "-f", "json")
    assert r.code == 0, r.err  # a value drift is info
    (f,) = json.loads(r.out)["findings"]
    assert (f["rule"], f["subject"]) == ("value-drift", "config:app:WORKERS")
    assert f["expected"] == "4" and f["actual"] == "8"
    live = cli("diff", "production@latest~1", "production", "-c", cfg, "-f", "json")
    assert live.code == 0 and json.loads(live.out)["findings"][0]["actual"] == "8"


def test_prune_keeps_the_latest(tree: Any) -> None:
    root = project(tree)
    for n in range(3):  # identical snapshots of the same second are stored once: vary them
        (root / "staging.env").write_text(f"WORKERS={n}\nLOG_LEVEL=info\n")
        audit(root)
    cfg = str(root / "parity.toml")
    assert "pruned 4" in cli("prune", "-c", cfg, "--keep", "1").out  # 2 per environment
    assert len(json.loads(cli("history", "staging", "-c", cfg, "-f", "json").out)) == 1
    assert cli("prune", "-c", cfg).code == 2


def test_baseline_waives_todays_findings_only(tree: Any) -> None:
    root = project(tree)
    cfg = str(root / "parity.toml")
    base = root / "parity-baseline.yaml"
    r = cli("baseline", "-c", cfg, "-o", str(base))
    assert r.code == 0 and base.is_file()
    text = base.read_text()
    assert "version: 1" in text and "TODO" in text and "expires:" in text
    assert cli("check", "-c", cfg, "--baseline", str(base)).code == 0
    (root / "staging.env").write_text("WORKERS=4\n")  # a new missing key
    r = cli("check", "-c", cfg, "--baseline", str(base), "-f", "json")
    report = json.loads(r.out)
    assert r.code == 1
    active = [
        f["subject"] for f in report["findings"] if not f["waived"] and f["rule"] != "stale-waiver"
    ]
    assert active == ["config:app:LOG_LEVEL"]
    bad = root / "bad.yaml"
    bad.write_text("version: 9\nwaivers: []\n")
    assert cli("check", "-c", cfg, "--baseline", str(bad)).code == 2


def test_baseline_subjects_match_literally(tmp_path: Path) -> None:
    from parity.app.baseline import load_baseline

    path = tmp_path / "b.yaml"
    path.write_text(
        "version: 1\nwaivers:\n- {id: x, rule: missing-key, environment: staging,\n"
        "   subject: 'config:app:apps[name=web].image', reason: accepted, expires: 2099-01-01}\n"
    )
    (w,) = load_baseline(path)
    assert w.matches("missing-key", "staging", "config:app:apps[name=web].image")
    assert not w.matches("missing-key", "staging", "config:app:appsn.image")


class Hook(http.server.BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[tuple[str, type[Hook]]]:
    handler = type("H", (Hook,), {"bodies": [], "status": 200})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/T000/B000/secret-token", handler
    server.shutdown()


def test_webhook_only_when_something_is_new(tree: Any, hook: tuple[str, type[Hook]]) -> None:
    url, handler = hook
    root = project(tree)
    audit(root, "--notify", url, "--notify-format", "slack")
    assert len(handler.bodies) == 1 and "1 new finding" in handler.bodies[0]["text"]
    audit(root, "--notify", url)
    assert len(handler.bodies) == 1  # nothing new: no message
    (root / "staging.env").write_text("WORKERS=5\nLOG_LEVEL=info\n")
    audit(root, "--notify", url)
    (body,) = handler.bodies[1:]
    assert body["event"] == "parity.app.audit" and [f["subject"] for f in body["new"]] == [
        "config:app:WORKERS"
    ]


def test_webhook_failure_is_reported_and_the_report_kept(
    tree: Any, hook: tuple[str, type[Hook]]
) -> None:
    url, handler = hook
    handler.status = 503
    root = project(tree)
    r, report = audit(root, "--notify", url)
    assert len(handler.bodies) == 3  # bounded retries
    assert "failed after 3 attempt(s): HTTP 503" in r.err and "secret-token" not in r.err
    assert report is not None and len(list((root / ".parity" / "audits").iterdir())) == 1


def test_sharded_collection_then_one_evaluator_on_s3(
    tree: Any, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("PARITY_S3_ENDPOINT_URL", moto_endpoint)
    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(
        Bucket="shards", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    root = project(tree)
    cfg, store = str(root / "parity.toml"), "s3://shards/shop"
    # two collection shards at once, as a CI matrix or one CronJob per environment would run
    shards = [
        subprocess.Popen(
            [sys.executable, "-m", "parity", "audit", "-c", cfg, "--store", store, "-e", env],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for env in ("staging", "production")
    ]
    for p in shards:
        _, err = p.communicate(timeout=120)
        assert p.returncode in (0, 1), err
    r = cli("audit", "-c", cfg, "--store", store, "--from-store", "-f", "json")
    report = json.loads(r.out)
    assert report["complete"] and r.code == 1
    assert {f["subject"] for f in report["findings"]} == {"config:app:CACHE_TTL"}


CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: app}}\ndata: {{L: {value}}}\n"


def test_init_scaffolds_a_config_that_check_runs(tree: Any) -> None:
    root = tree(
        {
            ".env.production": "A=1\nB=2\n",
            ".env.staging": "A=1\n",
            ".env.example": "A=\n",
            "staging/api-prod.yml": "x: 1\n",  # names two environments: left out
            "staging/empty.yml": "",  # a placeholder: left out
            "config/default.json": '{"x": 1}',
            "config/production.json": '{"y": 1}',
            "config/staging.json": '{"y": 2}',
            "chart/values.yaml": "image: web:1\n",
            "chart/values-prod.yaml": "replicas: 3\n",
            "chart/values-staging.yaml": "replicas: 1\n",
            "k8s/overlays/staging/cm.yaml": CM.format(value="d"),
            "k8s/overlays/production/cm.yaml": CM.format(value="i"),
        }
    )
    r = cli("init", str(root))
    assert r.code == 0, r.err
    text = (root / "parity.toml").read_text()
    assert 'reference = "production"' in text and ".env.example" not in text
    assert "api-prod" not in text and "empty.yml" not in text
    assert '["config/default.json", "config/staging.json"]' in text  # layered like node-config
    report = json.loads(cli("check", "-c", str(root / "parity.toml"), "-f", "json").out)
    assert report["complete"]
    assert {f["subject"] for f in report["findings"]} == {
        "config:app-env:B",
        "config:config:y",
        "capacity:chart-values",
        "config:k8s/ConfigMap/app:L",
    }
    assert cli("init", str(root)).code == 2  # never overwrites without --force
