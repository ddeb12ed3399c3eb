"""What a database's catalog says, dialect-neutral, and its pure transform into records.

Catalog rows are NamedTuples (immutable like the records they become; a frozen dataclass costs
six times as much to define, paid on every gate that reads a database).

Each dialect module *gets* a Catalog through catalog queries (never a table scan unless exact
counts were asked for); `transform` turns it into records and is unit-tested on canned
catalogs in tests/data/sql/, so what parity concludes does not depend on a server being up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from parity.model import DataVolume, Dependency, MigrationHead, Record, SchemaObject
from parity.secrets.classify import classify, redact_text

if TYPE_CHECKING:
    from ..interface import CollectContext


class TableStat(NamedTuple):
    """Volume of one table; `exact` is False for catalog estimates and capped counts."""

    schema: str
    name: str
    rows: float
    bytes: float | None
    exact: bool


class Column(NamedTuple):
    """One column as the catalog describes it."""

    schema: str
    table: str
    name: str
    type: str
    nullable: bool
    default: str | None = None


class Index(NamedTuple):
    """A plain index (indexes that back a constraint are reported as the constraint)."""

    schema: str
    table: str
    name: str
    definition: str


class Constraint(NamedTuple):
    """A primary key, unique, foreign key or check constraint."""

    schema: str
    table: str
    name: str
    definition: str


class Migration(NamedTuple):
    """The head of one migration tool (see parity.model.MigrationHead)."""

    key: str
    version: str
    applied: int
    table: str


@dataclass(frozen=True)
class Catalog:
    """Everything read from one database, before it becomes records."""

    product: str  # postgresql, mariadb, mysql, sqlite
    version: str
    settings: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)
    tables: tuple[TableStat, ...] = ()
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    migrations: tuple[Migration, ...] = ()
    file_bytes: float | None = None  # SQLite: the whole file, as no per-table size is cheap


TOTAL = "(all tables)"


def qualified(*parts: str) -> str:
    """`public.orders.email`; MySQL and SQLite objects carry no schema (one per database, and
    its name is per-environment configuration, not identity)."""
    return ".".join(p for p in parts if p)


def _column_definition(c: Column) -> str:
    out = c.type.lower()
    if not c.nullable:
        out += " not null"
    if c.default is not None:
        out += f" default {catalog_text(c.name, c.default)}"
    return out


_LITERAL = re.compile(r"'((?:[^']|'')*)'")


def catalog_text(name: str, text: str) -> str:
    """Catalog text (a column default, a check's expression) with every string literal the
    classifier finds secret — by the column's name or by its shape — redacted, before it
    reaches the schema's readable parts (`DEFAULT 'sk_live_…'`)."""

    def sub(m: re.Match[str]) -> str:
        literal = m.group(1).replace("''", "'")
        verdict = classify(name, literal)
        return "'***'" if verdict.secrets else m.group(0)

    return redact_text(_LITERAL.sub(sub, text))


def _digest(objects: list[SchemaObject]) -> str:
    """One hash of the whole schema (tables, columns, indexes, constraints), for tools and
    dashboards that only ask "same schema?"; the rules explain differences from the parts."""
    import hashlib

    h = hashlib.sha256()
    for o in sorted(objects, key=lambda o: o.key):
        h.update(f"{o.key}\x1f{o.definition}\x1e".encode())
    return h.hexdigest()


def transform(catalog: Catalog, scope: str, location: str, ctx: CollectContext) -> list[Record]:
    """Records for one database source: server and extension versions as dependencies,
    non-default settings as configuration, per-table volume, schema structure, migration
    heads. Settings go through the shared secret classifier like any other value."""
    out: list[Record] = [Dependency(catalog.product, scope, catalog.version, location)]
    out += [
        Dependency(f"{catalog.product}-extension", f"{scope}/{name}", version, location)
        for name, version in sorted(catalog.extensions.items())
    ]
    out += [
        ctx.config_entry(f"{scope}/settings", name, value, location)
        for name, value in sorted(catalog.settings.items())
    ]
    rows = size = 0.0
    rows_exact = size_known = True
    for t in sorted(catalog.tables, key=lambda t: (t.schema, t.name)):
        name = qualified(t.schema, t.name)
        out.append(DataVolume(scope, f"{name}:rows", t.rows, "rows", t.exact, location))
        rows += t.rows
        rows_exact = rows_exact and t.exact
        if t.bytes is not None:
            out.append(DataVolume(scope, f"{name}:bytes", t.bytes, "bytes", False, location))
            size += t.bytes
        else:
            size_known = False
    if catalog.tables:
        out.append(DataVolume(scope, f"{TOTAL}:rows", rows, "rows", rows_exact, location))
        total = size if size_known else catalog.file_bytes
        if total is not None:
            out.append(DataVolume(scope, f"{TOTAL}:bytes", total, "bytes", False, location))
    for t in catalog.tables:
        out.append(
            SchemaObject(scope, f"table {qualified(t.schema, t.name)}", "table", "", location)
        )
    for c in catalog.columns:
        key = f"column {qualified(c.schema, c.table, c.name)}"
        out.append(SchemaObject(scope, key, "column", _column_definition(c), location))
    for i in catalog.indexes:
        key = f"index {qualified(i.schema, i.table, i.name)}"
        out.append(SchemaObject(scope, key, "index", catalog_text(i.name, i.definition), location))
    for k in catalog.constraints:
        key = f"constraint {qualified(k.schema, k.table, k.name)}"
        definition = catalog_text(k.name, k.definition)
        out.append(SchemaObject(scope, key, "constraint", definition, location))
    schema = [r for r in out if isinstance(r, SchemaObject)]
    out.append(SchemaObject(scope, "schema sha256", "digest", _digest(schema), location))
    out += [
        MigrationHead(scope, m.key, m.version, m.applied, f"{location} ({m.table})")
        for m in sorted(catalog.migrations, key=lambda m: m.key)
    ]
    return out
