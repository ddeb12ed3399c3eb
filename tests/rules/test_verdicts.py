"""Verdicts that hold on configuration nobody tuned for: each mechanism on a small hand-written
fixture (tests/data/verdicts), with the case that must fire and the close one that must not."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parity.model import ConfigEntry, Image

from conftest import DATA, c, cli, report_for, rules_hit, snap

Tree = Callable[[dict[str, str]], Path]
FIX = DATA / "verdicts"


def check(tree: Tree, body: str) -> dict[str, Any]:
    root = tree({"parity.toml": 'reference = "production"\n' + body})
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json", "--fail-on", "never")
    assert r.code == 0, r.err
    report: dict[str, Any] = json.loads(r.out)
    return report


def two(source: str, prod: Path, stg: Path, name: str = "src") -> str:
    return "".join(
        f"[environments.{env}]\n"
        f'sources = [{{ type = "{source}", path = "{p}", name = "{name}" }}]\n'
        for env, p in (("production", prod), ("staging", stg))
    )


def by_rule(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["rule"], f["subject"]): f for f in report["findings"]}


# -- capacity ---------------------------------------------------------------------------------


def test_capacity_is_a_ratio_per_workload_and_larger_or_zero_is_a_drift(tree: Tree) -> None:
    report = check(
        tree, two("k8s", FIX / "capacity/production.yaml", FIX / "capacity/staging.yaml")
    )
    got = {(f["rule"], f["subject"], f["severity"]) for f in report["findings"]}
    assert got == {
        ("capacity-drift", "capacity:src/Deployment/web-staging", "info"),
        ("capacity-drift", "capacity:src/Deployment/worker-staging", "info"),
        ("capacity-drift", "capacity:src/PodDisruptionBudget/web-production-pdb", "info"),
        ("value-drift", "config:src/Deployment/worker-staging:replicas", "warning"),
        ("value-drift", "config:src/Deployment/worker-staging/worker:resources", "warning"),
    }, got
    f = by_rule(report)
    web = f[("capacity-drift", "capacity:src/Deployment/web-staging")]
    assert "33% of production's replicas" in web["message"]
    assert "20% of production's cpu" in web["message"]
    assert "web.resources.limits.memory" not in web["expected"]  # 2Gi == 2048Mi
    assert "replicas=6" in web["expected"] and "replicas=2" in web["actual"]
    off = f[("value-drift", "config:src/Deployment/worker-staging:replicas")]
    assert "runs none" in off["message"]
    larger = f[("value-drift", "config:src/Deployment/worker-staging/worker:resources")]
    assert "hides the limits" in larger["message"] and "4Gi" in larger["message"]
    pdb = f[("capacity-drift", "capacity:src/PodDisruptionBudget/web-production-pdb")]
    assert "exists in production but not in staging" in pdb["message"]


def test_capacity_min_ratio_makes_a_large_gap_a_warning() -> None:
    prod = snap("production", c("GUNICORN_WORKERS", "16"), c("POOL_SIZE", "10"))
    stg = snap("staging", c("GUNICORN_WORKERS", "2"), c("POOL_SIZE", "8"))
    info = report_for(prod, stg)
    assert [(f.rule, f.severity) for f in info.findings] == [("capacity-drift", "info")]
    strict = report_for(prod, stg, policy={"capacity": {"min_ratio": 0.25, "severity": "warning"}})
    (only,) = strict.findings
    assert only.severity == "warning" and "below the policy's minimum of 25%" in only.message
    # the project's vocabulary: a key of its own is capacity too
    custom = report_for(
        snap("production", c("SHARDS", "12")),
        snap("staging", c("SHARDS", "2")),
        policy={"capacity": {"keys": ["SHARDS"]}},
    )
    assert [f.rule for f in custom.findings] == ["capacity-drift"]
    assert [f.rule for f in report_for(snap("production", c("SHARDS", "12")),
                                        snap("staging", c("SHARDS", "2"))).findings] == [
        "value-drift"
    ]  # fmt: skip


def test_capacity_of_a_missing_element_is_part_of_the_missing_element() -> None:
    def v(key: str, value: str) -> ConfigEntry:
        return ConfigEntry("values", key, value, "values.yaml:1")

    prod = snap(
        "production",
        v("apps[name=a].replicaCount", "3"),
        v("apps[name=b].replicaCount", "2"),
        v("apps[name=b].route", "/b"),
    )
    stg = snap("staging", v("apps[name=a].replicaCount", "1"))
    got = {(f.rule, f.subject) for f in report_for(prod, stg).findings}
    assert got == {
        ("capacity-drift", "capacity:values:apps[name=a]"),
        ("missing-key", "config:values:apps[name=b]"),
    }


# -- helm values: siblings, defaults, aids, identities, sidecars, split images ----------------


def test_helm_values_one_cause_per_finding(tree: Tree) -> None:
    report = check(
        tree, two("config-file", FIX / "helm/production.yaml", FIX / "helm/staging.yaml")
    )
    got = {(f["rule"], f["subject"], f["severity"]) for f in report["findings"]}
    assert got == {
        ("capacity-drift", "capacity:src:apps[name=shop]", "info"),
        ("capacity-drift", "capacity:src:apps[name=blog]", "info"),
        ("missing-key", "config:src:apps[name=shop].values.workers.enabled", "info"),
        ("missing-key", "config:src:apps[*].values.extraEnv[name=GOOGLE_TAG_MANAGER_ID]", "info"),
        (
            "missing-key",
            "config:src:apps[name=shop].values.extraEnv[name=EMAIL_ADDRESS_OVERRIDE]",
            "info",
        ),
        ("value-drift", "config:src:apps[name=shop].values.extraEnv[name=MIRROR_BACKENDS].value",
         "info"),
        ("cross-env-reference", "config:src:apps[name=shop].values.extraEnv[name=KMS_KEY].value",
         "error"),
    }, got  # fmt: skip
    f = by_rule(report)
    grouped = f[("missing-key", "config:src:apps[*].values.extraEnv[name=GOOGLE_TAG_MANAGER_ID]")]
    assert "3 elements: [name=admin], [name=blog], [name=shop]" in grouped["message"]
    shop = "config:src:apps[name=shop].values.extraEnv"
    mirror = f[("value-drift", f"{shop}[name=MIRROR_BACKENDS].value")]
    assert "lacks s3replica" in mirror["message"] and "…" not in mirror["message"]
    kms = f[("cross-env-reference", f"{shop}[name=KMS_KEY].value")]
    assert "15bdd743-ecd7-4059-86ff-b8b6a72054c4" in kms["message"]
    (note,) = report["identities"]
    assert (note["reference_value"], note["environment_value"]) == ("111111111111", "222222222222")
    assert note["values"] == 4


def test_loopback_with_a_sidecar_is_not_the_container_itself(tree: Tree) -> None:
    """The mesh switch in a values file, a second container in a pod: loopback reaches the
    sidecar. Without either, production's loopback is unsafe."""
    report = check(
        tree, two("config-file", FIX / "helm/production.yaml", FIX / "helm/staging.yaml")
    )
    assert not [f for f in report["findings"] if f["rule"] == "unsafe-prod-value"]
    report = check(
        tree, two("k8s", FIX / "capacity/production.yaml", FIX / "capacity/staging.yaml")
    )
    assert not [f for f in report["findings"] if f["rule"] == "unsafe-prod-value"]
    alone = report_for(snap("production", c("main_app.upstream_uri", "http://localhost:6500/v1")))
    assert rules_hit(alone, "unsafe-prod-value") == [
        ("production", "config:env:main_app.upstream_uri")
    ]
    jdbc = report_for(
        snap("production", c("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1/db"))
    )
    assert rules_hit(jdbc, "unsafe-prod-value")  # JDBC URLs are judged like any other


def test_image_split_across_keys_and_build_placeholders_are_not_mutable() -> None:
    split = snap(
        "production",
        ConfigEntry("v", "main_app.image", "acme/api", "v.yaml:1"),
        ConfigEntry("v", "main_app.version", "2026-08-04-052415", "v.yaml:2"),
    )
    assert rules_hit(report_for(split), "image-drift") == []
    bare = snap("production", ConfigEntry("v", "worker.image", "acme/worker", "v.yaml:1"))
    assert rules_hit(report_for(bare), "image-drift") == [
        ("production", "config:v:worker.image#mutable-tag")
    ]
    artifact = Image("k8s/Deployment/frontend", "front", "frontend", None, None, "k8s.yaml")
    official = Image("k8s/Deployment/redis", "disable-thp", "busybox", None, None, "k8s.yaml")
    hits = rules_hit(report_for(snap("production", artifact, official)), "image-drift")
    assert hits == [("production", "image:k8s/Deployment/redis:disable-thp#mutable-tag")]
    # *_TAG holds an image tag only when named for an image; a variable's name is no tag
    tags = snap("production", c("TERRAFORM_MODULES_TAG", "stable"), c("API_DOCKER_TAG", "latest"))
    assert rules_hit(report_for(tags), "image-drift") == [
        ("production", "config:env:API_DOCKER_TAG#mutable-tag")
    ]


# -- node-config env maps ---------------------------------------------------------------------


def test_node_config_env_map_makes_file_values_defaults(tree: Tree) -> None:
    """Keys custom-environment-variables.json maps are supplied at run time: default.json's
    development secret and localhost URL are neither shared secrets nor production's values;
    a variable another source sets is the value; differing file defaults are info."""
    cfg = FIX / "nodeconfig/config"
    body = "".join(
        f"[environments.{env}]\nsources = [\n"
        f'  {{ type = "config-file", paths = ["{cfg}/default.json", "{cfg}/{env}.json"], '
        'name = "api" },\n'
        f'  {{ type = "dotenv", path = "{FIX}/nodeconfig/{env}.env", name = "env" }},\n]\n'
        for env in ("production", "staging")
    )
    report = check(tree, body)
    got = {(f["rule"], f["subject"], f["severity"]) for f in report["findings"]}
    assert got == {("value-drift", "config:api:captcha.enabled", "info")}, got
    assert "$CAPTCHA_ENABLED supplies the value at run time" in report["findings"][0]["message"]
    text = json.dumps(report)
    assert "sk_test_51H8aBcDeFgHiJkLmNoPqRsTu" not in text and "dev-only-pw" not in text
    off = body.replace('name = "api" }', 'name = "api", env_map = false }')
    rules = {f["rule"] for f in check(tree, off)["findings"]}
    assert {"secret-shared", "unsafe-prod-value"} <= rules  # read as plain files, it would


# -- environment names, pointers, datacenters, self-comparison --------------------------------


def test_pointers_labels_and_own_resources_are_not_cross_env_references() -> None:
    prod = snap("production", c("nextEnvironment", "none"), c("labels.env", "production"))
    stg = snap(
        "staging",
        c("nextEnvironment", "production"),
        c("labels.env", "production"),
        c("dbTables.publisher-staging-postgres", "publisher_production.*"),
        c("DB_HOST", "db.prod.internal"),
    )
    assert rules_hit(report_for(prod, stg), "cross-env-reference") == [
        ("staging", "config:env:DB_HOST")
    ]


def test_a_datacenter_location_is_another_environment_only_with_its_hosts() -> None:
    def hosts(*names: str) -> ConfigEntry:
        return c("cassandra.hosts", ",".join(names))

    eqiad = snap("eqiad", hosts("cass1001.eqiad.wmnet"), c("kafka", "kafka1001.eqiad.wmnet"))
    codfw = snap("codfw", hosts("cass2001.codfw.wmnet"), c("kafka", "kafka2001.codfw.wmnet"))
    staging = snap(
        "staging", hosts("cassandra-dev2001.codfw.wmnet"), c("kafka", "kafka1001.eqiad.wmnet")
    )
    r = report_for(eqiad, codfw, staging, reference="eqiad")
    assert rules_hit(r, "cross-env-reference") == [("staging", "config:env:kafka")]


def test_an_environment_against_its_own_past_shares_nothing() -> None:
    fp = "hmac-sha256:abcd1234:" + "1" * 32
    before = snap("staging@latest~1", c("DB_PASSWORD", None, fingerprint=fp), c("X", "db.prod.x"))
    now = snap("staging", c("DB_PASSWORD", None, fingerprint=fp), c("X", "db.prod.x"))
    r = report_for(before, now, reference="staging@latest~1")
    assert {f.rule for f in r.findings} <= {"unsafe-prod-value"}


def test_unconfigured_aliases_are_not_environment_names() -> None:
    """`dev`/`local` name no environment here: neither normalized away nor a reference."""
    r = report_for(
        snap("production", c("API", "https://api.example.net/v1")),
        snap("staging", c("API", "https://api.dev.example.net/v1"), c("DOCS", "docs-local")),
    )
    assert rules_hit(r, "cross-env-reference") == []


# -- references ---------------------------------------------------------------------------------


def test_spring_fallbacks_nothing_overrides_are_placeholders_in_production() -> None:
    prod = snap(
        "production",
        c("ADMIN_SECRET", "${ADMIN_SECRET_VALUE:password}"),
        c("PORT", "${PORT:8080}"),
    )
    assert rules_hit(report_for(prod), "placeholder-value") == [
        ("production", "config:env:ADMIN_SECRET#fallback")
    ]
    set_ = snap("production", c("ADMIN_SECRET", "${ADMIN_SECRET_VALUE:password}"),
                c("ADMIN_SECRET_VALUE", "s3cr3t-from-vault-xyz"))  # fmt: skip
    assert rules_hit(report_for(set_), "placeholder-value") == []


def test_kubernetes_dependent_variables_resolve_in_their_container(tree: Tree) -> None:
    manifest = """
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: acme/app:1.0.0@sha256:%s
      env:
        - {name: HOST, value: mq.internal}
        - name: PW
          valueFrom: {secretKeyRef: {name: mq, key: password}}
        - {name: URL, value: "amqp://app:$(PW)@$(HOST):5672/"}
""" % ("d" * 64)
    root = tree({"p.yaml": manifest, "s.yaml": manifest})
    report = check(tree, two("k8s", root / "p.yaml", root / "s.yaml"))
    assert report["findings"] == []  # `$(PW)` is a reference: no literal, nothing shared
    out = root / "snap.json"
    assert cli("snapshot", "staging", "-c", str(root / "parity.toml"), "-o", str(out)).code == 0
    records = json.loads(out.read_text())["records"]
    (url,) = [r for r in records if r.get("key") == "URL"]
    assert url["value"] == "amqp://app:$(PW)@mq.internal:5672/"


def test_a_plain_env_map_for_other_frameworks(tree: Tree) -> None:
    """`{dotted.key: VAR}` (Spring's relaxed binding, ASP.NET `__` overrides): the mapped key
    is supplied at run time; the variable's value, where another source sets it, is the value."""
    files = {
        "appsettings.json": '{"Db": {"Host": "localhost", "Pool": 5}, "Feature": {"X": true}}',
        "map.json": '{"Db.Host": "DB__HOST", '
        '"Feature": {"__name": "FEATURE_JSON", "__format": "json"}}',
        "production.env": "DB__HOST=db.prod.internal\n",
        "staging.env": "DB__HOST=db.staging.internal\n",
    }
    root = tree(files)
    body = "".join(
        f"[environments.{env}]\nsources = [\n"
        f'  {{ type = "config-file", path = "{root}/appsettings.json", '
        f'env_map = "{root}/map.json", name = "app" }},\n'
        f'  {{ type = "dotenv", path = "{root}/{env}.env", name = "env" }},\n]\n'
        for env in ("production", "staging")
    )
    report = check(tree, body)
    rules = {(f["rule"], f["subject"]) for f in report["findings"]}
    assert not any(r == "unsafe-prod-value" for r, _ in rules), rules  # localhost is a default
    snap_text = cli("snapshot", "production", "-c", str(root / "parity.toml")).out
    host = next(
        json.loads(line.strip().rstrip(","))
        for line in snap_text.splitlines()
        if '"key": "Db.Host"' in line
    )
    assert (host["value"], host["source"]) == ("db.prod.internal", "production.env:1")


def test_init_wires_node_configs_env_map(tree: Tree) -> None:
    root = tree(
        {
            "config/default.json": '{"db": {"url": "postgres://localhost/dev"}}',
            "config/production.json": '{"db": {"pool": 20}}',
            "config/staging.json": '{"db": {"pool": 5}}',
            "config/custom-environment-variables.json": '{"db": {"url": "DATABASE_URL"}}',
        }
    )
    assert cli("init", str(root)).code == 0
    text = (root / "parity.toml").read_text()
    assert 'env_map = "config/custom-environment-variables.json"' in text
