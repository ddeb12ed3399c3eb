"""`sql`: data volume, schema and migration heads of PostgreSQL, MySQL/MariaDB and SQLite.

One collector type; the dialect comes from the DSN's scheme and each dialect is one module that
*gets* a Catalog (catalog queries only); `catalog.transform` is the pure part. Drivers come
from the `[sql]` extra and are imported only when a source of their dialect runs.
"""

from __future__ import annotations

import fnmatch
import os
import sqlite3
from dataclasses import replace
from importlib import import_module
from typing import Any

from pydantic import Field, model_validator

from parity.errors import CollectorError, ConfigError
from parity.model import Notice

from ..interface import BaseOptions, Collector, CollectorResult, Hints, hint_for
from .catalog import Catalog, qualified, transform
from .dsn import Dsn, parse_dsn
from .migrations import TOOLS

# dialect -> modules its driver needs (checked before connecting, with an install hint)
_DRIVERS: dict[str, tuple[str, ...]] = {
    "postgres": ("psycopg",),
    "mysql": ("pymysql",),
    "sqlite": (),
}
# Fragments of driver messages -> what to do (the first match wins).
# Most specific first: each names the cause the server gave, not every possible one.
_HINTS: Hints = (
    (
        ('role "',),  # PostgreSQL: FATAL: role "x" does not exist
        "the server at {where} has no role {user}: check the user in {dsn}, or create the "
        "role (README: Databases, a user for parity)",
    ),
    (
        ('database "', "unknown database"),  # database "x" does not exist / 1049
        "the server at {where} has no database {database}: check the database name in {dsn} "
        "(psql -l, or SHOW DATABASES, lists them)",
    ),
    (
        ("password authentication failed", "access denied"),
        "the server at {where} refused user {user}: a wrong password, or (MariaDB/MySQL) a user "
        "unknown from this host; check the user and password in {dsn}",
    ),
    (
        ("no pg_hba.conf entry",),
        "the server at {where} does not accept {user} from this host: add a pg_hba.conf entry",
    ),
    (
        ("timeout", "canceling statement", "max_statement_time", "interrupted"),
        "the database did not answer within timeout_s; raise it, or check for long-held locks",
    ),
    (
        ("connection refused",),
        "nothing accepts connections at {where}: is the database server running, on that port?",
    ),
    (
        ("no such host", "name or service not known", "could not translate host name"),
        "the host in {dsn} does not resolve: check its spelling and this machine's DNS",
    ),
    (
        ("connection timed out", "can't connect", "could not connect"),
        "no answer from {where}: is the database server reachable from here (firewall, VPN)?",
    ),
    (("permission denied", "command denied"), "grant the user read access to the catalog"),
)


class SqlOptions(BaseOptions):
    """Options of a `sql` source. The DSN is given by reference, never inline with a password."""

    dsn_env: str | None = Field(
        default=None, description="Environment variable holding the database URL."
    )
    dsn: str | None = Field(
        default=None, description="Database URL without a password (sqlite:///app.db)."
    )
    schemas: list[str] = Field(default_factory=lambda: ["*"], description="Schema name globs.")
    tables: list[str] = Field(default_factory=lambda: ["*"], description="`schema.table` globs.")
    exclude_tables: list[str] = Field(default_factory=list, description="`schema.table` globs.")
    exact_counts: list[str] = Field(
        default_factory=list,
        description="`schema.table` names counted exactly with COUNT(*) (a full scan: opt-in).",
    )
    row_cap: int = Field(
        default=100_000, ge=1, description="SQLite: count at most this many rows per table."
    )
    timeout_s: float = Field(default=10.0, gt=0, le=600, description="Per-statement limit.")

    @model_validator(mode="after")
    def _one_dsn(self) -> SqlOptions:
        if (self.dsn_env is None) == (self.dsn is None):
            raise ValueError("give exactly one of dsn_env (recommended) or dsn")
        if self.dsn is not None:
            parsed = parse_dsn(self.dsn, "dsn")
            if parsed.password or "password" in parsed.params:
                raise ValueError(
                    "dsn must not contain a password; put the URL in an environment variable "
                    "and name it with dsn_env"
                )
        return self


class SqlCollector(Collector[SqlOptions]):
    """Catalog reads in a read-only session; nothing is written, locked or created."""

    type_name = "sql"
    Options = SqlOptions
    summary = "Databases: per-table volume, schema, migration heads, server version and settings"
    requires_extra = "sql"

    _dsn: Dsn | None = None

    def _resolve(self) -> Dsn:
        opts = self.options
        if opts.dsn is not None:
            return parse_dsn(opts.dsn, f"{self.scope}.dsn")
        assert opts.dsn_env is not None
        url = os.environ.get(opts.dsn_env)
        if not url:
            raise CollectorError(
                f"environment variable {opts.dsn_env} is not set",
                hint=f"export {opts.dsn_env}=postgresql://user:password@host:5432/dbname",
            )
        try:
            return parse_dsn(url, f"${opts.dsn_env}")
        except ConfigError as e:
            raise CollectorError(e.message, hint=e.hint) from e

    def location(self) -> str:
        try:
            return (self._dsn or self._resolve()).shown
        except (CollectorError, ConfigError):
            return f"${self.options.dsn_env}" if self.options.dsn_env else "sql"

    def collect(self) -> CollectorResult:
        dsn = self._dsn = self._resolve()
        missing = [m for m in _DRIVERS[dsn.dialect] if not _importable(m)]
        if missing:
            raise CollectorError(
                f"{dsn.dialect} needs {', '.join(missing)}, which is not installed",
                hint="pip install 'parity[sql]'",
            )
        dialect = import_module(f"{__package__}.{dsn.dialect}")
        catalog = _select(dialect.read(dsn, self.options, self.ctx.base_dir), self.options)
        result = CollectorResult(records=transform(catalog, self.scope, dsn.shown, self.ctx))
        filtered = self.options.schemas != ["*"] or self.options.tables != ["*"]
        if filtered and not catalog.tables:
            result.notices.append(
                Notice(
                    code="nothing-matched",
                    subject=self.scope,
                    source=dsn.shown,
                    message=f"no table of {dsn.shown} matched schemas={self.options.schemas} "
                    f"tables={self.options.tables}",
                )
            )
        return result

    def translate_error(self, error: Exception) -> CollectorError | None:
        if not _is_driver_error(error):
            return None
        dsn = self._dsn
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if dsn is not None:
            text = dsn.scrub(text)
        where = f"{dsn.host or 'localhost'}:{dsn.port or ''}".rstrip(":") if dsn else "?"
        shown_dsn = f"${self.options.dsn_env}" if self.options.dsn_env else "the source's dsn"
        hint = hint_for(
            text,
            _HINTS,
            dsn=shown_dsn,
            where=where,
            user=repr(dsn.user) if dsn and dsn.user else "(none given)",
            database=repr(dsn.database) if dsn else "?",
        )
        return CollectorError(f"{dsn.shown if dsn else 'database'}: {text}", hint=hint)


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _is_driver_error(error: Exception) -> bool:
    """DB-API errors of the three drivers (each module's `Error` base), and socket errors."""
    if isinstance(error, sqlite3.Error | OSError):
        return True
    for module in ("psycopg", "pymysql"):
        mod = import_module(module) if _loaded(module) else None
        if mod is not None and isinstance(error, mod.Error):
            return True
    return False


def _loaded(module: str) -> bool:
    import sys

    return module in sys.modules


def _wanted(schema: str, table: str, opts: SqlOptions) -> bool:
    name = qualified(schema, table)
    return (
        any(fnmatch.fnmatchcase(schema, g) for g in opts.schemas)
        and any(fnmatch.fnmatchcase(name, g) for g in opts.tables)
        and not any(fnmatch.fnmatchcase(name, g) for g in opts.exclude_tables)
        and table.lower() not in TOOLS  # migration tables are reported as heads
    )


def _select(catalog: Catalog, opts: SqlOptions) -> Catalog:
    """Keep the tables the options select (and their columns, indexes, constraints)."""

    def keep(items: tuple[Any, ...], table_of: str) -> tuple[Any, ...]:
        return tuple(i for i in items if _wanted(i.schema, getattr(i, table_of), opts))

    return replace(
        catalog,
        tables=keep(catalog.tables, "name"),
        columns=keep(catalog.columns, "table"),
        indexes=keep(catalog.indexes, "table"),
        constraints=keep(catalog.constraints, "table"),
    )
