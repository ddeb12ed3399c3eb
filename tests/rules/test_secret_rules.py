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
