"""Snapshot model: what a collector saw in one environment, in a form that diffs cheaply.

Records (parity.model.records, parity.model.database) are NamedTuples; the snapshot around them,
the findings and the report (parity.model.findings) are frozen pydantic models with a published
schema; parity.model.rules holds what a rule is (its spec) and what waives a finding.

Every record class describes itself — its kind, the category it is scored under, the fields
whose difference makes two aligned records "changed", and whether its names embed environment
names — so adding a kind is one class plus one line in RECORD_TYPES; the diff engine and the
scores derive everything else from the registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from .database import MigrationHead, SchemaObject
from .records import (
    ConfigEntry,
    DataVolume,
    Dependency,
    Image,
    Kind,
    RefBackend,
    RequiredKey,
    SecretRef,
    ValueRef,
)

__all__ = [
    "RECORD_TYPES",
    "ConfigEntry",
    "DataVolume",
    "Dependency",
    "Image",
    "Kind",
    "MigrationHead",
    "Record",
    "RefBackend",
    "RequiredKey",
    "SchemaObject",
    "SecretRef",
    "Snapshot",
    "ValueRef",
]

SNAPSHOT_SCHEMA_VERSION = 2

Record = (
    ConfigEntry | Dependency | Image | SecretRef | RequiredKey | DataVolume | SchemaObject
) | MigrationHead
RecordType = (
    type[ConfigEntry]
    | type[Dependency]
    | type[Image]
    | type[SecretRef]
    | type[RequiredKey]
    | type[DataVolume]
    | type[SchemaObject]
    | type[MigrationHead]
)
# `identity` names the (group, key) fields; a single field means one group per environment.
# The one registry of record kinds: everything per-kind elsewhere is derived from it.
RECORD_TYPES: dict[str, RecordType] = {
    t.kind.value: t
    for t in (
        ConfigEntry,
        Dependency,
        Image,
        SecretRef,
        RequiredKey,
        DataVolume,
        SchemaObject,
        MigrationHead,
    )
}
CATEGORY_OF_KIND: dict[str, str] = {k: t.category for k, t in RECORD_TYPES.items()}
NAMED_KINDS: frozenset[str] = frozenset(k for k, t in RECORD_TYPES.items() if t.named)
_DEFAULTS: dict[str, dict[str, Any]] = {k: t._field_defaults for k, t in RECORD_TYPES.items()}


def record_to_dict(record: Record) -> dict[str, Any]:
    """Serialize a record, leaving out fields at their default so snapshots stay small."""
    defaults = _DEFAULTS[record.kind.value]
    out: dict[str, Any] = {"kind": record.kind.value}
    for name, value in zip(record._fields, record, strict=True):
        if name in defaults and value == defaults[name]:
            continue
        out[name] = value._asdict() if isinstance(value, ValueRef) else value
    return out


def record_groups(records: Iterable[Record]) -> tuple[str, ...]:
    """The `kind:scope` groups of a source's records (a million records in one C-level pass:
    the group is the class and, for scoped kinds, the first field)."""
    records = list(records)
    seen: set[tuple[RecordType, str]] = set(
        zip(map(type, records), map(itemgetter(0), records), strict=True)
    )
    out = {f"{cls.kind.value}:{first if len(cls.identity) == 2 else ''}" for cls, first in seen}
    return tuple(sorted(out))


def record_sort_key(record: Record) -> tuple[str, str, str]:
    """Deterministic record order so canonical JSON is byte-stable."""
    kind, scope = record.group
    return (kind, scope, record.key)


class SourceInfo(BaseModel):
    """One configured source as it was collected (no option values: they may hold DSNs)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(description="Collector type, e.g. `dotenv`.")
    name: str = Field(description="Source name; the scope records of this source align under.")
    location: str = Field(description="Path or endpoint read, without credentials.")
    groups: tuple[str, ...] = Field(
        default=(),
        description="`kind:scope` record groups the source produced: when the same source "
        "fails in another environment, these are what cannot be compared.",
    )


class CollectionError(BaseModel):
    """A source that could not be read: data in the snapshot, so the audit fails closed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    environment: str = Field(description="Environment whose source failed.")
    collector: str = Field(description="Collector type that failed.")
    source: str = Field(description="Source name and location.")
    scope: str | None = Field(default=None, description="Scope the source's records use.")
    message: str = Field(description="What went wrong (never contains a secret value).")
    hint: str | None = Field(default=None, description="What to do about it.")


class Notice(BaseModel):
    """A non-fatal observation made while collecting (e.g. a key defined twice)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="Machine-readable notice code, e.g. `duplicate-key`.")
    subject: str = Field(description="What it is about, e.g. the key.")
    source: str = Field(description="Where, as path:line.")
    message: str = Field(description="Human explanation.")


class Snapshot(BaseModel):
    """Everything collected for one environment at one moment."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    schema_version: int = Field(
        default=SNAPSHOT_SCHEMA_VERSION, description="Snapshot file format version."
    )
    environment: str = Field(description="Environment name as configured.")
    collected_at: datetime = Field(description="When collection started (UTC).")
    parity_version: str = Field(description="Version of parity that collected it.")
    sources: tuple[SourceInfo, ...] = Field(default=(), description="Sources collected.")
    records: Annotated[tuple[Any, ...], SkipValidation] = Field(
        default=(), description="Collected records (see RECORD_TYPES)."
    )
    errors: tuple[CollectionError, ...] = Field(default=(), description="Sources that failed.")
    notices: tuple[Notice, ...] = Field(default=(), description="Non-fatal observations.")

    @property
    def complete(self) -> bool:
        """False when any source failed: findings may then be missing."""
        return not self.errors
