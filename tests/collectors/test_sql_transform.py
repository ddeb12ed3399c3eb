"""The pure parts of the `sql` collector: catalog -> records, DSNs, options, SQLite files."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from parity.collectors.interface import CollectContext
from parity.collectors.sql.catalog import (
    Catalog,
    Column,
    Constraint,
    Index,
    Migration,
    TableStat,
    transform,
)
from parity.collectors.sql.dsn import parse_dsn
from parity.collectors.sql.postgres import normalize_index
from parity.errors import ConfigError
from parity.model import DataVolume, Dependency, MigrationHead, SchemaObject

from conftest import SAMPLE, cli

DATA = Path(__file__).parent.parent / "data" / "sql"


def canned(name: str) -> Catalog:
    raw = json.loads((DATA / name).read_text())
    return Catalog(
        product=raw["product"],
        version=raw["version"],
        settings=raw["settings"],
        extensions=raw["extensions"],
        tables=tuple(TableStat(*t) for t in raw["tables"]),
        columns=tuple(Column(*c) for c in raw["columns"]),
        indexes=tuple(Index(*i) for i in raw["indexes"]),
        constraints=tuple(Constraint(*c) for c in raw["constraints"]),
        migrations=tuple(Migration(*m) for m in raw["migrations"]),
    )


def test_transform_canned_catalog() -> None:
    ctx = CollectContext("p", Path("."))
    records = transform(canned("catalog_production.json"), "app-db", "postgresql://db/x", ctx)
    by_kind: dict[str, list[Any]] = {}
    for r in records:
        by_kind.setdefault(type(r).__name__, []).append(r)
    assert Dependency("postgresql", "app-db", "15.20", "postgresql://db/x") in records
    assert {r.key for r in by_kind["DataVolume"]} == {
        "public.orders:rows",
        "public.orders:bytes",
        "public.users:rows",
        "public.users:bytes",
        "(all tables):rows",
        "(all tables):bytes",
    }
    total = next(r for r in by_kind["DataVolume"] if r.key == "(all tables):rows")
    assert isinstance(total, DataVolume) and total.value == 22000 and not total.exact
    schema = {r.key: r.definition for r in by_kind["SchemaObject"] if isinstance(r, SchemaObject)}
    assert schema["column public.orders.total"] == "numeric(10,2) not null"
    assert schema["column public.users.email"] == "character varying(255)"
    assert schema["index public.orders.orders_user_idx"] == "btree (user_id)"
    assert schema["constraint public.orders.orders_pkey"] == "PRIMARY KEY (id)"
    digest = next(r for r in by_kind["SchemaObject"] if r.object_type == "digest")
    assert len(digest.definition) == 64 and digest.key == "schema sha256"
    (head,) = by_kind["MigrationHead"]
    assert isinstance(head, MigrationHead) and head.version == "a1b2c3d4e5f6"
    # settings go through the one secret classifier: the command's value is fingerprinted
    settings = {r.key: r for r in by_kind["ConfigEntry"]}
    assert settings["work_mem"].value == "4MB"
    assert "hunter2-canary-Zq81" not in repr(records)


def test_index_definitions_are_normalized() -> None:
    assert (
        normalize_index("CREATE UNIQUE INDEX o_idx ON public.orders USING btree (email)")
        == "unique btree (email)"
    )
    assert normalize_index("CREATE INDEX x ON ONLY s.t USING gin (doc)") == "gin (doc)"


def test_dsn_parsing_and_redaction() -> None:
    d = parse_dsn("postgresql://app:s3cr%40t-canary@db.internal:5433/shop?sslmode=require", "X")
    assert (d.dialect, d.host, d.port, d.user, d.password, d.database) == (
        "postgres",
        "db.internal",
        5433,
        "app",
        "s3cr@t-canary",
        "shop",
    )
    assert d.shown == "postgresql://app@db.internal:5433/shop"
    message = "failed for postgresql://app:s3cr%40t-canary@db/shop s3cr@t-canary"
    assert "canary" not in d.scrub(message)
    assert parse_dsn("sqlite:///data/app.db", "X").database == "data/app.db"
    assert parse_dsn("mariadb://root@h/db", "X").dialect == "mysql"
    for bad in ("oracle://x/y", "postgresql://h:99999/db", "postgresql://h", "sqlite://"):
        with pytest.raises(ConfigError) as e:
            parse_dsn(bad, "$DB_URL")
        assert "$DB_URL" in e.value.message and "99999" not in e.value.message


def test_inline_dsn_with_password_is_refused_without_echoing_it(tree: Any) -> None:
    project = tree(
        {
            "parity.toml": """
            [environments.production]
            sources = [{ type = "sql", dsn = "postgresql://u:canary-inline-pw@h/db" }]
            """
        }
    )
    r = cli("check", "-c", str(project / "parity.toml"))
    assert r.code == 2
    assert "dsn_env" in r.err and "canary-inline-pw" not in r.out + r.err


def make_db(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)")
    conn.executemany("INSERT INTO events (kind) VALUES (?)", [("x",)] * rows)
    conn.commit()
    conn.close()


def test_sqlite_counts_are_capped_and_the_file_is_never_touched(tree: Any) -> None:
    project = tree(
        {
            "parity.toml": """
            reference = "production"
            [environments.production]
            sources = [{ type = "sql", dsn = "sqlite:///prod.db", name = "db", row_cap = 500 }]
            [environments.staging]
            sources = [{ type = "sql", dsn = "sqlite:///staging.db", name = "db", row_cap = 500 }]
            """
        }
    )
    make_db(project / "prod.db", 2000)
    make_db(project / "staging.db", 20)
    before = {p.name: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in project.glob("*.db")}
    r = cli("check", "-c", str(project / "parity.toml"), "-f", "json")
    assert r.code == 0, r.err  # a warning: the default gate fails on errors
    (f,) = [f for f in json.loads(r.out)["findings"] if f["rule"] == "data-volume-ratio"]
    assert f["subject"] == "data-volume:db:events:rows"
    assert f["expected"] == "500 rows (estimate)"  # a lower bound: the count stopped at the cap
    assert f["actual"] == "20 rows"  # exact below the cap
    after = {p.name: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in project.glob("*.db")}
    assert after == before and sorted(p.name for p in project.iterdir()) == [
        "parity.toml",
        "prod.db",
        "staging.db",
    ]


def test_missing_sqlite_file_and_unmatched_filters(tree: Any) -> None:
    project = tree(
        {
            "parity.toml": """
            reference = "production"
            [environments.production]
            sources = [{ type = "sql", dsn = "sqlite:///prod.db", name = "db", tables = ["nope*"] }]
            [environments.staging]
            sources = [{ type = "sql", dsn = "sqlite:///missing.db", name = "db" }]
            """
        }
    )
    make_db(project / "prod.db", 5)
    r = cli("check", "-c", str(project / "parity.toml"), "-f", "json")
    assert r.code == 3
    report = json.loads(r.out)
    (err,) = report["errors"]
    assert err["environment"] == "staging" and "missing.db does not exist" in err["message"]
    hits = [(f["rule"], f["environment"]) for f in report["findings"]]
    assert ("nothing-matched", "production") in hits
    assert not (project / "missing.db").exists()  # read-only: never created


def test_sample_databases_match_their_generator(tmp_path: Path) -> None:
    """The committed sample databases are what make_sample_dbs.py builds (schema and rows)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", SAMPLE / "db" / "make_sample_dbs.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.build_all(tmp_path)

    def shape(path: Path) -> list[tuple[str, str, int]]:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        out = [
            (name, sql, conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out += conn.execute(
            "SELECT name, sql, 0 FROM sqlite_master WHERE type = 'index'"
        ).fetchall()
        conn.close()
        return out

    for env in ("production", "staging", "canary"):
        assert shape(SAMPLE / env / "app.db") == shape(tmp_path / env / "app.db"), env
