"""CLI: every exit code, formats, snapshots, diff, report re-rendering, rules, schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import SAMPLE, cli

SAME = {
    "parity.toml": """
        [environments.production]
        sources = [{ type = "dotenv", path = "p.env" }]
        [environments.staging]
        sources = [{ type = "dotenv", path = "s.env" }]
    """,
    "p.env": "A=1\nHOST=db.prod.internal\n",
    "s.env": "A=1\nHOST=db.staging.internal\n",
}


def project(tree, **changes: str) -> str:
    root = tree({**SAME, **{k.replace("_", "."): v for k, v in changes.items()}})
    return str(root / "parity.toml")


def test_exit_0_when_clean(tree) -> None:
    r = cli("check", "-c", project(tree))
    assert r.code == 0, r.err
    assert "0 findings" in r.out


def test_exit_1_on_findings_and_fail_on(tree) -> None:
    cfg = project(tree, s_env="A=2\nHOST=db.staging.internal\n")  # value drift: info
    assert cli("check", "-c", cfg).code == 0
    assert cli("check", "-c", cfg, "--fail-on", "info").code == 1
    cfg = project(tree, s_env="A=1\nHOST=db.prod.internal\n")  # production's host: error
    assert cli("check", "-c", cfg).code == 1
    assert cli("check", "-c", cfg, "--fail-on", "never").code == 0


def test_internal_error_exits_4_with_one_line(tree, monkeypatch) -> None:
    import parity.app.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(parity.app.pipeline, "build_report", broken)
    r = cli("check", "-c", project(tree))
    assert r.code == 4
    assert "internal error (RuntimeError)" in r.err and "--debug" in r.err
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1


def test_unknown_connection_table_is_a_config_error(tree) -> None:
    root = tree({"parity.toml": "[environments.production.dockr]\nhost = 'x'\n"})
    r = cli("check", "-c", str(root / "parity.toml"))
    assert r.code == 2 and "environments.production.dockr: unknown key" in r.err


def test_unknown_format_is_a_usage_error(tree) -> None:
    bad = cli("check", "-c", project(tree), "-f", "yaml")
    assert bad.code == 2 and "'yaml' is not one of" in bad.err and "--format" in bad.err
    assert cli("rules", "-f", "yaml").code == 2


def test_exit_2_on_config_errors(tree) -> None:
    root = tree({"parity.toml": "[environments.production]\nsources = [{ type = 'nope' }]\n"})
    r = cli("check", "-c", str(root / "parity.toml"))
    assert r.code == 2
    assert "unknown collector type 'nope'" in r.err and "Traceback" not in r.err
    assert cli("check", "-c", str(root / "missing.toml")).code == 2
    assert cli("check", "-c", project(tree), "--env", "qa").code == 2
    assert cli("check", "-c", project(tree), "--fail-on", "bogus").code == 2


def test_exit_3_when_a_source_fails_and_allow_incomplete(tree) -> None:
    cfg = project(tree)
    Path(cfg).with_name("s.env").unlink()
    r = cli("check", "-c", cfg, "-f", "json")
    assert r.code == 3
    report = json.loads(r.out)
    assert report["complete"] is False
    failed = [f for f in report["findings"] if f["rule"] == "collector-failed"]
    assert failed and "s.env does not exist" in failed[0]["message"]
    assert report["errors"][0]["environment"] == "staging"
    assert cli("check", "-c", cfg, "--allow-incomplete").code == 1
    assert cli("check", "-c", cfg, "--allow-incomplete", "--fail-on", "never").code == 0


def test_malformed_source_is_exit_3_with_file_and_line(tree) -> None:
    cfg = project(tree, s_env='A=1\nB="unterminated\n')
    r = cli("check", "-c", cfg)
    assert r.code == 3
    assert "s.env:2: unterminated" in r.out


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_formats_and_atomic_output(tree, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    r = cli("check", "-c", project(tree), "-f", fmt, "-o", str(out))
    assert r.code == 0 and r.out == ""
    assert out.read_text().strip()
    assert "wrote" in r.err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_creates_missing_parent_dirs(tree, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "r.txt"
    r = cli("check", "-c", project(tree), "-o", str(out))
    assert r.code == 0 and out.is_file()


def test_unwritable_output_is_exit_2_without_partial_file(tree, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = cli("check", "-c", project(tree), "-o", str(blocker / "r.txt"))
    assert r.code == 2 and "cannot write" in r.err
    assert blocker.read_text() == "x"


def test_snapshot_then_check_from_snapshots_and_diff(tree, tmp_path: Path) -> None:
    cfg = project(tree, s_env="A=2\nHOST=db.staging.internal\n")
    snaps = tmp_path / "snaps"
    snaps.mkdir()
    for env in ("production", "staging"):
        r = cli("snapshot", env, "-c", cfg, "-o", str(snaps / f"{env}.json"))
        assert r.code == 0, r.err
    live = json.loads(cli("check", "-c", cfg, "-f", "json").out)
    saved = json.loads(cli("check", "-c", cfg, "--snapshots", str(snaps), "-f", "json").out)
    assert [f["id"] for f in saved["findings"]] == [f["id"] for f in live["findings"]]
    d = cli("diff", str(snaps / "production.json"), str(snaps / "staging.json"), "-f", "json")
    assert d.code == 0
    assert [f["rule"] for f in json.loads(d.out)["findings"]] == ["value-drift"]


def test_newer_snapshot_schema_is_a_clear_error(tree, tmp_path: Path) -> None:
    cfg = project(tree)
    path = tmp_path / "p.json"
    assert cli("snapshot", "production", "-c", cfg, "-o", str(path)).code == 0
    data = json.loads(path.read_text())
    data["schema_version"] = 99
    path.write_text(json.dumps(data))
    r = cli("diff", str(path), str(path))
    assert r.code == 2 and "newer than this parity understands" in r.err


def test_report_rerender_and_schema(tree, tmp_path: Path) -> None:
    cfg = project(tree, s_env="A=1\nHOST=db.prod.internal\n")
    saved = tmp_path / "r.json"
    assert cli("check", "-c", cfg, "-f", "json", "-o", str(saved)).code == 1
    md = cli("report", str(saved), "-f", "markdown")
    assert md.code == 0 and "| 🔴 error | `cross-env-reference`" in md.out
    schema = json.loads(cli("schema").out)
    jsonschema.validate(json.loads(saved.read_text()), schema)


def test_rules_lists_every_rule() -> None:
    from parity.policies.rules import RULES

    r = cli("rules", "-f", "json")
    ids = {x["id"] for x in json.loads(r.out)}
    assert ids == set(RULES)


def test_file_only_gate_imports_no_heavy_library(tree) -> None:
    import subprocess
    import sys

    cfg = project(tree)
    code = (
        "import sys\nfrom parity.cli import run\n"
        f"run(['check', '-c', {cfg!r}])\n"
        "heavy = {'boto3', 'botocore', 'docker', 'deepdiff', 'psycopg', 'pymysql'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ("rules:\n  missing-kee: {severity: info}\n", "rules.missing-kee: unknown rule id"),
        ("contracts:\n  - keys: [A]\n    rule: must-equals\n", "contracts[0].rule"),
        ("waivers:\n  - rule: value-drift\n    expires: 2030-01-01\n", "waivers[0].reason"),
        ("colour: red\n", "colour: unknown key"),
        ("rules: [\n", "policy.yaml:2: invalid YAML"),
    ],
)
def test_bad_policy_is_exit_2_naming_file_and_key(tree, policy: str, message: str) -> None:
    cfg = project(
        tree, parity_toml='policy = "policy.yaml"\n' + SAME["parity.toml"], policy_yaml=policy
    )
    r = cli("check", "-c", cfg)
    assert r.code == 2
    assert message in r.err and "policy.yaml" in r.err


def test_repeated_outputs_each_take_the_format_of_their_extension(tmp_path: Path) -> None:
    import stat

    outs = [tmp_path / n for n in ("r.json", "r.sarif", "r.md", "r.xml", "r.prom")]
    args = [a for o in outs for a in ("-o", str(o))]
    r = cli("check", "-c", str(SAMPLE / "parity.toml"), *args)
    assert r.code == 1 and r.out == ""
    assert json.loads(outs[0].read_text())["schema_version"] == 1
    assert json.loads(outs[1].read_text())["version"] == "2.1.0"
    assert outs[2].read_text().startswith("#") and outs[3].read_text().startswith("<?xml")
    assert "parity_audit_success" in outs[4].read_text()
    assert all(o.stat().st_mode & stat.S_IROTH for o in outs)  # readable by node_exporter
    bad = cli("check", "-c", str(SAMPLE / "parity.toml"), "-o", str(tmp_path / "x.weird"), *args)
    assert bad.code == 2 and "x.weird" in bad.err
    assert not (tmp_path / "x.weird").exists()


def test_format_goes_to_stdout_beside_several_files(tmp_path: Path) -> None:
    outs = [tmp_path / "r.sarif", tmp_path / "r.md"]
    args = [a for o in outs for a in ("-o", str(o))]
    r = cli("check", "-c", str(SAMPLE / "parity.toml"), *args, "-f", "github")
    assert r.out.startswith("::") and all(o.is_file() for o in outs)
