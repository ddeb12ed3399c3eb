"""Dependency rules: a case that fires and a close case that must not."""

from __future__ import annotations

from parity.model import (
    Dependency,
)
from parity.policies.rules.dependencies import version_level

from conftest import report_for, rules_hit, snap


def test_missing_dependency() -> None:
    r = report_for(snap("production", Dependency("pypi", "x", "1.0", "r")), snap("staging"))
    assert rules_hit(r, "missing-dependency") == [("staging", "dependency:pypi:x")]
    r2 = report_for(
        snap("production", Dependency("pypi", "x", "1.0", "r")),
        snap("staging", Dependency("pypi", "x", "1.0", "s")),
    )
    assert rules_hit(r2, "missing-dependency") == []


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
