"""Snapshot storage: the interface, the local-directory store and the snapshot file codec."""

from __future__ import annotations

from .codec import snapshot_from_data, snapshot_from_text, snapshot_to_json
from .fs import FsStore, atomic_write, load_snapshot, write_output
from .interface import SnapshotStore

__all__ = [
    "FsStore",
    "SnapshotStore",
    "atomic_write",
    "load_snapshot",
    "snapshot_from_data",
    "snapshot_from_text",
    "snapshot_to_json",
    "write_output",
]
