"""Structure-aware collection, one mechanism per test, on the fixtures in tests/data/structure:
lists by identity, sets, layering, anchors, spellings, JSONC, compose include/extends/
interpolation, kustomize hash names, every Kubernetes kind."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, cli

FIX = DATA / "structure"


def check(tmp_path: Path, prod: list[str], stg: list[str], extra: str = "") -> dict[str, Any]:
    """Run `parity check -f json` on copies of the fixtures; sources as TOML inline tables."""
    if not (tmp_path / "p").exists():
        shutil.copytree(FIX, tmp_path / "p")
    toml = (
        f'reference = "production"\n{extra}\n'
        f"[environments.production]\nsources = [{', '.join(prod)}]\n"
        f"[environments.staging]\nsources = [{', '.join(stg)}]\n"
    )
    (tmp_path / "p" / "parity.toml").write_text(toml)
    r = cli("check", "-c", str(tmp_path / "p" / "parity.toml"), "-f", "json", "--fail-on", "never")
    assert r.code in (0, 3), r.err
    report: dict[str, Any] = json.loads(r.out)
    return report


def cfg(path: str, name: str = "values") -> str:
    return f'{{ type = "config-file", path = "{path}", name = "{name}" }}'


def found(report: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["subject"]) for f in report["findings"])


def test_list_inserted_at_position_3_shifts_nothing(tmp_path: Path) -> None:
    r = check(tmp_path, [cfg("helm/production.yaml")], [cfg("helm/staging.yaml")])
    subjects = found(r)
    assert ("missing-key", "config:values:apps[name=preview]") in subjects  # one subtree
    assert not [s for s in subjects if "publisher" in s[1] or "router" in s[1]]


def test_reordered_named_list_and_own_host_names_are_not_drift(tmp_path: Path) -> None:
    r = check(tmp_path, [cfg("helm/production.yaml")], [cfg("helm/staging.yaml")])
    assert not [s for s in found(r) if "env[" in s[1] or "ingress" in s[1]]


def test_scalar_list_is_one_set_valued_finding(tmp_path: Path) -> None:
    r = check(tmp_path, [cfg("helm/production.yaml")], [cfg("helm/staging.yaml")])
    (f,) = [f for f in r["findings"] if f["subject"] == "config:values:features"]
    assert f["rule"] == "value-drift" and "adds gift-cards" in f["message"]


def test_layered_files_merge_and_name_the_setter(tmp_path: Path) -> None:
    layered = (
        '{ type = "config-file", paths = ["helm/base.yaml", "helm/override.yaml"], name = "v" }'
    )
    r = check(tmp_path, [cfg("helm/base.yaml", "v")], [layered])
    by = {f["subject"]: f for f in r["findings"]}
    assert by["config:v:image.tag"]["actual"] == "1.1"
    assert by["config:v:image.tag"]["source"] == "helm/override.yaml:1"
    assert "config:v:image.repository" not in by and "config:v:retries" not in by


def test_redefined_anchor_and_spellings_of_the_same_value(tmp_path: Path) -> None:
    r = check(tmp_path, [cfg("helm/anchors.yaml")], [cfg("helm/anchors-staging.yaml")])
    assert r["complete"] and r["findings"] == []


def test_json_with_comments_parses(tmp_path: Path) -> None:
    r = check(tmp_path, [cfg("helm/config.jsonc")], [cfg("helm/config.jsonc")])
    assert r["complete"] and r["findings"] == []


def test_compose_interpolation_include_and_extends(tmp_path: Path) -> None:
    src = '{ type = "compose", path = "compose/production/compose.yaml" }'
    r = check(tmp_path, [src], [src])
    from parity.settings import load_settings

    settings = load_settings(str(tmp_path / "p" / "parity.toml"))
    from parity.app.collect import collect_environment

    snap = collect_environment(settings, "production")
    recs = {(getattr(x, "scope", ""), getattr(x, "key", "")): x for x in snap.records}
    images = {x.workload: x for x in snap.records if x.kind == "image"}
    assert images["compose/web"].tag == "1.4.0"  # ${TAG:-dev} from the project's .env
    assert images["compose/job"].tag == "<unresolved=JOB_TAG>"  # never read as `latest`
    assert "compose/cache" in images  # from `include`
    assert recs[("compose/web", "WORKERS")].value == "4"  # from `extends` in another file
    assert recs[("compose/web", "SHARED")].value == "yes"  # its env_file, relative to base.yaml
    assert recs[("compose/web", "MODE")].value == "server"  # local environment wins
    assert recs[("compose/web", "PRICE")].value == "$5"  # `$$` is a literal dollar
    rules = {f["rule"] for f in r["findings"]}
    assert "unresolved-variable" in rules  # production-like: JOB_TAG is defined nowhere
    mutable = [f for f in r["findings"] if "mutable" in f["subject"]]
    assert mutable == []


def test_compose_refuses_files_outside_the_project(tmp_path: Path) -> None:
    shutil.copytree(FIX, tmp_path / "p")
    (tmp_path / "p/compose/production/base.yaml").write_text(
        "services:\n  app:\n    env_file: /proc/self/environ\n"
    )
    src = '{ type = "compose", path = "compose/production/compose.yaml" }'
    r = check(tmp_path, [src], [src])
    assert not r["complete"]
    assert any("outside the project root" in e["message"] for e in r["errors"])
    assert "PARITY_FINGERPRINT_KEY" not in json.dumps(r)


def test_missing_env_file_of_an_extended_service_names_where_compose_looks(tmp_path: Path) -> None:
    shutil.copytree(FIX, tmp_path / "p")
    base = tmp_path / "p/compose/production/base.yaml"
    base.write_text(base.read_text().replace("env_file: app.env", "env_file: absent.env"))
    src = '{ type = "compose", path = "compose/production/compose.yaml" }'
    r = check(tmp_path, [src], [src])
    assert not r["complete"]
    assert r["errors"]
    for error in r["errors"]:  # Compose reads it beside base.yaml, the extended file
        assert "compose/production/absent.env does not exist" in error["message"]
        assert "relative to that file" in error["hint"]


def test_kustomize_hash_names_align_and_every_kind_is_collected(tmp_path: Path) -> None:
    k8s = '{{ type = "k8s", path = "kustomize/{}.yaml", name = "k" }}'
    r = check(tmp_path, [k8s.format("production")], [k8s.format("staging")])
    assert found(r) == [("capacity-drift", "capacity:k/HorizontalPodAutoscaler/proxy")]


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]\n"
    (tmp_path / "bomb.yaml").write_text(bomb)
    from parity.collectors.config_file import parse_config
    from parity.errors import ParseError

    started = time.perf_counter()
    with pytest.raises(ParseError, match="expands to more than"):
        parse_config(bomb, "yaml", "bomb.yaml")
    assert time.perf_counter() - started < 30  # bounded (a generous guard, not a benchmark)


def test_list_keys_from_the_policy(tmp_path: Path) -> None:
    shutil.copytree(FIX, tmp_path / "p")
    (tmp_path / "p/a.yaml").write_text(
        "apps:\n  - {slug: one, size: 1}\n  - {slug: two, size: 2}\n"
    )
    (tmp_path / "p/b.yaml").write_text(
        "apps:\n  - {slug: two, size: 2}\n  - {slug: one, size: 3}\n"
    )
    (tmp_path / "p/policy.yaml").write_text("list_keys: {apps: slug}\n")
    r = check(tmp_path, [cfg("a.yaml")], [cfg("b.yaml")], extra='policy = "policy.yaml"')
    assert found(r) == [("value-drift", "config:values:apps[slug=one].size")]
