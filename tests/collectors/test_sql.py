"""The `sql` collector against the real PostgreSQL and MariaDB servers, and SQLite files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sql_env import my_admin, my_pair, pg_pair, sql_project

from conftest import cli


def findings(r: Any) -> set[tuple[str, str, str, str]]:
    report = json.loads(r.out)
    return {(f["rule"], f["environment"], f["subject"], f["severity"]) for f in report["findings"]}


def use(monkeypatch: pytest.MonkeyPatch, dsns: dict[str, str]) -> None:
    for env, dsn in dsns.items():
        monkeypatch.setenv(f"SHOP_{env.upper()}_DB_URL", dsn)


def test_postgres_end_to_end(tree: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with pg_pair() as dsns:
        use(monkeypatch, dsns)
        r = cli("check", "-c", str(tree(sql_project(dsns)) / "parity.toml"), "-f", "json")
    assert r.code == 1, r.err
    got = findings(r)
    assert got == {
        ("data-volume-ratio", "staging", "data-volume:app-db:public.orders:rows", "warning"),
        ("data-volume-ratio", "staging", "data-volume:app-db:public.users:rows", "warning"),
        ("schema-drift", "staging", "schema:app-db:index public.orders.orders_user_idx", "warning"),
        ("schema-drift", "staging", "schema:app-db:column public.orders.total", "error"),
        ("schema-drift", "staging", "schema:app-db:column public.users.last_login", "warning"),
        ("migration-drift", "staging", "migration:app-db:alembic", "warning"),
        ("missing-dependency", "staging", "dependency:postgresql-extension:app-db/citext", "error"),
        ("missing-key", "staging", "config:app-db/settings:work_mem", "warning"),
    }, got
    report = json.loads(r.out)
    by = {f["subject"]: f for f in report["findings"]}
    total = by["schema:app-db:column public.orders.total"]
    assert total["expected"] == "numeric(10,2) not null"
    assert total["actual"] == "numeric(12,2) not null"
    assert "(estimate)" in by["data-volume:app-db:public.orders:rows"]["message"]
    assert "diverged" in by["migration:app-db:alembic"]["message"]


def test_postgres_session_is_read_only_and_collection_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import psycopg

    from parity.collectors.sql.dsn import parse_dsn
    from parity.collectors.sql.postgres import connect

    with pg_pair() as dsns:
        dsn = parse_dsn(dsns["production"], "test")
        with connect(dsn, 5) as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE intruder (id int)")
        with psycopg.connect(dsns["production"]) as c:
            before = c.execute(
                "SELECT count(*), sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables"
            ).fetchone()
            objects = c.execute("SELECT count(*) FROM pg_class").fetchone()
        use(monkeypatch, {"production": dsns["production"]})
        from parity.collectors.interface import CollectContext
        from parity.collectors.sql.collector import SqlCollector, SqlOptions

        opts = SqlOptions(name="app-db", dsn_env="SHOP_PRODUCTION_DB_URL")
        SqlCollector(opts, CollectContext("production", Path("."))).run()
        with psycopg.connect(dsns["production"]) as c:
            after = c.execute(
                "SELECT count(*), sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables"
            ).fetchone()
            assert c.execute("SELECT count(*) FROM pg_class").fetchone() == objects
    assert before == after


def test_postgres_lock_held_by_a_migration_times_out_with_exit_3(
    tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    with pg_pair() as dsns:
        use(monkeypatch, dsns)
        project = tree(sql_project(dsns, timeout_s=1))
        with psycopg.connect(dsns["staging"]) as migration:
            migration.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")  # held until close
            r = cli("check", "-c", str(project / "parity.toml"), "-f", "json")
    assert r.code == 3, r.err
    errors = json.loads(r.out)["errors"]
    assert len(errors) == 1 and errors[0]["environment"] == "staging"
    assert "timeout" in errors[0]["message"].lower()
    assert "timeout_s" in errors[0]["hint"]


def test_server_down_is_exit_3_with_a_hint(tree: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from aws_env import free_port

    port = free_port()
    dsns = {
        "production": f"postgresql://postgres:canary-pg-pw-1@127.0.0.1:{port}/shop",
        "staging": f"mysql://root:canary-my-pw-2@127.0.0.1:{port}/shop",
    }
    use(monkeypatch, dsns)
    r = cli("check", "-c", str(tree(sql_project(dsns, timeout_s=2)) / "parity.toml"), "-f", "json")
    assert r.code == 3, r.err
    errors = json.loads(r.out)["errors"]
    assert {e["environment"] for e in errors} == {"production", "staging"}
    for e in errors:
        assert f"127.0.0.1:{port}" in e["hint"]
    assert "canary-pg-pw-1" not in r.out + r.err and "canary-my-pw-2" not in r.out + r.err


@pytest.mark.parametrize("broken", ["production", "staging"])
def test_failed_login_masks_the_database_in_both_directions(
    tree: Any, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    """A login the server refuses (here: an unknown role) is collector-failed only: no
    missing server, extension, table or setting on either side."""
    with pg_pair() as dsns:
        dsns[broken] = dsns[broken].replace("postgres@", "no_such_role_parity@")
        use(monkeypatch, dsns)
        r = cli("check", "-c", str(tree(sql_project(dsns)) / "parity.toml"), "-f", "json")
    assert r.code == 3, r.err
    assert {(f[0], f[1]) for f in findings(r)} == {("collector-failed", broken)}


def test_mariadb_end_to_end(tree: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with my_pair() as dsns:
        use(monkeypatch, dsns)
        r = cli("check", "-c", str(tree(sql_project(dsns)) / "parity.toml"), "-f", "json")
    assert r.code == 1, r.err
    got = findings(r)
    # The database name is per-environment configuration, not identity: objects align by table.
    assert got == {
        ("data-volume-ratio", "staging", "data-volume:app-db:orders:rows", "warning"),
        ("data-volume-ratio", "staging", "data-volume:app-db:users:rows", "warning"),
        ("schema-drift", "staging", "schema:app-db:index orders.orders_status_idx", "warning"),
        ("schema-drift", "staging", "schema:app-db:column orders.status", "warning"),
        ("migration-drift", "staging", "migration:app-db:django:orders", "error"),
    }, got
    by = {f["subject"]: f for f in json.loads(r.out)["findings"]}
    assert (
        "behind production: 0002_status vs 0003_totals"
        in by["migration:app-db:django:orders"]["message"]
    )
    assert by["schema:app-db:column orders.status"]["actual"] == "varchar(20) default 'new'"


def test_mariadb_read_only_session_wrong_password_and_secret_dsn(
    tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pymysql

    from parity.collectors.sql.dsn import parse_dsn
    from parity.collectors.sql.mysql import connect

    password = "canary-Maria-7f3k9q"
    with my_pair() as dsns:
        db = dsns["production"].rsplit("/", 1)[1]
        admin = my_admin()
        with admin.cursor() as cur:
            cur.execute("CREATE USER IF NOT EXISTS 'parity_ro'@'%%' IDENTIFIED BY %s", (password,))
            cur.execute(f"GRANT SELECT ON `{db}`.* TO 'parity_ro'@'%'")
        try:
            good = f"mysql://parity_ro:{password}@127.0.0.1:3306/{db}"
            conn = connect(parse_dsn(dsns["production"], "test"), 5)
            with conn.cursor() as cur, pytest.raises(pymysql.err.MySQLError):
                cur.execute("INSERT INTO users (email) VALUES ('intruder@x')")
            conn.close()
            use(monkeypatch, {"production": good, "staging": good.replace(password, "wrong")})
            project = tree(sql_project({"production": good, "staging": good}))
            for fmt in ("json", "table", "markdown"):
                r = cli("check", "-c", str(project / "parity.toml"), "-f", fmt)
                assert r.code == 3, r.err
                assert password not in r.out + r.err and ":wrong@" not in r.out + r.err
            errors = json.loads(cli("check", "-c", str(project / "parity.toml"), "-f", "json").out)
            (err,) = errors["errors"]
            assert err["environment"] == "staging" and "denied" in err["message"].lower()
            assert "$SHOP_STAGING_DB_URL" in err["hint"]
            assert err["source"].endswith("(mysql://parity_ro@127.0.0.1:3306/" + db + ")")
        finally:
            with admin.cursor() as cur:
                cur.execute("DROP USER IF EXISTS 'parity_ro'@'%'")
            admin.close()


@pytest.mark.parametrize(
    ("dsn", "cause"),
    [
        (
            "postgresql://parity_no_such_role@127.0.0.1:5432/postgres",
            "has no role 'parity_no_such_role'",
        ),
        (
            "postgresql://postgres@127.0.0.1:5432/parity_no_such_db",
            "has no database 'parity_no_such_db'",
        ),
        ("mysql://root@127.0.0.1:3306/parity_no_such_db", "has no database 'parity_no_such_db'"),
        ("mysql://parity_no_such_user@127.0.0.1:3306/mysql", "refused user 'parity_no_such_user'"),
        ("postgresql://postgres@127.0.0.1:{port}/postgres", "nothing accepts connections at"),
        ("mysql://root@127.0.0.1:{port}/x", "nothing accepts connections at"),
    ],
)
def test_connection_hints_name_the_real_cause(tree: Any, dsn: str, cause: str) -> None:
    """Against the real servers: an unknown role, an unknown database, a refused login and a
    closed port are four different fixes, and the hint names the one the server gave."""
    from aws_env import free_port

    dsn = dsn.format(port=free_port())
    source = f"{{ type = 'sql', dsn = '{dsn}' }}"
    root = tree({"parity.toml": f"[environments.production]\nsources = [{source}]\n"})
    r = cli("snapshot", "production", "-c", str(root / "parity.toml"), "-o", str(root / "s.json"))
    assert r.code == 3
    hint = next(line for line in r.err.splitlines() if line.strip().startswith("hint:"))
    assert cause in hint, r.err
