"""Data-volume collection cost vs table size: parity's catalog reads against SELECT COUNT(*).

Grows one PostgreSQL table (on the local server, 127.0.0.1:5432) to each size, then times the
`sql` collector end to end (connect, catalog, transform) and a plain COUNT(*) of the table.
parity's figure must stay flat as the table grows (target: < 50 ms per table at 10M rows);
COUNT(*) grows linearly. Medians of --repeat runs. The database is dropped afterwards.
Run: python bench/sql_volume.py [--sizes 10000,1000000,10000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from pathlib import Path

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    import psycopg

    from parity.collectors.interface import CollectContext
    from parity.collectors.sql.collector import SqlCollector, SqlOptions

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,1000000,10000000")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    name = f"parity_bench_{uuid.uuid4().hex[:8]}"
    dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(dsn, autocommit=True) as c:
            c.execute("CREATE TABLE events (id bigint PRIMARY KEY, kind text, payload text)")
            have = 0
            print(f"{'rows':>12} {'parity collect':>16} {'COUNT(*)':>12} {'ratio':>8}")
            for size in sizes:
                c.execute(
                    "INSERT INTO events SELECT g, 'k' || (g %% 10), repeat('x', 40) "
                    "FROM generate_series(%s::bigint, %s::bigint) g",
                    (have + 1, size),
                )
                have = size
                c.execute("VACUUM ANALYZE events")
                opts = SqlOptions(name="db", dsn=dsn)
                ctx = CollectContext("bench", Path("."))
                collect, count = [], []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    result = SqlCollector(opts, ctx).run()
                    collect.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    c.execute("SELECT COUNT(*) FROM events").fetchone()
                    count.append(time.perf_counter() - t0)
                rows = next(
                    r for r in result.records if getattr(r, "key", "") == "public.events:rows"
                )
                p, q = statistics.median(collect), statistics.median(count)
                print(
                    f"{size:>12,} {p * 1000:>13.1f} ms {q * 1000:>9.1f} ms {q / p:>7.1f}x"
                    f"   (estimate {rows.value:,.0f})"
                )
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
