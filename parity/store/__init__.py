"""Storage: snapshot files, the snapshot and audit history, and files parity writes.

`objects` is the one store abstraction (immutable named objects in a directory or under an S3
prefix, created exclusively); `history` builds the snapshot/audit history on it; `codec` is the
snapshot file format (canonical JSON, versioned, upgraded on read); `fs` reads snapshot files
and directories and writes outputs atomically.

Contract: nothing stored is ever half-written or silently overwritten; a corrupted object is an
error naming it, never half-read.
"""

from __future__ import annotations

from .codec import snapshot_from_data, snapshot_from_text, snapshot_to_json
from .fs import atomic_write, load_directory, load_snapshot, write_output

__all__ = [
    "atomic_write",
    "load_directory",
    "load_snapshot",
    "snapshot_from_data",
    "snapshot_from_text",
    "snapshot_to_json",
    "write_output",
]
