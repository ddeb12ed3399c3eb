"""Regenerate the sample SQLite databases (committed, so the sample needs no server).

    python sample_envs/db/make_sample_dbs.py

production: the shop's schema at migration orders.0005, realistic volume.
staging: one migration ahead (users.last_login), email made nullable by hand, the orders index
missing, and almost no data (orders empty).
canary: one migration behind (no orders.discount), a little less data than production.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

BASE = """
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP{last_login}
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  total NUMERIC(10, 2) NOT NULL,
  status TEXT NOT NULL DEFAULT 'new'{discount}
);
CREATE TABLE django_migrations (
  id INTEGER PRIMARY KEY, app TEXT NOT NULL, name TEXT NOT NULL, applied TEXT NOT NULL
);
"""


def build(
    root: Path, env: str, users: int, orders: int, migrations: int, *, staging: bool = False
) -> None:
    """One environment's database at root/env/app.db."""
    path = root / env / "app.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    ddl = BASE.format(
        last_login=",\n  last_login TEXT" if migrations >= 6 else "",
        discount=",\n  discount NUMERIC(10, 2)" if migrations >= 5 else "",
    )
    if staging:  # changed by hand in staging, never through a migration
        ddl = ddl.replace("email VARCHAR(255) NOT NULL UNIQUE", "email VARCHAR(255) UNIQUE")
    conn.executescript(ddl)
    if not staging:
        conn.execute("CREATE INDEX orders_user_idx ON orders (user_id)")
    names = ["0001_initial", "0002_status", "0003_totals", "0004_user_fk", "0005_discount"]
    names += ["0006_last_login"]
    rows = [("auth", "0001_initial"), ("auth", "0002_email")]
    rows += [("orders", n) for n in names[:migrations]]
    conn.executemany(
        "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-11-01')", rows
    )
    conn.executemany(
        "INSERT INTO users (id, email) VALUES (?, ?)",
        [(i, f"user{i}@shop.test") for i in range(1, users + 1)],
    )
    conn.executemany(
        "INSERT INTO orders (id, user_id, total) VALUES (?, ?, ?)",
        [(i, i % users + 1, (i * 7) % 500 + 0.99) for i in range(1, orders + 1)],
    )
    conn.commit()
    conn.execute("VACUUM")
    conn.close()


def build_all(root: Path = HERE) -> None:
    """The three sample databases."""
    build(root, "production", users=400, orders=3000, migrations=5)
    build(root, "canary", users=300, orders=2500, migrations=4)
    build(root, "staging", users=12, orders=0, migrations=6, staging=True)


if __name__ == "__main__":
    build_all()
