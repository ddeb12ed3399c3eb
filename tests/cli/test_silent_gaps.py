"""No silent gaps: what the gate cannot vouch for is never reported as a pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli

CFG = """
[environments.production]
sources = [{ type = "dotenv", path = "p.env", name = "env" }]
[environments.staging]
sources = [{ type = "dotenv", path = "s.env", name = "env" }]
"""


def project(tmp_path: Path, policy: str | None = None) -> str:
    (tmp_path / "p.env").write_text("A=1\nDB_PASSWORD=shared-secret-value-123\n")
    (tmp_path / "s.env").write_text("A=1\nDB_PASSWORD=shared-secret-value-123\n")
    cfg = CFG
    if policy is not None:
        (tmp_path / "policy.yaml").write_text(policy)
        cfg = 'policy = "policy.yaml"\n' + cfg
    (tmp_path / "parity.toml").write_text(cfg)
    return str(tmp_path / "parity.toml")


def test_configured_environment_without_snapshot_is_incomplete(tmp_path: Path) -> None:
    cfg = project(tmp_path)
    snaps = tmp_path / "snaps"
    assert cli("snapshot", "production", "-c", cfg, "-o", str(snaps / "production.json")).code == 0
    r = cli("check", "-c", cfg, "--snapshots", str(snaps), "-f", "json")
    assert r.code == 3
    report = json.loads(r.out)
    assert not report["complete"] and "no snapshot of staging" in report["errors"][0]["message"]
    narrowed = cli("check", "-c", cfg, "--snapshots", str(snaps), "--env", "production")
    assert narrowed.code == 0


def test_snapshots_under_different_keys_are_a_usage_error_naming_the_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not "INCOMPLETE: 0 sources could not be read" (exit 3, retrying changes nothing): the
    snapshots cannot be compared for shared secrets until one key made them all."""
    cfg = project(tmp_path)
    snaps = tmp_path / "snaps"
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY", "first-key-0123456789abcdef")
    cli("snapshot", "production", "-c", cfg, "-o", str(snaps / "production.json"))
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY", "second-key-0123456789abcdef")
    cli("snapshot", "staging", "-c", cfg, "-o", str(snaps / "staging.json"))
    ids = {
        env: json.loads((snaps / f"{env}.json").read_text())["records"]
        for env in ("production", "staging")
    }
    key_of = {
        env: next(r["fingerprint"].split(":")[1] for r in recs if r.get("fingerprint"))
        for env, recs in ids.items()
    }
    assert key_of["production"] != key_of["staging"]
    r = cli("check", "-c", cfg, "--snapshots", str(snaps), "-f", "json")
    assert r.code == 2 and r.out == ""
    assert "secret fingerprints were made with different keys" in r.err
    assert f"production with key {key_of['production']}" in r.err
    assert f"staging with key {key_of['staging']}" in r.err
    assert "PARITY_FINGERPRINT_KEY" in r.err
    diff = cli("diff", str(snaps / "production.json"), str(snaps / "staging.json"))
    assert diff.code == 2 and key_of["staging"] in diff.err


def test_same_key_sees_the_shared_secret(tmp_path: Path) -> None:
    r = cli("check", "-c", project(tmp_path), "-f", "json")
    assert "secret-shared" in {f["rule"] for f in json.loads(r.out)["findings"]}


@pytest.mark.parametrize(
    ("waiver", "expect"),
    [
        ("rule: key-typoo", "did you mean 'key-typo'"),
        ("rule: missing-key\n    environment: stagng", "did you mean 'staging'"),
    ],
)
def test_waivers_naming_unknown_rules_or_environments(
    tmp_path: Path, waiver: str, expect: str
) -> None:
    policy = f"waivers:\n  - {waiver}\n    reason: because\n    expires: 2099-01-01\n"
    r = cli("check", "-c", project(tmp_path, policy))
    assert r.code == 2 and expect in r.err


def test_stale_and_permanent_waivers(tmp_path: Path) -> None:
    policy = (
        "waivers:\n"
        "  - {rule: missing-key, subject: 'config:env:GONE', reason: old key, expires: never}\n"
        "  - {rule: secret-shared, environment: staging, reason: demo data, expires: never}\n"
    )
    report = json.loads(cli("check", "-c", project(tmp_path, policy), "-f", "json").out)
    stale = [f for f in report["findings"] if f["rule"] == "stale-waiver"]
    assert len(stale) == 1 and "GONE" in stale[0]["subject"]
    shared = [f for f in report["findings"] if f["rule"] == "secret-shared"]
    assert shared and all(f["waived"] and f["waiver"]["expires"] == "never" for f in shared)


def test_unknown_collector_type_suggests_the_right_one(tmp_path: Path) -> None:
    (tmp_path / "parity.toml").write_text(
        '[environments.production]\nsources = [{ type = "dotenvv", path = "p.env" }]\n'
    )
    r = cli("check", "-c", str(tmp_path / "parity.toml"))
    assert r.code == 2 and "did you mean 'dotenv'" in r.err


def test_no_configuration_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli("check")
    assert r.code == 2 and "parity.toml" in r.err and "pyproject.toml" in r.err
