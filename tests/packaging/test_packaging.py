"""What ships: the wheel holds every package and data file, and the deployment files parse."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]
DIRS = {
    "parity": ROOT / "parity",
    "parity.collectors": ROOT / "collectors",
    "parity.policies": ROOT / "policies",
}


def test_every_package_directory_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = set()
    for prefix, base in DIRS.items():
        for init in base.rglob("__init__.py"):
            rel = init.parent.relative_to(base).parts
            found.add(".".join((prefix, *rel)))
    assert found == listed


def test_wheel_contains_the_code_and_the_policy_pack(tmp_path: Path) -> None:
    # From a copy: setuptools builds in-tree, and a stale build/ would ship deleted modules.
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".parity", "node_modules"
        ),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("parity-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"parity/policies/default.yaml"}
    for prefix, base in DIRS.items():  # every module of the source tree, where it installs
        for module in base.rglob("*.py"):
            if "__pycache__" not in module.parts:
                rel = module.relative_to(base).as_posix()
                expected.add(f"{prefix.replace('.', '/')}/{rel}")
    assert sorted(expected - names) == []
    shipped = {n for n in names if n.endswith(".py")}
    assert sorted(shipped - expected) == []  # nothing that is not in the tree
    assert "parity/cli/entry.py" in names and "parity/align/diff.py" in names


def test_deployment_files_parse() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite" and "fail-on" in action["inputs"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "parity" and hooks[0]["entry"].startswith("parity check")
    jobs = list(yaml.safe_load_all((ROOT / "examples" / "k8s-cronjob.yaml").read_text()))
    assert [j["kind"] for j in jobs] == ["CronJob", "CronJob"]
    for wf in (ROOT / "examples" / "github").glob("*.yml"):
        assert "jobs" in yaml.safe_load(wf.read_text()), wf
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER parity" in dockerfile and "ARG" not in dockerfile  # no build-time secrets
