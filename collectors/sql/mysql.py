"""MySQL / MariaDB: information_schema reads only, in a read-only session with a time limit.

TABLE_ROWS is InnoDB's estimate (as cheap as the catalog); DATA_LENGTH + INDEX_LENGTH the size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .catalog import Catalog, Column, Constraint, Index, TableStat
from .migrations import locate, read_migrations

if TYPE_CHECKING:
    from pathlib import Path

    from .collector import SqlOptions
    from .dsn import Dsn

_SYSTEM = "('mysql', 'information_schema', 'performance_schema', 'sys')"
# Server settings that change behaviour between environments (the version is a dependency).
_SETTINGS = (
    "sql_mode",
    "character_set_server",
    "collation_server",
    "time_zone",
    "max_connections",
    "default_storage_engine",
    "lower_case_table_names",
    "innodb_buffer_pool_size",
    "transaction_isolation",
    "tx_isolation",
    "explicit_defaults_for_timestamp",
)


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def connect(dsn: Dsn, timeout_s: float) -> Any:
    """A read-only session whose statements are bounded (MariaDB max_statement_time, MySQL
    max_execution_time); socket reads time out too, so a hung server cannot hang parity."""
    import pymysql

    kwargs: dict[str, Any] = {
        "host": dsn.host or "localhost",
        "port": dsn.port or 3306,
        "user": dsn.user or "root",
        "password": dsn.password or dsn.params.get("password", ""),
        "database": dsn.database,
        "connect_timeout": max(1, int(timeout_s)),
        "read_timeout": max(1, int(timeout_s) + 1),
        "write_timeout": max(1, int(timeout_s) + 1),
        "autocommit": True,
        "charset": dsn.params.get("charset", "utf8mb4"),
    }
    if "unix_socket" in dsn.params:
        kwargs["unix_socket"] = dsn.params["unix_socket"]
    if "ssl_ca" in dsn.params:
        kwargs["ssl"] = {"ca": dsn.params["ssl_ca"]}
    conn = pymysql.connect(**kwargs)
    with conn.cursor() as cur:
        cur.execute("SET SESSION TRANSACTION READ ONLY")
        cur.execute("SELECT VERSION()")
        version = str(cur.fetchone()[0])
        if "mariadb" in version.lower():
            cur.execute(f"SET SESSION max_statement_time = {float(timeout_s)}")
        else:
            cur.execute(f"SET SESSION max_execution_time = {int(timeout_s * 1000)}")
    return conn


def read(dsn: Dsn, opts: SqlOptions, base: Path) -> Catalog:
    """The catalog of one MySQL/MariaDB database (the DSN's database is the schema read)."""
    conn = connect(dsn, opts.timeout_s)
    try:

        def fetch(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            with conn.cursor() as cur:
                cur.execute(sql, params or None)
                return list(cur.fetchall())

        raw_version = str(fetch("SELECT VERSION()")[0][0])
        product = "mariadb" if "mariadb" in raw_version.lower() else "mysql"
        version = raw_version.split("-", 1)[0]
        placeholders = ", ".join(["%s"] * len(_SETTINGS))
        settings = {
            str(k): str(v)
            for k, v in fetch(
                f"SHOW GLOBAL VARIABLES WHERE Variable_name IN ({placeholders})", _SETTINGS
            )
        }
        db = (dsn.database,)
        tables = []
        for schema, name, rows, size in fetch(
            "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH "
            "FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE'",
            db,
        ):
            if name in opts.exact_counts:
                count = float(fetch(f"SELECT COUNT(*) FROM {_q(schema)}.{_q(name)}")[0][0])
                tables.append(TableStat("", name, count, float(size or 0), True))
            else:
                tables.append(TableStat("", name, float(rows or 0), float(size or 0), False))
        columns = [
            Column("", t, c, ty, nl == "YES", d)
            for _s, t, c, ty, nl, d in fetch(
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, "
                "COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
                "ORDER BY TABLE_NAME, ORDINAL_POSITION",
                db,
            )
        ]
        constraints, backing = _constraints(fetch, dsn.database)
        indexes: dict[tuple[str, str, str], list[str]] = {}
        unique: dict[tuple[str, str, str], bool] = {}
        kinds: dict[tuple[str, str, str], str] = {}
        for s, t, name, col, non_unique, kind in fetch(
            "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE "
            "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s "
            "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
            db,
        ):
            if (s, t, name) in backing:
                continue
            indexes.setdefault((s, t, name), []).append(str(col))
            unique[(s, t, name)] = not int(non_unique)
            kinds[(s, t, name)] = str(kind).lower()
        index_rows = tuple(
            Index("", k[1], k[2], f"{'unique ' if unique[k] else ''}{kinds[k]} ({', '.join(cols)})")
            for k, cols in indexes.items()
        )
        tools = locate(tables, columns, lambda _s, t: f"{_q(dsn.database)}.{_q(t)}")
        return Catalog(
            product=product,
            version=version,
            settings=settings,
            tables=tuple(tables),
            columns=tuple(columns),
            indexes=index_rows,
            constraints=constraints,
            migrations=tuple(read_migrations(fetch, tools)),
        )
    finally:
        conn.close()


def _constraints(
    fetch: Any, database: str
) -> tuple[tuple[Constraint, ...], set[tuple[str, str, str]]]:
    """Primary, unique and foreign keys with their columns; and the index names that back
    them (reported once, as the constraint)."""
    cols: dict[tuple[str, str, str], list[str]] = {}
    refs: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    for s, t, name, col, ref_table, ref_col in fetch(
        "SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, "
        "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
        "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
        (database,),
    ):
        cols.setdefault((s, t, name), []).append(str(col))
        if ref_table:
            refs.setdefault((s, t, name), (str(ref_table), []))[1].append(str(ref_col))
    out = []
    backing: set[tuple[str, str, str]] = set()
    for s, t, name, kind in fetch(
        "SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE "
        "FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = %s",
        (database,),
    ):
        key = (s, t, name)
        definition = f"{str(kind).upper()} ({', '.join(cols.get(key, []))})"
        if key in refs:
            definition += f" REFERENCES {refs[key][0]}({', '.join(refs[key][1])})"
        out.append(Constraint("", t, name, definition))
        backing.add(key)
    return tuple(sorted(out, key=lambda c: (c.table, c.name))), backing
