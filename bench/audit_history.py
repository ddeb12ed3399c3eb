"""Nightly audits over a stored history: 30 nights of a 100k-key environment pair.

Stores 30 nights of production and staging snapshots (100k keys each, ~1% drift that changes a
little every night) in a local history, then times what a nightly job does on night 31: store
tonight's snapshots, load the previous audit, evaluate, mark new/persisting/resolved, store the
report, read the 30-night trend, resolve `production@latest~1`, and prune to 30 nights.
Prints wall time and peak RSS of each step.
Run: python bench/audit_history.py [--keys 100000] [--nights 30]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from parity.app.audit import mark
    from parity.app.pipeline import build_report
    from parity.model import ConfigEntry, Snapshot
    from parity.reports.json_report import load_report, render_json
    from parity.settings import Settings
    from parity.store.history import History
    from parity.store.objects import LocalObjects

    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=100_000)
    ap.add_argument("--nights", type=int, default=30)
    args = ap.parse_args()
    t0 = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)

    def snap(env: str, night: int) -> Snapshot:
        records = []
        for i in range(args.keys):
            value = f"value-{i}"
            if env == "staging" and i % 100 == (night % 7):
                value = f"other-{night % 7}-{i}"
            records.append(ConfigEntry("app", f"KEY_{i:06d}", value, f".env:{i + 1}", env_var=True))
        return Snapshot(
            environment=env,
            collected_at=t0 + timedelta(days=night),
            parity_version="bench",
            records=tuple(records),
        )

    with tempfile.TemporaryDirectory() as d:
        history = History(LocalObjects(Path(d)))
        settings = Settings(environments={}, reference="production")
        start = time.perf_counter()
        previous = None
        for night in range(args.nights):
            snaps = {e: snap(e, night) for e in ("production", "staging")}
            for s in snaps.values():
                history.save(s)
            report = mark(build_report(snaps, settings, "production"), previous)
            history.save_audit(render_json(report), t0 + timedelta(days=night))
            previous = report
        print(
            f"seeded {args.nights} nights x 2 envs x {args.keys:,} keys in "
            f"{time.perf_counter() - start:.1f} s"
        )

        steps: list[tuple[str, float]] = []

        def timed(name: str, fn):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            out = fn()
            steps.append((name, time.perf_counter() - t))
            return out

        tonight = {e: snap(e, args.nights) for e in ("production", "staging")}
        timed("store tonight's snapshots", lambda: [history.save(s) for s in tonight.values()])
        audits = history.audits()
        prev = timed(
            "load the previous audit", lambda: load_report(history.read_audit(audits[-1]), "x")
        )
        report = timed("evaluate", lambda: build_report(tonight, settings, "production"))
        report = timed("mark new/persisting/resolved", lambda: mark(report, prev))
        timed(
            "store the audit report",
            lambda: history.save_audit(render_json(report), datetime.now(UTC)),
        )
        timed("read the 30-night trend", lambda: history.trend(30))
        timed("resolve production@latest~1", lambda: history.resolve("production@latest~1"))
        timed("prune to 30 nights", lambda: history.prune(30, None, datetime.now(UTC)))
        for name, secs in steps:
            print(f"{name:32} {secs:7.2f} s")
        assert report.audit is not None
        print(
            f"new {report.audit.new}, persisting {report.audit.persisting}, "
            f"resolved {len(report.audit.resolved)}; peak RSS {peak_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
