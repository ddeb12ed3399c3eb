"""Every rule: a case that fires and a close case that must not."""

from __future__ import annotations

from parity.model import (
    CollectionError,
    ConfigEntry,
    Dependency,
    Image,
    Notice,
    RequiredKey,
    SecretRef,
)
from parity.policies.rules import version_level

from conftest import report_for, rules_hit, snap

FP = "hmac-sha256:abcd1234:" + "0" * 32


def c(key: str, value: str | None, scope: str = "env", **kw: object) -> ConfigEntry:
    return ConfigEntry(scope, key, value, f"{scope}:1", env_var=True, **kw)


def img(tag: str | None, digest: str | None = None, repo: str = "acme/web") -> Image:
    return Image("k8s/Deployment/web", "web", repo, tag, digest, "app.yaml")


def test_missing_key_both_directions() -> None:
    r = report_for(
        snap("production", c("A", "1"), c("B", "2")), snap("staging", c("A", "1"), c("Z", "9"))
    )
    hits = {(f.subject, f.severity) for f in r.findings if f.rule == "missing-key"}
    assert hits == {("config:env:B", "error"), ("config:env:Z", "warning")}


def test_no_missing_key_when_equal() -> None:
    r = report_for(snap("production", c("A", "1")), snap("staging", c("A", "1")))
    assert r.findings == []


def test_missing_dependency() -> None:
    r = report_for(snap("production", Dependency("pypi", "x", "1.0", "r")), snap("staging"))
    assert rules_hit(r, "missing-dependency") == [("staging", "dependency:pypi:x")]
    r2 = report_for(
        snap("production", Dependency("pypi", "x", "1.0", "r")),
        snap("staging", Dependency("pypi", "x", "1.0", "s")),
    )
    assert rules_hit(r2, "missing-dependency") == []


def test_key_typo_replaces_missing_pair() -> None:
    r = report_for(
        snap("production", c("DATABASE_URL", "x")), snap("staging", c("DATABSE_URL", "x"))
    )
    assert [f.rule for f in r.findings] == ["key-typo"]
    assert "did you mean DATABASE_URL" in r.findings[0].message
    r2 = report_for(
        snap("production", c("DATABASE_URL", "x")), snap("staging", c("QUEUE_NAME", "x"))
    )
    assert rules_hit(r2, "key-typo") == []


def test_value_drift_normalizes_env_names_and_uses_contracts() -> None:
    prod = snap("production", c("DB_HOST", "db.prod.internal"), c("LEVEL", "INFO"), c("CUR", "EUR"))
    stg = snap("staging", c("DB_HOST", "db.staging.internal"), c("LEVEL", "DEBUG"), c("CUR", "USD"))
    r = report_for(prod, stg, policy={"contracts": [{"keys": ["CUR"], "rule": "must-equal"}]})
    drift = {f.subject: f.severity for f in r.findings if f.rule == "value-drift"}
    assert drift == {"config:env:LEVEL": "info", "config:env:CUR": "error"}
    r2 = report_for(
        prod, stg, policy={"contracts": [{"keys": ["LEVEL", "CUR"], "rule": "may-differ"}]}
    )
    assert rules_hit(r2, "value-drift") == []


def test_value_drift_never_compares_secrets_and_explains_structures() -> None:
    prod = snap(
        "production",
        c("TOKEN", None, fingerprint=FP),
        c("resources", '{"a":1}', structured={"limits": {"memory": "1Gi"}}),
    )
    stg = snap(
        "staging",
        c("TOKEN", None, fingerprint=FP.replace("0", "1")),
        c("resources", '{"a":2}', structured={"limits": {"memory": "2Gi"}}),
    )
    r = report_for(prod, stg)
    assert [f.subject for f in r.findings] == ["config:env:resources"]
    assert "limits.memory" in r.findings[0].message


def test_version_levels() -> None:
    assert version_level("pypi", "2.31.0", "2.32.3") == "minor"
    assert version_level("pypi", "3.0.3", "2.3.3") == "major"
    assert version_level("npm", "18.3.1", "18.3.2") == "patch"
    assert version_level("pypi", "1.0", "1.0.0rc1") == "other"
    r = report_for(
        snap("production", Dependency("pypi", "flask", "3.0.3", "r")),
        snap("staging", Dependency("pypi", "flask", "2.3.3", "s")),
    )
    assert [(f.rule, f.severity) for f in r.findings] == [("version-mismatch", "error")]
    assert "behind production" in r.findings[0].message


def test_image_drift_tag_digest_and_mutable() -> None:
    r = report_for(
        snap("production", img("1.0", "sha256:aa")), snap("staging", img("1.0", "sha256:bb"))
    )
    assert [(f.rule, f.severity) for f in r.findings] == [("image-drift", "error")]
    assert "digests differ" in r.findings[0].message
    r = report_for(snap("production", img("1.0")), snap("staging", img("1.1")))
    assert [(f.rule, f.severity) for f in r.findings] == [("image-drift", "warning")]
    r = report_for(snap("production", img("latest")), snap("staging", img("latest")))
    assert [(f.environment, f.subject) for f in r.findings] == [
        ("production", "image:k8s/Deployment/web:web#mutable-tag")
    ]
    r = report_for(
        snap("production", img("1.0", "sha256:aa")), snap("staging", img("1.0", "sha256:aa"))
    )
    assert r.findings == []


def test_secret_missing() -> None:
    ref = SecretRef("k8s/web", "stripe/key", "k8s-secret", "app.yaml", env_var="STRIPE")
    r = report_for(snap("production", ref), snap("staging"))
    assert rules_hit(r, "secret-missing") == [("staging", "secret-ref:k8s/web:stripe/key")]
    assert report_for(snap("production", ref), snap("staging", ref)).findings == []


def test_secret_shared_only_across_isolation_boundary() -> None:
    prod = snap("production", c("DB_PASSWORD", None, fingerprint=FP))
    r = report_for(prod, snap("staging", c("DB_PASSWORD", None, fingerprint=FP)))
    assert rules_hit(r, "secret-shared") == [("staging", "config:env:DB_PASSWORD")]
    other = FP[:-1] + "9"
    r = report_for(prod, snap("staging", c("DB_PASSWORD", None, fingerprint=other)))
    assert rules_hit(r, "secret-shared") == []
    r = report_for(prod, snap("canary", c("DB_PASSWORD", None, fingerprint=FP)))
    assert rules_hit(r, "secret-shared") == []  # canary is production-like


def test_plaintext_secret() -> None:
    prod = snap("production", c("API_KEY", None, ref="k8s-secret:stripe/key"))
    r = report_for(prod, snap("staging", c("API_KEY", None, fingerprint=FP)))
    assert rules_hit(r, "plaintext-secret") == [("staging", "config:env:API_KEY")]
    r = report_for(prod, snap("staging", c("API_KEY", None, ref="k8s-secret:other/key")))
    assert rules_hit(r, "plaintext-secret") == []


def test_cross_env_reference() -> None:
    r = report_for(
        snap("production", c("API", "https://api.prod.internal")),
        snap("staging", c("API", "https://api.prod.internal")),
    )
    assert rules_hit(r, "cross-env-reference") == [("staging", "config:env:API")]
    r = report_for(
        snap("production", c("API", "https://api.prod.internal")),
        snap("staging", c("API", "https://api.staging.internal")),
    )
    assert rules_hit(r, "cross-env-reference") == []


def test_unsafe_prod_value_only_in_production_like() -> None:
    bad = [
        c("DEBUG", "true"),
        c("NODE_ENV", "development"),
        c("CACHE", "redis://localhost:6379"),
        c("command", "uvicorn app:app --reload"),
        c("HOST", "0.0.0.0"),
    ]
    r = report_for(snap("production", *bad), snap("staging", *bad))
    assert sorted(rules_hit(r, "unsafe-prod-value")) == [
        ("production", "config:env:CACHE"),
        ("production", "config:env:DEBUG"),
        ("production", "config:env:NODE_ENV"),
        ("production", "config:env:command"),
    ]


def test_unset_required_key() -> None:
    req = [RequiredKey("NEEDED", "app.py:3"), RequiredKey("OPTIONAL", "app.py:4", has_default=True)]
    r = report_for(snap("production", c("NEEDED", "1"), *req), snap("staging", *req))
    assert rules_hit(r, "unset-required-key") == [("staging", "required-key:NEEDED")]
    file_only = ConfigEntry("cfg", "NEEDED", "1", "c.yaml")  # not an env var
    r = report_for(snap("production", c("NEEDED", "1"), *req), snap("staging", file_only, *req))
    assert rules_hit(r, "unset-required-key") == [("staging", "required-key:NEEDED")]


def test_contract_violation_regex_and_must_differ() -> None:
    policy = {
        "contracts": [
            {"keys": ["LOG_LEVEL"], "regex": {"prod*": "^(INFO|WARN)$"}},
            {"keys": ["SESSION_SECRET"], "rule": "must-differ"},
        ]
    }
    prod = snap("production", c("LOG_LEVEL", "DEBUG"), c("SESSION_SECRET", None, fingerprint=FP))
    stg = snap("staging", c("LOG_LEVEL", "DEBUG"), c("SESSION_SECRET", None, fingerprint=FP))
    r = report_for(prod, stg, policy=policy)
    assert sorted(rules_hit(r, "contract-violation")) == [
        ("production", "config:env:LOG_LEVEL"),
        ("staging", "config:env:SESSION_SECRET"),
    ]


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
    assert pair["staging"].score == 50.0  # one error over two subjects
    assert pair["staging"].categories["config"] == 50.0
    assert r.score.overall == 50.0


def test_data_volume_ratio() -> None:
    from parity.model import DataVolume

    def vol(n: float, key: str = "orders:items") -> DataVolume:
        return DataVolume("aws-dynamodb", key, n, "items", False, "dynamodb:orders")

    r = report_for(
        snap("production", vol(10_000), vol(50, "users:items")), snap("staging", vol(100))
    )
    hits = {f.subject: f.message for f in r.findings if f.rule == "data-volume-ratio"}
    assert set(hits) == {
        "data-volume:aws-dynamodb:orders:items",
        "data-volume:aws-dynamodb:users:items",
    }
    assert "1.0% of production" in hits["data-volume:aws-dynamodb:orders:items"]
    assert "absent" in hits["data-volume:aws-dynamodb:users:items"]
    r = report_for(snap("production", vol(10_000)), snap("staging", vol(2_000)))
    assert rules_hit(r, "data-volume-ratio") == []
    r = report_for(
        snap("production", vol(10_000)),
        snap("staging", vol(100)),
        policy={"data_volume_min_ratio": 0.005},
    )
    assert rules_hit(r, "data-volume-ratio") == []


def test_runtime_versions_and_names_with_env_tokens_align() -> None:
    assert version_level("aws-lambda-runtime", "python3.12", "python3.11") == "minor"
    assert version_level("aws-lambda-runtime", "nodejs20.x", "nodejs18.x") == "major"
    assert version_level("aws-lambda-runtime", "python3.12", "nodejs20.x") == "other"
    prod = snap("production", Dependency("aws-lambda-runtime", "shop-prod-api", "python3.12", "l"))
    stg = snap("staging", Dependency("aws-lambda-runtime", "shop-staging-api", "python3.11", "l"))
    r = report_for(prod, stg)
    assert [(f.rule, f.subject) for f in r.findings] == [
        ("version-mismatch", "dependency:aws-lambda-runtime:shop-staging-api")
    ]


def test_same_ecr_image_in_two_accounts_is_not_drift() -> None:
    def ecr(acct: str, digest: str) -> Image:
        return Image(
            "ecs/shop/web",
            "web",
            f"{acct}.dkr.ecr.eu-west-1.amazonaws.com/shop/web",
            "1.4",
            digest,
            "ecs",
        )

    same = report_for(
        snap("production", ecr("111111111111", "sha256:aa")),
        snap("staging", ecr("222222222222", "sha256:aa")),
    )
    assert same.findings == []
    moved = report_for(
        snap("production", ecr("111111111111", "sha256:aa")),
        snap("staging", ecr("222222222222", "sha256:bb")),
    )
    assert [(f.rule, f.severity) for f in moved.findings] == [("image-drift", "error")]
