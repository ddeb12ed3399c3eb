"""Golden reports over sample_envs: the documented walkthrough must not drift silently.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_golden.py`
and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from parity import __version__
from parity.policies.rules import RULES

from conftest import SAMPLE, cli

GOLDEN = Path(__file__).parent / "golden"
# Every registered rule but those the sample cannot show (no failure, no empty filter, one key).
ALL_RULES_BUT_FAILED = set(RULES) - {
    "collector-failed",
    "nothing-matched",
    "declared-vs-running",  # needs a live engine
}


def normalized(fmt: str) -> str:
    r = cli("check", "--config", str(SAMPLE / "parity.toml"), "--format", fmt)
    assert r.code == 1, r.err
    text = r.out.replace(__version__, "<version>")
    if fmt == "json":
        data = json.loads(text)
        data["generated_at"] = "<generated_at>"
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    return re.sub(r"hmac-sha256:[0-9a-f]{8}:[0-9a-f]{32}", "<fingerprint>", text)


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("json", "sample_report.json"),
        ("markdown", "sample_report.md"),
        ("table", "sample_report.txt"),
    ],
)
def test_sample_report_matches_golden(fmt: str, name: str) -> None:
    path = GOLDEN / name
    got = normalized(fmt)
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"golden file {path} is missing: run with UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8")


def test_sample_shows_every_rule_and_no_env_name_only_drift() -> None:
    report = json.loads(normalized("json"))
    rules = {f["rule"] for f in report["findings"]}
    assert rules == ALL_RULES_BUT_FAILED
    subjects = {(f["environment"], f["subject"]) for f in report["findings"]}
    for key in (
        "REDIS_URL",
        "S3_BUCKET",
        "HEALTHCHECK_URL",
        "APP_ENV",
        "database.host",
        "cache.url",
    ):
        for env in ("staging", "canary"):
            scope = "app-config" if "." in key else "app-env"
            assert (env, f"config:{scope}:{key}") not in subjects, key


def test_table_fits_80_columns() -> None:
    assert max(len(line) for line in normalized("table").splitlines()) <= 80
