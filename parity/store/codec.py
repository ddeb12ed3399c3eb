"""The snapshot file format: canonical JSON, version-checked loading, upgraders.

Each older schema_version has an upgrader to the next, so snapshots saved by an older parity
stay readable (a nightly history spans upgrades); a newer version is refused, never misread.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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


_V1_BACKENDS = {
    "k8s-secret": "k8s-secret",
    "k8s-configmap": "k8s-configmap",
    "aws-ssm-secure": "aws-ssm",
}


def _upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v1 -> v2: config records' free-string `ref` ("k8s-secret:db/pw") became a typed
    `value_ref` {backend, name}."""
    records = []
    for raw in data.get("records") or []:
        if isinstance(raw, dict) and raw.get("kind") == "config" and "ref" in raw:
            raw = dict(raw)
            prefix, _, name = str(raw.pop("ref")).partition(":")
            backend = _V1_BACKENDS.get(prefix)
            if backend is None:  # "aws-secret:" held both SSM parameters and secrets
                backend = "aws-ssm" if name.startswith("parameter") else "aws-secretsmanager"
            raw["value_ref"] = {"backend": backend, "name": name}
        records.append(raw)
    return {**data, "records": records, "schema_version": 2}


UPGRADERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_v1}


def parse_json_file(text: str, where: str, what: str) -> Any:
    """JSON text of a parity file (snapshot, report) as data; errors name where, not text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise SnapshotError(f"{where}:{e.lineno}: invalid JSON: {e.msg}") from e
    except RecursionError as e:
        raise SnapshotError(f"{where}: nested too deeply to be a parity {what}") from e
    check_encodable(data, text, where)
    return data


def snapshot_from_text(text: str, where: str) -> Snapshot:
    """Parse and validate a snapshot file's text."""
    return snapshot_from_data(parse_json_file(text, where, "snapshot"), where)


def check_encodable(data: Any, text: str, where: str) -> None:
    """Lone surrogates (`\\ud800`) parse as JSON but cannot be written back as UTF-8:
    refuse them on load instead of failing while rendering a report."""
    if "\\ud" not in text.lower():
        return
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as e:
        raise SnapshotError(f"{where}: contains an invalid (surrogate) character") from e


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
    while version < SNAPSHOT_SCHEMA_VERSION:
        if version not in UPGRADERS:
            raise SnapshotError(f"{where}: snapshot schema_version {version} is not supported")
        data = UPGRADERS[version](data)
        version = data["schema_version"]
    raw_records = data.get("records") or []
    if not isinstance(raw_records, list):
        raise SnapshotError(f"{where}: records must be a list")
    records = []
    for i, raw in enumerate(raw_records):
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
