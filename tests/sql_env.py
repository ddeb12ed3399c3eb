"""Throwaway "production" and "staging" databases on the machine's real servers.

Each test gets its own pair (unique names), with realistic differences: a migration ahead, a
missing index, a changed column, skewed volume. The servers are required: an unreachable
server fails the test (set PARITY_SKIP_SERVICES=1 to skip instead, never in CI).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from live import unavailable

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
MY_ADMIN = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""}


def _unreachable(what: str, error: Exception) -> None:
    unavailable(f"{what} is not reachable: {error}", "start it; see README: Development")


def pg_admin() -> Any:
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as e:
        _unreachable("PostgreSQL at 127.0.0.1:5432", e)
        raise


def my_admin(database: str | None = None) -> Any:
    import pymysql

    try:
        return pymysql.connect(**MY_ADMIN, database=database, autocommit=True, connect_timeout=5)
    except pymysql.err.OperationalError as e:
        _unreachable("MariaDB at 127.0.0.1:3306", e)
        raise


PG_SCHEMA = """
CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL UNIQUE,
                    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id),
                     total numeric(10,2) NOT NULL, status text NOT NULL DEFAULT 'new');
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
"""


def pg_seed(conn: Any, env: str, users: int, orders: int) -> None:
    """One environment's schema and data; staging is one migration ahead and hand-edited."""
    conn.execute(PG_SCHEMA)
    if env == "production":
        conn.execute("CREATE INDEX orders_user_idx ON orders (user_id)")
        conn.execute("CREATE EXTENSION IF NOT EXISTS citext")
        conn.execute("INSERT INTO alembic_version VALUES ('a1b2c3d4e5f6')")
    else:
        conn.execute("ALTER TABLE users ADD COLUMN last_login timestamptz")
        conn.execute("ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)")
        conn.execute("INSERT INTO alembic_version VALUES ('f6e5d4c3b2a1')")
    conn.execute(
        "INSERT INTO users (email) SELECT 'u' || g || '@shop.test' FROM generate_series(1, %s) g",
        (users,),
    )
    conn.execute(
        "INSERT INTO orders (user_id, total) SELECT (g %% %s) + 1, g FROM generate_series(1, %s) g",
        (users, orders),
    )
    conn.execute("ANALYZE")


@contextmanager
def pg_pair(
    production: tuple[int, int] = (2000, 20000), staging: tuple[int, int] = (50, 100)
) -> Iterator[dict[str, str]]:
    """Two fresh PostgreSQL databases; yields env name -> DSN; drops them after."""
    import psycopg

    tag = uuid.uuid4().hex[:8]
    names = {"production": f"parity_{tag}_production", "staging": f"parity_{tag}_staging"}
    admin = pg_admin()
    try:
        for env, name in names.items():
            admin.execute(f'CREATE DATABASE "{name}"')
            with psycopg.connect(
                f"postgresql://postgres@127.0.0.1:5432/{name}", autocommit=True
            ) as c:
                pg_seed(c, env, *(production if env == "production" else staging))
        admin.execute(f"ALTER DATABASE \"{names['staging']}\" SET work_mem = '64MB'")
        yield {env: f"postgresql://postgres@127.0.0.1:5432/{name}" for env, name in names.items()}
    finally:
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


MY_SCHEMA = [
    "CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL, "
    "UNIQUE KEY users_email (email)) ENGINE=InnoDB",
    "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT NOT NULL, "
    "total DECIMAL(10,2) NOT NULL, status VARCHAR(20) NOT NULL DEFAULT 'new', "
    "CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users(id)) ENGINE=InnoDB",
    "CREATE TABLE django_migrations (id INT AUTO_INCREMENT PRIMARY KEY, app VARCHAR(255) NOT NULL, "
    "name VARCHAR(255) NOT NULL, applied DATETIME NOT NULL)",
]


def my_seed(cur: Any, env: str, users: int, orders: int) -> None:
    for stmt in MY_SCHEMA:
        cur.execute(stmt)
    migrations = ["0001_initial", "0002_status", "0003_totals"]
    if env == "production":
        cur.execute("CREATE INDEX orders_status_idx ON orders (status)")
    else:
        migrations = migrations[:2]  # staging is behind
        cur.execute("ALTER TABLE orders MODIFY status VARCHAR(20) NULL DEFAULT 'new'")
    cur.executemany(
        "INSERT INTO django_migrations (app, name, applied) VALUES ('orders', %s, NOW())",
        [(m,) for m in migrations],
    )
    cur.executemany(
        "INSERT INTO users (email) VALUES (%s)", [(f"u{i}@shop.test",) for i in range(users)]
    )
    cur.executemany(
        "INSERT INTO orders (user_id, total) VALUES (%s, %s)",
        [((i % users) + 1, i) for i in range(orders)],
    )
    cur.execute("ANALYZE TABLE users, orders")


@contextmanager
def my_pair(
    production: tuple[int, int] = (500, 5000), staging: tuple[int, int] = (5, 10)
) -> Iterator[dict[str, str]]:
    """Two fresh MariaDB databases; yields env name -> DSN; drops them after."""
    tag = uuid.uuid4().hex[:8]
    names = {"production": f"parity_{tag}_production", "staging": f"parity_{tag}_staging"}
    admin = my_admin()
    try:
        with admin.cursor() as cur:
            for env, name in names.items():
                cur.execute(f"CREATE DATABASE `{name}`")
                cur.execute(f"USE `{name}`")
                my_seed(cur, env, *(production if env == "production" else staging))
        yield {env: f"mysql://root@127.0.0.1:3306/{name}" for env, name in names.items()}
    finally:
        with admin.cursor() as cur:
            for name in names.values():
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


def sql_project(dsns: dict[str, str], **options: Any) -> dict[str, str]:
    """parity.toml whose `sql` sources read their DSN from SHOP_<ENV>_DB_URL."""
    extra = "".join(f", {k} = {_toml(v)}" for k, v in options.items())
    body = 'reference = "production"\n'
    for env in dsns:
        var = f"SHOP_{env.upper()}_DB_URL"
        body += f"[environments.{env}]\nsources = [\n"
        body += f'  {{ type = "sql", name = "app-db", dsn_env = "{var}"{extra} }},\n]\n'

    return {"parity.toml": body}


def _toml(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, str):
        return f'"{v}"'
    return str(v).lower() if isinstance(v, bool) else str(v)
