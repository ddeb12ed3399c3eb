"""SQLite: the file opened read-only; row counts exact below a cap, a lower bound above it.

SQLite keeps no row estimates, so a count is the only figure; it is bounded by counting at most
`row_cap + 1` rows, which keeps collection flat however large the table grows.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from parity.errors import CollectorError

from .catalog import Catalog, Column, Constraint, Index, TableStat
from .migrations import locate, read_migrations

if TYPE_CHECKING:
    from .collector import SqlOptions
    from .dsn import Dsn


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(path: Path, timeout_s: float) -> sqlite3.Connection:
    """Read-only (`mode=ro` and query_only): parity cannot create the file, write to it, or
    leave a journal; a progress handler interrupts any statement past the time limit."""
    if not path.is_file():
        raise CollectorError(f"SQLite database {path} does not exist", hint="check path / dsn")
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=timeout_s)
    conn.execute("PRAGMA query_only = 1")
    deadline = time.monotonic() + timeout_s
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    return conn


def read(dsn: Dsn, opts: SqlOptions, base: Path) -> Catalog:
    """The catalog of one SQLite file (schema `main`)."""
    path = Path(dsn.database)
    conn = connect(path if path.is_absolute() else base / path, opts.timeout_s)
    try:

        def fetch(sql: str) -> list[tuple[Any, ...]]:
            return list(conn.execute(sql).fetchall())

        names = [
            str(r[0])
            for r in fetch(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        page_size = int(fetch("PRAGMA page_size")[0][0])
        page_count = int(fetch("PRAGMA page_count")[0][0])
        tables, columns, indexes, constraints = [], [], [], []
        for name in names:
            cap = opts.row_cap
            exact_asked = name in opts.exact_counts
            limit = "" if exact_asked else f" LIMIT {cap + 1}"
            count = int(fetch(f"SELECT COUNT(*) FROM (SELECT 1 FROM {_q(name)}{limit})")[0][0])
            exact = exact_asked or count <= cap
            tables.append(
                TableStat("", name, float(min(count, cap) if not exact else count), None, exact)
            )
            pk: list[tuple[int, str]] = []
            for _cid, col, ctype, notnull, default, pk_pos, *_hidden in fetch(
                f"PRAGMA table_xinfo({_q(name)})"
            ):
                columns.append(
                    Column("", name, str(col), str(ctype or "any"), not notnull, default)
                )
                if pk_pos:
                    pk.append((int(pk_pos), str(col)))
            if pk:
                cols = ", ".join(c for _, c in sorted(pk))
                constraints.append(Constraint("", name, f"{name}_pkey", f"PRIMARY KEY ({cols})"))
            for _seq, iname, unique, origin, _partial in fetch(f"PRAGMA index_list({_q(name)})"):
                cols = ", ".join(str(r[2]) for r in fetch(f"PRAGMA index_info({_q(str(iname))})"))
                if origin == "c":
                    kind = "unique " if unique else ""
                    indexes.append(Index("", name, str(iname), f"{kind}({cols})"))
                elif origin == "u":
                    constraints.append(Constraint("", name, str(iname), f"UNIQUE ({cols})"))
            fks: dict[int, tuple[str, list[str], list[str]]] = {}
            for fid, _seq, ref, src, dst, *_rest in fetch(f"PRAGMA foreign_key_list({_q(name)})"):
                entry = fks.setdefault(int(fid), (str(ref), [], []))
                entry[1].append(str(src))
                entry[2].append(str(dst))
            for ref, src_cols, dst_cols in fks.values():
                definition = (
                    f"FOREIGN KEY ({', '.join(src_cols)}) REFERENCES {ref}({', '.join(dst_cols)})"
                )
                constraints.append(
                    Constraint("", name, f"{name}_{'_'.join(src_cols)}_fkey", definition)
                )
        version = sqlite3.sqlite_version
        settings = {
            "page_size": str(page_size),
            "journal_mode": str(fetch("PRAGMA journal_mode")[0][0]),
        }
        tools = locate(tables, columns, lambda _s, t: _q(t))
        return Catalog(
            product="sqlite",
            version=version,
            settings=settings,
            tables=tuple(tables),
            columns=tuple(columns),
            indexes=tuple(indexes),
            constraints=tuple(constraints),
            migrations=tuple(read_migrations(fetch, tools)),
            file_bytes=float(page_size * page_count),
        )
    finally:
        conn.close()
