"""The engine: severities, waivers, finding ids, scores, collection findings."""

from __future__ import annotations

from parity.model import (
    CollectionError,
    ConfigEntry,
    Notice,
)

from conftest import FP, c, img, report_for, rules_hit, snap


def test_duplicate_key_and_collector_failed() -> None:
    n = Notice(code="duplicate-key", subject="A", source=".env:3", message="A twice")
    e = CollectionError(
        environment="staging", collector="dotenv", source="app-env (.env)", message="does not exist"
    )
    r = report_for(snap("production"), snap("staging", notices=(n,), errors=(e,)))
    assert {f.rule for f in r.findings} == {"duplicate-key", "collector-failed"}
    assert not r.complete


def test_rule_disable_severity_override_and_waivers() -> None:
    prod, stg = snap("production", c("A", "1")), snap("staging")
    r = report_for(prod, stg, policy={"rules": {"missing-key": {"severity": "info"}}})
    assert [f.severity for f in r.findings] == ["info"]
    r = report_for(prod, stg, policy={"rules": {"missing-key": {"enabled": False}}})
    assert r.findings == []
    waiver = {
        "rule": "missing-key",
        "subject": "config:env:A",
        "reason": "known",
        "expires": "2030-01-01",
    }
    r = report_for(prod, stg, policy={"waivers": [waiver]})
    assert r.findings[0].waived and r.summary.unwaived == 0
    r = report_for(prod, stg, policy={"waivers": [{**waiver, "expires": "2026-01-01"}]})
    f = r.findings[0]
    assert not f.waived and f.waiver and f.waiver.expired and "waiver expired" in f.message


def test_finding_ids_are_stable_and_ignore_location() -> None:
    a = report_for(snap("production", c("A", "1")), snap("staging"))
    moved = ConfigEntry("env", "A", "1", "other-file:99", env_var=True)
    b = report_for(snap("production", moved), snap("staging"))
    assert [f.id for f in a.findings] == [f.id for f in b.findings]


def test_scores() -> None:
    r = report_for(snap("production", c("A", "1"), c("B", "1")), snap("staging", c("A", "1")))
    pair = {p.environment: p for p in r.score.pairs}
    assert pair["production"].score == 100.0
    assert pair["staging"].score == 85.0  # one warning (3) over two subjects (10 each)
    assert pair["staging"].categories["config"] == 85.0
    assert r.score.overall == 85.0


def test_image_drift_sub_cases_take_policy_severities() -> None:
    prod, stg = (
        snap("production", img("1.0", "sha256:aa")),
        snap("staging", img("1.0", "sha256:bb")),
    )
    assert [f.severity for f in report_for(prod, stg).findings] == ["error"]
    whole_rule = {"rules": {"image-drift": {"severity": "info"}}}
    assert [f.severity for f in report_for(prod, stg, policy=whole_rule).findings] == ["info"]
    one_level = {"rules": {"image-drift": {"levels": {"moved-tag": "warning"}}}}
    assert [f.severity for f in report_for(prod, stg, policy=one_level).findings] == ["warning"]


def test_unknown_level_is_a_configuration_error() -> None:
    import pytest

    from parity.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown level"):
        report_for(snap("production"), policy={"rules": {"image-drift": {"levels": {"x": "info"}}}})


def test_content_digest_is_never_a_shared_secret() -> None:
    digest = "sha256:" + "1" * 64
    prod = snap("production", c("SCHEMA", "v", digest=digest))
    stg = snap("staging", c("SCHEMA", "v", digest=digest))
    assert report_for(prod, stg).findings == []
    prod = snap("production", c("PW", None, fingerprint=FP))
    stg = snap("staging", c("PW", None, fingerprint=FP))
    assert rules_hit(report_for(prod, stg), "secret-shared") == [("staging", "config:env:PW")]


def test_every_record_kind_declares_what_the_engine_derives() -> None:
    from parity.align.diff import COMPARED
    from parity.model import CATEGORY_OF_KIND, RECORD_TYPES
    from parity.policies.scoring import CATEGORIES

    for kind, cls in RECORD_TYPES.items():
        assert CATEGORY_OF_KIND[kind] in CATEGORIES
        assert set(cls.compared) <= set(cls._fields)
        assert cls._fields[: len(cls.identity)] == cls.identity
        assert (kind in COMPARED) == bool(cls.compared)


def test_findings_of_one_cause_share_a_group() -> None:
    prod = snap("production", img("1.0"))
    canary = snap("canary", img("latest"))
    r = report_for(prod, canary)
    causes = {f.group for f in r.findings if f.environment == "canary"}
    assert causes == {"image:k8s/Deployment/web:web"}  # tag differs + mutable tag: one cause
    (group,) = [g for g in r.groups if g.environment == "canary"]
    assert group.rules == ["image-drift"] and len(group.findings) == 2


def test_human_table_shows_one_row_per_cause() -> None:
    from parity.reports.table import render_table

    r = report_for(
        snap("production", c("CACHE_MODE", "fast")),
        snap("canary", c("CACHE_MODE", "slow")),
        policy={"contracts": [{"keys": ["CACHE_MODE"], "regex": {"canary": "^fast$"}}]},
    )
    assert {f.rule for f in r.findings} == {"contract-violation", "value-drift"}
    canary = render_table(r).split("== canary")[1]
    assert [ln.split()[0] for ln in canary.splitlines() if ln.startswith(("ERR", "WARN"))] == [
        "ERR"
    ]


def test_every_finding_of_the_sample_says_what_to_do() -> None:
    import json

    from conftest import SAMPLE, cli

    report = json.loads(cli("check", "-c", str(SAMPLE / "parity.toml"), "-f", "json").out)
    assert report["findings"]
    assert [f["rule"] for f in report["findings"] if not f["suggestion"]] == []
    by = {(f["rule"], f["environment"], f["subject"]): f["suggestion"] for f in report["findings"]}
    react = by[("version-mismatch", "staging", "dependency:npm:react")]
    assert react == "upgrade staging to 18.3.1: npm install react@18.3.1 --save-exact"
    flask = by[("version-mismatch", "staging", "dependency:pypi:flask")]
    assert flask.startswith("upgrade staging to 3.0.3") and "flask==3.0.3" in flask
    local = by[("unsafe-prod-value", "production", "config:app-config:metrics.push_url")]
    assert "production setting" not in local and "real service" in local
    push = by[("value-drift", "staging", "config:app-config:metrics.push_url")]
    assert push.startswith("fix metrics.push_url in production first")  # never copy localhost


def test_reference_is_production_like_even_when_named_after_a_datacenter() -> None:
    # two production datacenters sharing a credential is by design, not a leak
    r = report_for(
        snap("eqiad", c("PW", None, fingerprint=FP)),
        snap("codfw", c("PW", None, fingerprint=FP)),
        reference="eqiad",
        policy={"production_like": ["codfw"]},
    )
    assert rules_hit(r, "secret-shared") == []
    assert r.warnings and "eqiad" in r.warnings[0]
