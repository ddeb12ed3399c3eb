"""PostgreSQL: catalog reads only (pg_class estimates, pg_catalog structure), read-only session.

Every query is over the system catalogs, so collection costs the same for ten rows or ten
billion; `exact_counts` is the only path that scans a table, and only the tables it names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .catalog import Catalog, Column, Constraint, Index, TableStat, qualified
from .migrations import locate, read_migrations

if TYPE_CHECKING:
    from pathlib import Path

    from .collector import SqlOptions
    from .dsn import Dsn

# Schemas that belong to the server, not the application.
_SYSTEM = "('pg_catalog', 'information_schema', 'pg_toast')"
# Settings that differ per installation without being configuration drift.
_SKIP_SETTINGS = frozenset(
    {"data_directory", "config_file", "hba_file", "ident_file", "external_pid_file"}
)

_TABLES = f"""
SELECT n.nspname, c.relname,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples ELSE s.n_live_tup END,
       pg_total_relation_size(c.oid)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN {_SYSTEM} AND n.nspname NOT LIKE 'pg_temp%'
"""
_COLUMNS = f"""
SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
       NOT a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0
  AND NOT a.attisdropped AND n.nspname NOT IN {_SYSTEM}
ORDER BY n.nspname, c.relname, a.attnum
"""
_INDEXES = f"""
SELECT n.nspname, t.relname, i.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname NOT IN {_SYSTEM}
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                  WHERE k.conindid = i.oid AND k.contype IN ('p', 'u', 'x'))
"""
_CONSTRAINTS = f"""
SELECT n.nspname, t.relname, k.conname, pg_get_constraintdef(k.oid)
FROM pg_constraint k
JOIN pg_class t ON t.oid = k.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname NOT IN {_SYSTEM}
"""
_SETTINGS = """
SELECT name, setting, unit FROM pg_settings
WHERE source NOT IN ('default', 'override', 'client', 'session')
"""
_INDEX_DEF = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ (?:USING (\w+) )?(.*)$")


def normalize_index(definition: str) -> str:
    """`CREATE UNIQUE INDEX orders_email_idx ON public.orders USING btree (email)` ->
    `unique btree (email)`: the name and table are the identity, not the definition."""
    m = _INDEX_DEF.match(definition)
    if not m:
        return definition
    unique, method, rest = m.groups()
    return " ".join(p for p in ("unique" if unique else "", method or "", rest) if p)


def connect(dsn: Dsn, timeout_s: float) -> Any:
    """A read-only session: every transaction READ ONLY, statements and lock waits bounded,
    so parity can neither write nor sit behind a migration's lock."""
    import psycopg

    conn = psycopg.connect(dsn.url, connect_timeout=max(1, int(timeout_s)), autocommit=True)
    ms = int(timeout_s * 1000)
    conn.execute("SET default_transaction_read_only = on")
    conn.execute(f"SET statement_timeout = {ms}")
    conn.execute(f"SET lock_timeout = {min(ms, 2000)}")
    conn.read_only = True
    return conn


def read(dsn: Dsn, opts: SqlOptions, base: Path) -> Catalog:
    """The catalog of one PostgreSQL database."""
    with connect(dsn, opts.timeout_s) as conn:

        def fetch(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            return list(conn.execute(sql, params or None).fetchall())

        version = str(fetch("SHOW server_version")[0][0]).split()[0]
        settings = {
            name: f"{value}{unit or ''}" if unit and value not in ("-1", "0") else str(value)
            for name, value, unit in fetch(_SETTINGS)
            if name not in _SKIP_SETTINGS
        }
        extensions = {
            str(n): str(v) for n, v in fetch("SELECT extname, extversion FROM pg_extension")
        }
        columns = [Column(s, t, c, ty, bool(nl), d) for s, t, c, ty, nl, d in fetch(_COLUMNS)]
        tables = []
        for schema, name, rows, size in fetch(_TABLES):
            if qualified(schema, name) in opts.exact_counts:
                from psycopg import sql

                query = sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(schema, name))
                count = float(fetch(query.as_string(conn))[0][0])
                tables.append(TableStat(schema, name, count, float(size), True))
            else:
                estimate = max(float(rows or 0), 0.0)
                tables.append(TableStat(schema, name, estimate, float(size), False))
        tools = locate(tables, columns, lambda s, t: f'"{s}"."{t}"')
        return Catalog(
            product="postgresql",
            version=version,
            settings=settings,
            extensions=extensions,
            tables=tuple(tables),
            columns=tuple(columns),
            indexes=tuple(Index(s, t, n, normalize_index(d)) for s, t, n, d in fetch(_INDEXES)),
            constraints=tuple(Constraint(s, t, n, d) for s, t, n, d in fetch(_CONSTRAINTS)),
            migrations=tuple(read_migrations(fetch, tools)),
        )
