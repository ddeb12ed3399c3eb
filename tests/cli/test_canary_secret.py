"""A canary secret placed in every kind of source must appear in no output of any kind."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from parity.app.collect import collect_environment
from parity.settings import load_settings

from conftest import cli

CANARY = "Zq7CANARYx9Vw3Lr8Tn2Yk5"
OTHER = "Hb4OTHERsecretM2pQ9sX1"


def files(secret: str, env: str) -> dict[str, str]:
    b64 = base64.b64encode(secret.encode()).decode()
    return {
        f"{env}/.env": f"DB_PASSWORD={secret}\nDATABASE_URL=postgres://app:{secret}@db.{env}/app\n"
        f"OPAQUE={secret}\n",
        f"{env}/config.yaml": f"database:\n  password: {secret}\n",
        f"{env}/compose.yml": "services:\n  web:\n    image: a/web:1\n    secrets: [pw]\n"
        "secrets:\n  pw: {file: ./pw.txt}\n",
        f"{env}/pw.txt": secret,
        f"{env}/k8s.yaml": (
            f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\ndata: {{key: {b64}}}\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n"
            "    spec:\n      containers:\n        - name: web\n          image: a/web:1\n"
            f"          env:\n            - {{name: API_TOKEN, value: {secret}}}\n"
        ),
    }


CONFIG = """
reference = "production"
[environments.production]
sources = [
  { type = "dotenv", path = "production/.env" },
  { type = "config-file", path = "production/config.yaml" },
  { type = "compose", path = "production/compose.yml" },
  { type = "k8s", path = "production/k8s.yaml" },
]
[environments.staging]
sources = [
  { type = "dotenv", path = "staging/.env" },
  { type = "config-file", path = "staging/config.yaml" },
  { type = "compose", path = "staging/compose.yml" },
  { type = "k8s", path = "staging/k8s.yaml" },
  { type = "dotenv", path = "staging/broken.env", name = "broken" },
]
"""


@pytest.fixture
def project(tree) -> Path:
    broken = {"staging/broken.env": f'TOKEN="{CANARY}\n'}  # unterminated: error path
    return (
        tree(
            {
                "parity.toml": CONFIG,
                **files(CANARY, "production"),
                **files(OTHER, "staging"),
                **broken,
            }
        )
        / "parity.toml"
    )


def test_canary_in_no_output(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    outputs: list[str] = []
    for fmt in ("table", "json", "markdown"):
        r = cli("check", "-c", str(project), "-f", fmt)
        assert r.code == 3
        outputs += [r.out, r.err]
    report = json.loads(cli("check", "-c", str(project), "-f", "json").out)
    assert "collector-failed" in {f["rule"] for f in report["findings"]}
    for env in ("production", "staging"):
        snap_path = tmp_path / f"{env}.json"
        r = cli("snapshot", env, "-c", str(project), "-o", str(snap_path))
        outputs += [snap_path.read_text(), r.out, r.err]
    progress: list[str] = []
    snapshot = collect_environment(load_settings(str(project)), "staging", progress=progress.append)
    outputs += [*progress, repr(snapshot), *(str(e) for e in snapshot.errors)]
    captured = capsys.readouterr()
    outputs += [captured.out, captured.err]
    blob = "\n".join(outputs)
    assert CANARY not in blob and OTHER not in blob
    assert "hmac-sha256:" in blob  # fingerprints are there instead


def test_shared_canary_is_detected_without_revealing_it(tree) -> None:
    root = tree(
        {
            "parity.toml": CONFIG.replace(
                ',\n  { type = "dotenv", path = "staging/broken.env", name = "broken" },', ","
            ),
            **files(CANARY, "production"),
            **files(CANARY, "staging"),
        }
    )
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json")
    assert r.code == 1
    report = json.loads(r.out)
    shared = {f["subject"] for f in report["findings"] if f["rule"] == "secret-shared"}
    assert {
        "config:dotenv:DB_PASSWORD",
        "config:dotenv:DATABASE_URL",
        "secret-ref:compose/web:pw",
        "secret-ref:k8s/Secret:s/key",
    } <= shared
    assert CANARY not in r.out
