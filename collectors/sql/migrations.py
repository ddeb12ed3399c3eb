"""Migration heads, read from whichever migration tools' tables exist.

Each tool is one entry in a registry: the table it keeps and a bounded aggregate query (the
tables are small, but an aggregate keeps the cost flat either way). The same SQL runs on
PostgreSQL, MySQL/MariaDB and SQLite; only the quoting of the table name differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .catalog import Column, Migration, TableStat

Fetch = Callable[[str], Sequence[Sequence[Any]]]
Reader = Callable[[Fetch, str, frozenset[str]], list[tuple[str, str, int]]]


def _alembic(fetch: Fetch, table: str, columns: frozenset[str]) -> list[tuple[str, str, int]]:
    heads = sorted(str(r[0]) for r in fetch(f"SELECT version_num FROM {table}"))
    return [("alembic", ",".join(heads), 0)] if heads else []


def _django(fetch: Fetch, table: str, columns: frozenset[str]) -> list[tuple[str, str, int]]:
    rows = fetch(f"SELECT app, MAX(name), COUNT(*) FROM {table} GROUP BY app")
    return [(f"django:{app}", str(name), int(n)) for app, name, n in rows]


def _flyway(fetch: Fetch, table: str, columns: frozenset[str]) -> list[tuple[str, str, int]]:
    head = fetch(
        f"SELECT version FROM {table} WHERE success AND version IS NOT NULL "
        "ORDER BY installed_rank DESC LIMIT 1"
    )
    count = fetch(f"SELECT COUNT(*) FROM {table} WHERE success AND version IS NOT NULL")
    return [("flyway", str(head[0][0]), int(count[0][0]))] if head else []


def _schema_migrations(
    fetch: Fetch, table: str, columns: frozenset[str]
) -> list[tuple[str, str, int]]:
    # Rails keeps one row per applied version; golang-migrate keeps one row (version, dirty).
    rows = fetch(f"SELECT MAX(version), COUNT(*) FROM {table}")
    if not rows or rows[0][0] is None:
        return []
    version, count = str(rows[0][0]), int(rows[0][1])
    if "dirty" in columns and int(fetch(f"SELECT COUNT(*) FROM {table} WHERE dirty")[0][0]):
        version += " (dirty)"  # golang-migrate: a failed migration left the schema half-done
    return [("schema_migrations", version, count)]


def _liquibase(fetch: Fetch, table: str, columns: frozenset[str]) -> list[tuple[str, str, int]]:
    head = fetch(f"SELECT id, filename FROM {table} ORDER BY orderexecuted DESC LIMIT 1")
    count = fetch(f"SELECT COUNT(*) FROM {table}")
    return [("liquibase", f"{head[0][1]}::{head[0][0]}", int(count[0][0]))] if head else []


# table name (lower case) -> reader
TOOLS: dict[str, Reader] = {
    "alembic_version": _alembic,
    "django_migrations": _django,
    "flyway_schema_history": _flyway,
    "schema_migrations": _schema_migrations,
    "databasechangelog": _liquibase,
}


def read_migrations(fetch: Fetch, tables: dict[str, tuple[str, frozenset[str]]]) -> list[Migration]:
    """Heads of every tool whose table exists; `tables` maps a lower-case table name to its
    quoted, qualified name as the dialect writes it and its lower-case column names."""
    out: list[Migration] = []
    for name, reader in TOOLS.items():
        if name in tables:
            qualified, columns = tables[name]
            out += [Migration(k, v, n, name) for k, v, n in reader(fetch, qualified, columns)]
    return out


def locate(
    tables: Iterable[TableStat], columns: Iterable[Column], quote: Callable[[str, str], str]
) -> dict[str, tuple[str, frozenset[str]]]:
    """The migration tools' tables among a database's tables (first schema wins), each with
    its quoted name and column names, ready for `read_migrations`."""
    found: dict[str, tuple[str, frozenset[str]]] = {}
    wanted = {(t.schema, t.name) for t in tables if t.name.lower() in TOOLS}
    cols: dict[tuple[str, str], set[str]] = {w: set() for w in wanted}
    for c in columns:
        if (c.schema, c.table) in cols:
            cols[(c.schema, c.table)].add(c.name.lower())
    for schema, name in sorted(wanted):
        found.setdefault(name.lower(), (quote(schema, name), frozenset(cols[(schema, name)])))
    return found
