"""The application layer used from Python, without the CLI: what a script or another tool
calls (`parity.app.run_*`), and that nothing in parity/ imports in a cycle."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

from parity.app import run_audit, run_check, run_diff, run_files, run_snapshot
from parity.errors import ConfigError
from parity.settings import load_settings

from conftest import SAMPLE

PROJECT = """
reference = "production"
[environments.production]
sources = [{ type = "dotenv", path = "production.env", name = "app" }]
[environments.staging]
sources = [{ type = "dotenv", path = "staging.env", name = "app" }]
"""


def _project(tree: Any) -> Path:
    return tree(
        {
            "parity.toml": PROJECT,
            "production.env": "WORKERS=4\nCACHE_TTL=60\n",
            "staging.env": "WORKERS=4\n",
        }
    )


def test_run_check_returns_the_report_and_the_snapshots_it_compared() -> None:
    result = run_check(load_settings(SAMPLE / "parity.toml"))
    assert list(result.snapshots) == ["production", "staging", "canary"]
    assert result.report.reference == "production"
    assert result.report.summary.by_severity["error"] > 0
    assert "capacity-drift" in result.policy.rules


def test_run_check_narrowed_to_environments_keeps_the_reference() -> None:
    result = run_check(load_settings(SAMPLE / "parity.toml"), env=["staging"])
    assert list(result.snapshots) == ["production", "staging"]


def test_run_snapshot_and_run_diff(tree: Any) -> None:
    settings = load_settings(_project(tree) / "parity.toml")
    snap = run_snapshot(settings, "staging")
    assert snap.environment == "staging" and not snap.errors
    result = run_diff(settings, "production", "staging")
    assert [f.subject for f in result.report.findings] == ["config:app:CACHE_TTL"]


def test_run_files_needs_no_configuration(tree: Any) -> None:
    root = tree({"a/.env": "A=1\nB=2\n", "b/.env": "A=1\n"})
    result = run_files([root / "a" / ".env", root / "b" / ".env"])
    assert [f.rule for f in result.report.findings] == ["missing-key"]


def test_run_audit_stores_and_reports_what_it_stored(tree: Any) -> None:
    root = _project(tree)
    result = run_audit(load_settings(root / "parity.toml"))
    assert Path(result.stored).is_file() and result.stored.endswith(".json")
    assert result.pruned == 0 and result.notify_problem is None
    assert list(result.snapshots) == ["production", "staging"]
    assert {f.status for f in result.report.findings} == {"new"}


def test_no_environments_is_a_configuration_error_naming_init(tree: Any) -> None:
    root = tree({"parity.toml": 'reference = "production"\n'})
    with pytest.raises(ConfigError, match="parity init"):
        run_check(load_settings(root / "parity.toml"))


def _imports(path: Path, package: str) -> set[str]:
    """The parity modules `path` imports at module level (not inside functions: those are
    the lazy imports that break cycles on purpose)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {n for n in found if n.startswith("parity")}


def test_no_import_cycle_in_parity() -> None:
    top = Path(__file__).parents[2]
    modules: dict[str, Path] = {}
    for folder, prefix in (("parity", ()), ("collectors", ("parity",)), ("policies", ("parity",))):
        for path in (top / folder).rglob("*.py"):
            parts = (*prefix, *path.relative_to(top).with_suffix("").parts)
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    assert {"parity.cli", "parity.collectors.aws", "parity.policies.rules"} <= set(modules)
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        graph[name] = {m for m in _imports(path, package) if m in modules and m != name}
    sys.setrecursionlimit(10_000)
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt] if nxt in stack else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_the_core_imports_neither_collectors_nor_policies() -> None:
    """model, align, secrets and inputs are the core every stage builds on: importing them
    (and everything they import, lazily or not, at module level) loads no collector, no
    policy and no application or CLI code."""
    import subprocess

    probe = (
        "import sys\n"
        "import parity.model, parity.model.findings, parity.model.rules\n"
        "import parity.align.diff, parity.align.compare, parity.align.delta, parity.align.keys\n"
        "import parity.align.identities, parity.align.typos, parity.align.imageref\n"
        "import parity.secrets.classify, parity.secrets.guard, parity.inputs.yamlio\n"
        "bad = sorted(m for m in sys.modules if m.startswith(("
        "'parity.collectors', 'parity.policies', 'parity.app', 'parity.cli', "
        "'parity.reports', 'parity.store', 'parity.settings')))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
    top = Path(__file__).parents[2] / "parity"
    for stage in ("model", "align", "secrets", "inputs"):  # lazy imports inside functions too
        for path in (top / stage).rglob("*.py"):
            text = path.read_text()
            for banned in ("parity.collectors", "parity.policies", "parity.app", "parity.cli"):
                assert f"from {banned}" not in text and f"import {banned}" not in text, path
