"""Snapshot history: local directory and S3 (moto over real HTTP), concurrent writers,
corruption detection, spec resolution and retention."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from parity.errors import ConfigError, SnapshotError
from parity.model import ConfigEntry, Snapshot
from parity.store.history import History
from parity.store.objects import LocalObjects, S3Objects, open_store

T0 = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def night(env: str, day: int, value: str = "1") -> Snapshot:
    return Snapshot(
        environment=env,
        collected_at=T0 + timedelta(days=day),
        parity_version="test",
        records=(ConfigEntry("app", "WORKERS", value, ".env:1", env_var=True),),
    )


def test_save_list_resolve(tmp_path: Path) -> None:
    h = History(LocalObjects(tmp_path / "store"))
    for day in range(3):
        h.save(night("production", day, str(day)))
    h.save(night("staging", 0))
    assert h.environments() == ["production", "staging"]
    entries = h.entries("production")
    assert [e.collected_at.day for e in entries] == [1, 2, 3]
    assert entries[0].records == 1 and entries[0].complete
    value = lambda s: s.records[0].value  # noqa: E731
    assert value(h.resolve("production@latest")) == "2"
    assert value(h.resolve("production@latest~2")) == "0"
    assert value(h.resolve("production@2026-11-02")) == "1"
    for bad, err in (
        ("production@latest~3", SnapshotError),
        ("production@2026-10-01", SnapshotError),
        ("nope@latest", SnapshotError),
        ("production@yesterday", ConfigError),
    ):
        with pytest.raises(err):
            h.resolve(bad)


def test_corrupted_or_truncated_object_is_detected(tmp_path: Path) -> None:
    h = History(LocalObjects(tmp_path))
    entry = h.save(night("production", 0))
    path = tmp_path / entry.key
    path.write_bytes(path.read_bytes()[:-10])  # truncated
    with pytest.raises(SnapshotError, match="checksum mismatch"):
        h.resolve("production@latest")


def test_retention_never_deletes_the_latest(tmp_path: Path) -> None:
    h = History(LocalObjects(tmp_path))
    for day in range(5):
        h.save(night("production", day))
    h.save(night("staging", 0))
    gone = h.prune(keep=2, keep_days=None, now=T0 + timedelta(days=10))
    assert len(gone) == 3 and len(h.entries("production")) == 2
    gone = h.prune(keep=None, keep_days=1, now=T0 + timedelta(days=100))
    assert [e.environment for e in gone] == ["production"]  # staging's only one stays
    assert len(h.entries("production")) == 1 and len(h.entries("staging")) == 1
    assert not [p for p in (tmp_path / "snapshots").rglob("*") if p.is_file()][2:]


def writers_at_once(h: History, n: int = 8) -> None:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait()
            h.save(night("production", 0, value=f"writer-{i}"))
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_concurrent_writers_never_clobber_each_other(tmp_path: Path) -> None:
    h = History(LocalObjects(tmp_path))
    writers_at_once(h)
    # same collection time, different content: every writer's snapshot is there
    values = {h.load(e).records[0].value for e in h.entries("production")}
    assert values == {f"writer-{i}" for i in range(8)}


@pytest.fixture
def s3_store(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("PARITY_S3_ENDPOINT_URL", moto_endpoint)
    bucket = f"audits-{datetime.now().strftime('%H%M%S%f')}"
    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return open_store(f"s3://{bucket}/shop", Path("."))


def test_s3_store_round_trip_and_concurrent_writers(s3_store: S3Objects) -> None:
    h = History(s3_store)
    for day in range(3):
        h.save(night("production", day, str(day)))
    assert h.resolve("production@latest~1").records[0].value == "1"
    writers_at_once(h)
    assert len(h.entries("production")) == 3 + 8
    assert s3_store.create(h.entries("production")[0].key, b"other") is False  # exclusive
    key = h.save_audit('{"x": 1}', T0)
    assert h.read_audit(key) == '{"x": 1}'


def test_s3_failures_are_snapshot_errors(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("PARITY_S3_ENDPOINT_URL", moto_endpoint)
    with pytest.raises(SnapshotError, match=r"no-such-bucket.*NoSuchBucket"):
        History(open_store("s3://no-such-bucket/x", Path("."))).environments()
    monkeypatch.setenv("PARITY_S3_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens
    with pytest.raises(SnapshotError, match="EndpointConnectionError"):
        History(open_store("s3://b/x", Path("."))).save(night("production", 0))
