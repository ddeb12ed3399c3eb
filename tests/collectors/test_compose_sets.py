"""Compose as Compose reads it: a set of files merged by the specification's rules (`!reset`,
`!override`, unique ports/volumes/secrets), profiles, services built from a Dockerfile, and the
settings that change how a container runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parity.collectors._compose_load import merge
from parity.collectors.compose import ComposeCollector, ComposeOptions
from parity.collectors.interface import CollectContext
from parity.inputs.yamlio import Tagged
from parity.model import ConfigEntry, Image

from conftest import cli

BASE = """
services:
  web:
    image: shop/web:1.4.2
    command: ["gunicorn", "-w", "4"]
    ports: ["8000:8000", "9090:9090"]
    volumes: ["static:/app/static", "logs:/var/log"]
    environment: {LOG_LEVEL: info, WORKERS: "4"}
    healthcheck: {test: ["CMD", "curl", "-f", "http://localhost:8000/"], interval: 30s}
  worker:
    build:
      context: ./worker
      target: runtime
      args: {PYTHON_VERSION: "3.12"}
    environment: [QUEUE=default]
  debugger:
    image: shop/debug:latest
    profiles: [debug]
volumes: {static: {}, logs: {}}
"""
PROD = """
services:
  web:
    command: ["gunicorn", "-w", "8"]
    ports: !override ["80:8000"]
    volumes: ["/srv/static:/app/static"]
    environment: [LOG_LEVEL=warning]
    deploy:
      replicas: 4
      resources: {limits: {cpus: "2", memory: 2G}}
    restart: always
  worker:
    environment: !reset []
"""


def records(root: Path, **options: Any) -> dict[tuple[str, str], Any]:
    ctx = CollectContext("production", root)
    out = ComposeCollector(ComposeOptions(**options), ctx).run().records
    return {
        (r.scope, r.key) if isinstance(r, ConfigEntry) else (r.workload, "image"): r for r in out
    }


def test_the_specifications_merge_rules() -> None:
    base = {"ports": ["8000:8000", "127.0.0.1:9090:9090/udp"], "dns": ["1.1.1.1"]}
    over = {"ports": ["8001:8000", "127.0.0.1:9090:9090/udp"], "dns": ["8.8.8.8"]}
    merged = merge(base, over)
    assert merged["dns"] == ["1.1.1.1", "8.8.8.8"]  # sequences append
    assert merged["ports"] == ["8000:8000", "8001:8000", "127.0.0.1:9090:9090/udp"]
    vols = merge({"volumes": ["a:/data", "b:/logs"]}, {"volumes": ["c:/data"]})
    assert vols["volumes"] == ["b:/logs", "c:/data"]  # a volume is unique by its target
    cmd = merge({"command": ["a", "b"]}, {"command": ["c"]})
    assert cmd["command"] == ["c"]  # shell commands replace
    env = merge({"environment": ["A=1", "B=2"]}, {"environment": {"B": "3"}})
    assert env["environment"] == {"A": "1", "B": "3"}
    reset = merge({"ports": ["1:1"], "x": 1}, {"ports": Tagged("!reset", []), "x": 2})
    assert "ports" not in reset and reset["x"] == 2
    hc = merge(
        {"healthcheck": {"test": ["CMD", "a"], "retries": 3}},
        {"healthcheck": {"test": ["CMD", "b"]}},
    )
    assert hc["healthcheck"] == {"test": ["CMD", "b"], "retries": 3}


def test_a_file_set_is_one_project(tree: Any) -> None:
    root = tree({"compose.yaml": BASE, "compose.production.yaml": PROD, "worker/Dockerfile": ""})
    recs = records(root, paths=["compose.yaml", "compose.production.yaml"])
    assert recs[("compose/web", "command")].value == "gunicorn -w 8"
    assert json.loads(recs[("compose/web", "ports")].value) == ["80:8000"]  # !override
    assert json.loads(recs[("compose/web", "volumes")].value) == [
        "/srv/static:/app/static",
        "logs:/var/log",
    ]
    assert recs[("compose/web", "LOG_LEVEL")].value == "warning"
    assert recs[("compose/web", "WORKERS")].value == "4"
    assert recs[("compose/web", "deploy.replicas")].value == "4"
    assert recs[("compose/web", "deploy.resources.limits.memory")].value == "2G"
    assert recs[("compose/web", "healthcheck.test")].value == "CMD curl -f http://localhost:8000/"
    assert ("compose/worker", "QUEUE") not in recs  # !reset
    assert recs[("compose/web", "restart")].value == "always"


def test_a_compose_file_style_list_is_a_file_set(tree: Any) -> None:
    root = tree({"compose.yaml": BASE, "compose.production.yaml": PROD})
    listed = records(root, path="compose.yaml:compose.production.yaml")
    assert listed[("compose/web", "restart")].value == "always"
    assert listed == records(root, paths=["compose.yaml", "compose.production.yaml"])


def test_profiles_decide_which_services_run(tree: Any) -> None:
    root = tree({"compose.yaml": BASE})
    assert ("compose/debugger", "image") not in records(root, path="compose.yaml")
    debug = records(root, path="compose.yaml", profiles=["debug"])
    assert debug[("compose/debugger", "image")].tag == "latest"


def test_a_service_built_from_a_dockerfile_is_a_workload(tree: Any) -> None:
    root = tree({"compose.yaml": BASE})
    recs = records(root, path="compose.yaml")
    built = recs[("compose/worker", "image")]
    assert isinstance(built, Image) and built.repository == "worker" and built.tag is None
    assert recs[("compose/worker", "build.context")].value == "./worker"
    assert recs[("compose/worker", "build.args.PYTHON_VERSION")].value == "3.12"


def _two(tree: Any, staging: str, production: str = BASE) -> dict[tuple[str, str], str]:
    root = tree(
        {
            "parity.toml": "[environments.production]\n"
            'sources = [{ type = "compose", path = "prod/compose.yaml" }]\n'
            "[environments.staging]\n"
            'sources = [{ type = "compose", path = "stg/compose.yaml" }]\n',
            "prod/compose.yaml": production,
            "stg/compose.yaml": staging,
        }
    )
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json", "--fail-on", "never")
    report = json.loads(r.out)
    return {(f["rule"], f["environment"], f["subject"]): f["severity"] for f in report["findings"]}


def test_a_build_only_service_on_one_side_is_a_missing_workload(tree: Any) -> None:
    worker = BASE[BASE.index("  worker:") : BASE.index("  debugger:")]
    found = _two(tree, BASE.replace(worker, ""))
    assert found[("missing-workload", "staging", "workload:compose/worker")] == "error"


def test_build_args_and_runtime_settings_are_compared(tree: Any) -> None:
    staging = BASE.replace('PYTHON_VERSION: "3.12"', 'PYTHON_VERSION: "3.11"').replace(
        "    command:", "    read_only: true\n    command:"
    )
    found = _two(tree, staging)
    assert ("value-drift", "staging", "config:compose/worker:build.args.PYTHON_VERSION") in found
    assert ("missing-key", "staging", "config:compose/web:read_only") in found


def test_privileged_and_source_binds_are_unsafe_in_production(tree: Any) -> None:
    prod = BASE.replace("    command:", "    privileged: true\n    command:").replace(
        'volumes: ["static:/app/static", "logs:/var/log"]',
        'volumes: ["./src:/app", "logs:/var/log"]',
    )
    found = _two(tree, BASE, production=prod)
    assert found[("unsafe-prod-value", "production", "config:compose/web:privileged")] == "error"
    assert found[("unsafe-prod-value", "production", "config:compose/web:volumes")] == "error"
