"""Canonical JSON for snapshots and reports, atomic writes, and version-checked loading."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from parity.errors import SnapshotError
from parity.model import (
    RECORD_TYPES,
    SNAPSHOT_SCHEMA_VERSION,
    Snapshot,
    record_sort_key,
    record_to_dict,
)

_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def atomic_write(path: Path, text: str) -> None:
    """Write via a temp file in the same directory and rename: readers never see half a file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def snapshot_to_json(snapshot: Snapshot) -> str:
    """Canonical form: sorted keys, records in identity order, one record per line."""
    head = snapshot.model_dump(mode="json", exclude={"records"})
    records = sorted(snapshot.records, key=record_sort_key)
    lines = [json.dumps(record_to_dict(r), sort_keys=True, ensure_ascii=False) for r in records]
    head_text = json.dumps(head, sort_keys=True, indent=2, ensure_ascii=False)
    body = ",\n    ".join(lines)
    return (
        head_text[:-2] + f',\n  "records": [\n    {body}\n  ]\n}}\n'
        if lines
        else (head_text[:-2] + ',\n  "records": []\n}\n')
    )


def _adapter(kind: str) -> TypeAdapter[Any]:
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(RECORD_TYPES[kind])
    return _ADAPTERS[kind]


def snapshot_from_data(data: Any, where: str) -> Snapshot:
    """Validate a parsed snapshot; refuse files from a newer parity instead of misreading them."""
    if not isinstance(data, dict):
        raise SnapshotError(f"{where}: not a parity snapshot (expected a JSON object)")
    version = data.get("schema_version")
    if not isinstance(version, int):
        raise SnapshotError(f"{where}: not a parity snapshot (no schema_version)")
    if version > SNAPSHOT_SCHEMA_VERSION:
        raise SnapshotError(
            f"{where}: snapshot schema_version {version} is newer than this parity understands "
            f"({SNAPSHOT_SCHEMA_VERSION})",
            hint="upgrade parity to read it",
        )
    records = []
    for i, raw in enumerate(data.get("records") or []):
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in RECORD_TYPES:
            raise SnapshotError(f"{where}: records[{i}]: unknown record kind {kind!r}")
        body = {k: v for k, v in raw.items() if k != "kind"}
        try:
            records.append(_adapter(kind).validate_python(body))
        except ValidationError as e:
            raise SnapshotError(f"{where}: records[{i}]: {e.errors()[0]['msg']}") from e
    try:
        return Snapshot.model_validate({**data, "records": tuple(records)})
    except ValidationError as e:
        first = e.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise SnapshotError(f"{where}: {loc}: {first['msg']}") from e


def load_snapshot(path: Path) -> Snapshot:
    """Read a snapshot file written by `parity snapshot`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise SnapshotError(f"cannot read snapshot {path}: {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise SnapshotError(f"{path}:{e.lineno}: invalid JSON: {e.msg}") from e
    return snapshot_from_data(data, str(path))
