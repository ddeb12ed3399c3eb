"""What a new user trying parity ran into: each rough edge, as the user meets it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLE, cli

CFG = str(SAMPLE / "parity.toml")
PROJECT = """
reference = "production"
[environments.production]
sources = [{ type = "dotenv", path = "production.env", name = "app" }]
[environments.staging]
sources = [{ type = "dotenv", path = "staging.env", name = "app" }]
"""


def _project(tree: Any, staging: str = "WORKERS=4\nLOG_LEVEL=info\n") -> Path:
    root: Path = tree(
        {
            "parity.toml": PROJECT,
            "production.env": "WORKERS=4\nLOG_LEVEL=info\nCACHE_TTL=60\nREGION=eu\n",
            "staging.env": staging,
        }
    )
    return root


def _two_audits(tree: Any, fmt: str) -> str:
    """A first audit, then one where CACHE_TTL is set (resolved) and REGION differs (new)."""
    root = _project(tree, "WORKERS=4\nLOG_LEVEL=info\n")
    cfg = str(root / "parity.toml")
    cli("audit", "-c", cfg, "-f", "json")
    (root / "staging.env").write_text("WORKERS=4\nLOG_LEVEL=info\nCACHE_TTL=60\nREGION=us\n")
    return cli("audit", "-c", cfg, "-f", fmt).out


# audits in every human format -------------------------------------------------------------


def test_audit_table_marks_new_and_lists_what_resolved(tree: Any) -> None:
    out = _two_audits(tree, "table")
    assert "[new] REGION" in out
    assert "Resolved since the previous audit:" in out
    assert re.search(r"✓ staging: missing-key: .*CACHE_TTL", out)
    assert re.search(r"Since the previous audit \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): 1 new", out)


def test_audit_markdown_marks_new_and_lists_what_resolved(tree: Any) -> None:
    out = _two_audits(tree, "markdown")
    assert "**new** · REGION" in out
    assert "## Resolved since the previous audit" in out and "`missing-key`" in out


def test_audit_json_resolved_items_carry_no_status(tree: Any) -> None:
    report = json.loads(_two_audits(tree, "json"))
    gone = report["audit"]["resolved"]  # the missing CACHE_TTL and REGION
    assert sorted(f["subject"] for f in gone) == ["config:app:CACHE_TTL", "config:app:REGION"]
    assert all(f["status"] is None for f in gone)
    assert {f["status"] for f in report["findings"]} == {"new"}


def test_audit_html_lists_resolved_and_charts_times(tree: Any) -> None:
    out = _two_audits(tree, "html")
    assert "<h2>Resolved since the previous audit</h2>" in out
    assert 'class="point"' in out  # a marker on each audit
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', out)
    assert ticks and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in ticks)


def test_html_colours_are_stable_per_environment() -> None:
    from parity.reports.html import colour

    assert colour("staging") == colour("staging")
    assert colour("production") != colour("staging")


def test_html_where_column_breaks_only_after_separators() -> None:
    out = cli("check", "-c", CFG, "-f", "html").out
    cell = re.search(r'<td class="where"><code>(staging/<wbr>docker-compose[^<]*)', out)
    assert cell and "docker-compose.yml" in cell.group(1)  # never split inside a name


# the table --------------------------------------------------------------------------------


def test_table_never_breaks_inside_a_path() -> None:
    out = cli("check", "-c", CFG).out
    assert "docker-\n" not in out and "at staging/docker-compose.yml#services.web.command" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_summary_counts_in_severity_order_and_says_what_is_hidden() -> None:
    out = cli("check", "-c", CFG, "--min-severity", "error").out
    summary = next(line for line in out.splitlines() if " findings (" in line)
    assert re.fullmatch(
        r"\d+ findings \(\d+ errors, \d+ warnings, \d+ info\), 1 waived \(\*\); "
        r"\d+ hidden by --min-severity error",
        summary,
    )
    assert "hidden" not in cli("check", "-c", CFG).out


def test_quiet_with_output_files_still_prints_the_verdict(tmp_path: Path) -> None:
    r = cli("check", "-c", CFG, "-q", "-o", str(tmp_path / "r.json"))
    assert r.code == 1 and r.out.startswith("FAIL: ") and r.out.count("\n") == 1
    assert json.loads((tmp_path / "r.json").read_text())["findings"]


def test_formats_by_alias_and_unknown_extensions(tmp_path: Path) -> None:
    assert cli("check", "-c", CFG, "-f", "md").out.startswith("# parity report")
    bad = cli("check", "-c", CFG, "-o", str(tmp_path / "r.yaml"))
    assert bad.code == 2 and "cannot tell the format" in bad.err
    assert "markdown (.md .markdown)" in bad.err and not (tmp_path / "r.yaml").exists()
    assert "table, json, markdown" in cli("check", "-h").out


@pytest.mark.parametrize(
    "command",
    ["", "check", "snapshot", "diff", "report", "rules", "iam-policy", "schema", "init",
     "completion", "audit", "history", "prune", "baseline"],
)  # fmt: skip
def test_help_fits_80_columns_when_piped(command: str) -> None:
    argv = [sys.executable, "-m", "parity", *([command] if command else []), "-h"]
    done = subprocess.run(argv, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and "Usage: parity" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 80


# diff without configuration ---------------------------------------------------------------


def test_diff_of_plain_files_names_environments_after_the_files(tree: Any) -> None:
    root = tree({"a/config.yaml": "x: 1\ny: 2\n", "b/config.yaml": "x: 1\n"})
    r = cli("diff", str(root / "a/config.yaml"), str(root / "b/config.yaml"), "-f", "json")
    report = json.loads(r.out)
    assert report["environments"] == ["a", "b"] and report["reference"] == "a"
    assert r.err == ""  # no production_like warning: the first file is the reference


def test_diff_matrix_shows_keys_by_environment(tree: Any) -> None:
    root = tree(
        {
            ".env.production": "A=1\nB=2\nSECRET_KEY=s3cr3t-canary-value\n",
            ".env.staging": "A=1\nB=3\nSECRET_KEY=other-canary-value\n",
            ".env.qa": "A=1\n",
        }
    )
    files = [str(root / f".env.{e}") for e in ("production", "staging", "qa")]
    r = cli("diff", *files, "--matrix", "--fail-on", "warning")
    lines = r.out.splitlines()
    assert lines[0].split() == ["key", "production", "staging", "qa"]
    assert any(line.split() == ["B", "(file)", "2", "3", "—"] for line in lines)
    assert "1 key(s) equal in every environment not shown" in r.out
    assert "canary" not in r.out and "<secret>" in r.out
    assert r.code == 1  # the gate still judges the findings


def test_diff_of_three_configured_environments(tree: Any) -> None:
    root = tree(
        {
            "parity.toml": PROJECT
            + '[environments.qa]\nsources = [{ type = "dotenv", path = "qa.env", name = "app" }]\n',
            "production.env": "A=1\n",
            "staging.env": "A=2\n",
            "qa.env": "A=3\n",
        }
    )
    r = cli("diff", "staging", "production", "qa", "-c", str(root / "parity.toml"), "-f", "json")
    report = json.loads(r.out)
    assert report["reference"] == "staging" and report["environments"] == [
        "staging",
        "production",
        "qa",
    ]


# init and the errors that point to it ---------------------------------------------------


def test_init_recognises_lock_files_source_trees_and_sqlite(tree: Any) -> None:
    import sqlite3

    root = tree(
        {
            "production/package-lock.json": '{"lockfileVersion": 3, "packages": {}}',
            "production/requirements-prod.txt": "flask==3.0.0\n",
            "staging/poetry.lock": '[[package]]\nname = "flask"\nversion = "3.0.0"\n',
            "staging/uv.lock": "version = 1\n",
            "src/app.py": "import os\nos.getenv('A')\n",
        }
    )
    sqlite3.connect(root / "production" / "app.db").execute("create table t (a int)").close()
    r = cli("init", str(root))
    assert r.code == 0, r.err
    text = (root / "parity.toml").read_text()
    for line in (
        '{ type = "node-deps", path = "production/package-lock.json"',
        '{ type = "python-deps", path = "production/requirements-prod.txt"',
        '{ type = "python-deps", path = "staging/poetry.lock"',
        '{ type = "python-deps", path = "staging/uv.lock"',
        '{ type = "sql", dsn = "sqlite:///production/app.db"',
        '{ type = "source-code", path = "src" }',
    ):
        assert line in text, line


def test_init_on_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    r = cli("init", str(tmp_path / "nope"))
    assert r.code == 2 and "is not a directory" in r.err


def test_errors_that_point_to_init(tree: Any) -> None:
    none = tree({"pyproject.toml": "[project]\nname = 'x'\n"})
    missing = cli("check", "-c", str(none / "parity.toml"))
    assert missing.code == 2 and "parity init" in missing.err
    empty = tree({"parity.toml": "[environments.production]\n[environments.staging]\n"})
    r = cli("check", "-c", str(empty / "parity.toml"))
    assert r.code == 2 and "no environment has a source" in r.err and "parity init" in r.err


# history and prune ------------------------------------------------------------------------


def test_history_and_prune_on_an_unknown_environment_suggest_the_closest(tree: Any) -> None:
    root = _project(tree)
    cfg = str(root / "parity.toml")
    cli("audit", "-c", cfg)
    for argv in (("history", "stagng"), ("prune", "--keep", "1", "--env", "stagng")):
        r = cli(*argv, "-c", cfg)
        assert r.code == 2 and "did you mean 'staging'?" in r.err


def test_prune_dry_run_deletes_nothing(tree: Any) -> None:
    root = _project(tree)
    cfg = str(root / "parity.toml")
    for n in range(2):
        (root / "staging.env").write_text(f"WORKERS={n}\n")
        cli("audit", "-c", cfg)
    dry = cli("prune", "-c", cfg, "--keep", "1", "--dry-run")
    assert dry.code == 0 and "2 snapshot(s) would be pruned" in dry.out
    assert dry.out.count("would delete ") == 2
    assert len(json.loads(cli("history", "staging", "-c", cfg, "-f", "json").out)) == 2
    assert "pruned 2" in cli("prune", "-c", cfg, "--keep", "1").out
