"""What ships: the wheel holds every package and data file, and the deployment files parse."""

from __future__ import annotations

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
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("parity-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "parity/cli.py",
        "parity/model/records.py",
        "parity/store/history.py",
        "parity/reports/sarif.py",
        "parity/collectors/sql/postgres.py",
        "parity/collectors/docker_engine.py",
        "parity/policies/rules/database.py",
        "parity/policies/default.yaml",
    ):
        assert path in names, path


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
