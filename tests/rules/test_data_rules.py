"""Data rules: a case that fires and a close case that must not."""

from __future__ import annotations

from parity.model import (
    DataVolume,
)

from conftest import report_for, rules_hit, snap


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
