"""A source that could not be read proves nothing: only `collector-failed` speaks for it.

Each collector family fails its own way (a mistyped path, a YAML syntax error, a compose
service's missing env_file); whichever side fails, nothing that depends on the failed source
is reported — no missing dependency, workload or key, in either direction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import cli

Tree = Callable[[dict[str, str]], Path]

DEPS = """
[environments.production]
sources = [{{ type = "python-deps", path = "{prod}" }},
           {{ type = "dotenv", path = "p.env", name = "app" }}]
[environments.staging]
sources = [{{ type = "python-deps", path = "{stg}" }},
           {{ type = "dotenv", path = "s.env", name = "app" }}]
"""


def rules_of(out: str) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["environment"]) for f in json.loads(out)["findings"])


@pytest.mark.parametrize("broken", ["production", "staging"])
def test_mistyped_requirements_path_masks_the_dependencies(tree: Tree, broken: str) -> None:
    paths = {"prod": "prod-requirements.txt", "stg": "stg-requirements.txt"}
    paths["prod" if broken == "production" else "stg"] = "requirments.txt"  # the typo
    root = tree(
        {
            "parity.toml": DEPS.format(**paths),
            "prod-requirements.txt": "flask==3.0.0\nrequests==2.31.0\ncelery==5.3.0\n",
            "stg-requirements.txt": "flask==3.0.0\nrequests==2.31.0\ncelery==5.3.0\n",
            "p.env": "A=1\nB=2\n",
            "s.env": "A=1\n",  # a real difference in a source that was read
        }
    )
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json")
    assert r.code == 3, r.err
    assert rules_of(r.out) == [("collector-failed", broken), ("missing-key", "staging")]


K8S = """
[environments.production]
sources = [{ type = "k8s", path = "prod.yaml" }]
[environments.staging]
sources = [{ type = "k8s", path = "stg.yaml" }]
"""
DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: acme/web:1.2.3@sha256:%s
          env: [{name: MODE, value: fast}]
""" % ("a" * 64)


def test_yaml_syntax_error_masks_every_workload_of_the_manifest(tree: Tree) -> None:
    root = tree(
        {
            "parity.toml": K8S,
            "prod.yaml": DEPLOYMENT,
            "stg.yaml": DEPLOYMENT.replace("replicas: 2", "replicas: [2"),
        }
    )
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json")
    assert r.code == 3, r.err
    assert rules_of(r.out) == [("collector-failed", "staging")]


COMPOSE = """
[environments.production]
sources = [{ type = "compose", path = "prod/compose.yaml", name = "shop" }]
[environments.staging]
sources = [{ type = "compose", path = "stg/compose.yaml", name = "shop" }]
"""
SERVICES = """
services:
  web:
    image: acme/web:1.0.0
    env_file: web.env
  worker:
    image: acme/worker:1.0.0
    environment: {QUEUE: %s}
"""


def test_missing_env_file_masks_only_its_service(tree: Tree) -> None:
    root = tree(
        {
            "parity.toml": COMPOSE,
            "prod/compose.yaml": SERVICES % "orders",
            "prod/web.env": "SECRET_FEATURE=1\nPORT=8000\n",
            "stg/compose.yaml": SERVICES % "orders-v2",  # a real drift in the other service
        }
    )
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json")
    assert r.code == 3, r.err
    report = json.loads(r.out)
    got = sorted((f["rule"], f["subject"]) for f in report["findings"])
    assert got == [
        ("collector-failed", "source:compose:shop/web (stg/compose.yaml)"),
        ("value-drift", "config:shop/worker:QUEUE"),
    ], got
