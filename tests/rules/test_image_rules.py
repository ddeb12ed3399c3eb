"""Image rules: a case that fires and a close case that must not."""

from __future__ import annotations

from parity.model import (
    Image,
)

from conftest import c, img, report_for, snap


def test_moved_tag_is_an_error() -> None:
    r = report_for(
        snap("production", img("1.0", "sha256:aa")), snap("staging", img("1.0", "sha256:bb"))
    )
    assert [(f.rule, f.severity) for f in r.findings] == [("image-drift", "error")]
    assert "digests differ" in r.findings[0].message


def test_other_tag_is_a_warning() -> None:
    r = report_for(snap("production", img("1.0")), snap("staging", img("1.1")))
    assert [(f.rule, f.severity) for f in r.findings] == [("image-drift", "warning")]


def test_mutable_tag_only_in_production_like_envs() -> None:
    r = report_for(snap("production", img("latest")), snap("staging", img("latest")))
    assert [(f.environment, f.subject) for f in r.findings] == [
        ("production", "image:k8s/Deployment/web:web#mutable-tag")
    ]


def test_same_tag_and_digest_is_silent() -> None:
    r = report_for(
        snap("production", img("1.0", "sha256:aa")), snap("staging", img("1.0", "sha256:aa"))
    )
    assert r.findings == []


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


def test_images_held_in_config_values_get_image_semantics() -> None:
    prod = snap(
        "production",
        c("SNUBA_IMAGE", "getsentry/snuba:24.1.0"),
        c("image.tag", "1.4.0", scope="values"),
    )
    stg = snap(
        "staging",
        c("SNUBA_IMAGE", "getsentry/snuba:24.2.0"),
        c("image.tag", "1.4.1", scope="values"),
    )
    r = report_for(prod, stg)
    assert sorted(f.rule for f in r.findings) == ["image-drift", "image-drift"]  # no value-drift


def test_mutable_tag_in_a_config_value_of_a_production_like_env() -> None:
    r = report_for(snap("production", c("image.tag", "latest", scope="values")))
    assert [(f.rule, f.severity) for f in r.findings] == [("image-drift", "error")]
    assert "mutable tag latest" in r.findings[0].message
