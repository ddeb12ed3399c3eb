"""Snapshots: canonical JSON round trip, atomic writes, version and corruption checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parity.errors import SnapshotError
from parity.model import (
    SNAPSHOT_SCHEMA_VERSION,
    CollectionError,
    ConfigEntry,
    Dependency,
    Image,
    RefBackend,
    RequiredKey,
    SecretRef,
    ValueRef,
    record_sort_key,
)
from parity.store import atomic_write, load_snapshot, snapshot_to_json

from conftest import snap

RECORDS = (
    ConfigEntry("env", "B", "2", ".env:2", env_var=True, structured={"x": [1]}),
    ConfigEntry("env", "A", None, ".env:1", fingerprint="hmac-sha256:abcd1234:" + "f" * 32),
    Dependency("pypi", "flask", "3.0.3", "req.txt:1"),
    Image("compose/web", "web", "acme/web", None, "sha256:aa", "c.yml"),
    SecretRef("k8s/web", "db/pw", "k8s-secret", "k.yaml", env_var="PW"),
    RequiredKey("A", "app.py:3", has_default=True),
)


def test_round_trip_is_canonical(tmp_path: Path) -> None:
    err = CollectionError(environment="p", collector="dotenv", source="x", message="m")
    original = snap("production", *reversed(RECORDS), errors=(err,))
    text = snapshot_to_json(original)
    path = tmp_path / "s.json"
    atomic_write(path, text)
    loaded = load_snapshot(path)
    assert sorted(loaded.records, key=record_sort_key) == sorted(RECORDS, key=record_sort_key)
    assert {type(r) for r in loaded.records} == {type(r) for r in RECORDS}
    assert loaded.errors == (err,)
    assert snapshot_to_json(loaded) == text
    assert snapshot_to_json(snap("production", *RECORDS, errors=(err,))) == text


def test_v1_snapshot_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "v1.json"
    v1 = {
        "schema_version": 1,
        "environment": "staging",
        "collected_at": "2026-01-01T00:00:00Z",
        "parity_version": "0.1.0",
        "records": [
            {
                "kind": "config",
                "scope": "k8s/web",
                "key": "PW",
                "value": None,
                "source": "a",
                "ref": "k8s-secret:db/password",
            },
            {
                "kind": "config",
                "scope": "ecs/web",
                "key": "DB",
                "value": None,
                "source": "b",
                "ref": "aws-secret:parameter/shop/DB",
            },
        ],
    }
    path.write_text(json.dumps(v1))
    records = load_snapshot(path).records
    assert [r.value_ref for r in records] == [
        ValueRef(RefBackend.K8S_SECRET, "db/password"),
        ValueRef(RefBackend.AWS_SSM, "parameter/shop/DB"),
    ]
    assert records[0].value_ref.secret


def test_newer_version_and_corrupt_files_are_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    data = json.loads(snapshot_to_json(snap("production", *RECORDS)))
    path.write_text(json.dumps({**data, "schema_version": SNAPSHOT_SCHEMA_VERSION + 1}))
    with pytest.raises(SnapshotError, match="newer than this parity"):
        load_snapshot(path)
    path.write_text(json.dumps({**data, "records": [{"kind": "bogus"}]}))
    with pytest.raises(SnapshotError, match=r"records\[0\]: unknown record kind"):
        load_snapshot(path)
    path.write_text('{"schema_version": 1,\n "environment": ')
    with pytest.raises(SnapshotError, match=r"s.json:2: invalid JSON"):
        load_snapshot(path)


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("old")

    with pytest.raises(TypeError):
        atomic_write(path, 12345)  # type: ignore[arg-type]
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]
