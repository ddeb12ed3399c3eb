"""Secret rules: a case that fires and a close case that must not."""

from __future__ import annotations

from parity.model import (
    RefBackend,
    SecretRef,
    ValueRef,
)

from conftest import FP, c, report_for, rules_hit, snap


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
    prod = snap(
        "production", c("API_KEY", None, value_ref=ValueRef(RefBackend.K8S_SECRET, "stripe/key"))
    )
    r = report_for(prod, snap("staging", c("API_KEY", None, fingerprint=FP)))
    assert rules_hit(r, "plaintext-secret") == [("staging", "config:env:API_KEY")]
    r = report_for(
        prod,
        snap("staging", c("API_KEY", None, value_ref=ValueRef(RefBackend.K8S_SECRET, "other/key"))),
    )
    assert rules_hit(r, "plaintext-secret") == []


def test_loopback_served_by_a_sidecar_is_not_unsafe() -> None:
    from parity.model import Image

    def pod(with_proxy: bool) -> list[object]:
        recs: list[object] = [
            Image("k8s/Deployment/api", "api", "acme/api", "1.0", None, "m"),
            c("DB_HOST", "postgres://127.0.0.1:5432/app", scope="k8s/Deployment/api/api"),
        ]
        if with_proxy:
            recs.append(
                Image(
                    "k8s/Deployment/api",
                    "cloud-sql-proxy",
                    "gcr.io/x/cloud-sql-proxy",
                    "2",
                    None,
                    "m",
                )
            )
        return recs

    assert rules_hit(report_for(snap("production", *pod(True))), "unsafe-prod-value") == []
    alone = report_for(snap("production", *pod(False)))
    assert rules_hit(alone, "unsafe-prod-value") == [
        ("production", "config:k8s/Deployment/api/api:DB_HOST")
    ]


def test_placeholders_error_in_production_warn_elsewhere() -> None:
    prod = snap("production", c("SMTP_HOST", "smtp.acme.io"), c("API_KEY", "<your-api-key>"))
    stg = snap("staging", c("SMTP_HOST", "smtp.example.com"), c("API_KEY", "<your-api-key>"))
    r = report_for(prod, stg)
    got = sorted(
        (f.environment, f.subject, f.severity) for f in r.findings if f.rule == "placeholder-value"
    )
    assert got == [
        ("production", "config:env:API_KEY", "error"),
        ("staging", "config:env:SMTP_HOST", "warning"),
    ]
