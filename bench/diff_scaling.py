"""Diff+policy scaling vs DeepDiff, and 1M-key end-to-end `parity check` time and peak memory.

Prints figures; it asserts nothing (speed goals are read, not unit-tested). Targets:
>= 50x faster than DeepDiff at 100k keys; 1M keys end-to-end under 10 s and 1.5 GB peak.
Run: python bench/diff_scaling.py [--sizes 10000,100000] [--e2e 1000000] [--deepdiff-max 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path


def synthetic(n: int, seed: int = 7) -> tuple[dict[str, str], dict[str, str]]:
    """Two envs of n keys with ~1% drift: changed values, missing keys, extras, typos.

    One value in 20 names its environment (hosts, buckets): a difference parity must normalize
    away and DeepDiff reports.
    """
    rng = random.Random(seed)
    ref = {
        f"SERVICE_{i:07d}_SETTING": f"db-{i}.prod.internal" if i % 20 == 0 else f"value-{i}"
        for i in range(n)
    }
    env = {k: v.replace("prod", "staging") for k, v in ref.items()}
    keys = list(ref)
    for k in rng.sample(keys, n // 200):  # 0.5% changed
        env[k] = "changed-" + env[k]
    for k in rng.sample(keys, n // 400):  # 0.25% missing (some become typos)
        env.pop(k, None)
        if rng.random() < 0.3:
            env[k.replace("SETTING", "SETTNIG")] = "typo"
    for i in range(n // 400):  # 0.25% extra
        env[f"EXTRA_{i:07d}"] = "x"
    return ref, env


def snapshots(ref: dict[str, str], env: dict[str, str]):
    from parity.model import ConfigEntry, Snapshot

    def snap(name: str, data: dict[str, str]) -> Snapshot:
        recs = tuple(
            ConfigEntry("app-env", k, v, f"{name}/.env:{i}", env_var=True)
            for i, (k, v) in enumerate(data.items(), 1)
        )
        return Snapshot(
            environment=name, collected_at=datetime.now(UTC), parity_version="bench", records=recs
        )

    return {"production": snap("production", ref), "staging": snap("staging", env)}


def time_parity(ref: dict[str, str], env: dict[str, str]) -> tuple[float, int]:
    from parity.pipeline import build_report
    from parity.settings import Settings

    snaps = snapshots(ref, env)
    t = time.perf_counter()
    report = build_report(snaps, Settings(), "production")
    return time.perf_counter() - t, len(report.findings)


def time_deepdiff(ref: dict[str, str], env: dict[str, str]) -> float:
    from deepdiff import DeepDiff

    t = time.perf_counter()
    DeepDiff(ref, env)
    return time.perf_counter() - t


def timed_check(config: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of one `parity check -f json -o report.json` in a fresh interpreter, as a
    user runs it (shared with bench/yaml_scaling)."""
    cmd = [sys.executable, "-m", "parity", "check", "-c", str(config), "-f", "json"]
    cmd += ["-o", str(config.parent / "report.json"), "--fail-on", "never"]
    env_vars = {**os.environ, "PARITY_FINGERPRINT_KEY": "bench-fingerprint-key-0123456789"}
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env_vars, capture_output=True, text=True, check=False)
    return time.perf_counter() - t, proc


def end_to_end(n: int) -> None:
    ref, env = synthetic(n)
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        for name, data in (("production", ref), ("staging", env)):
            (root / f"{name}.env").write_text("".join(f"{k}={v}\n" for k, v in data.items()))
        (root / "parity.toml").write_text(
            "[environments.production]\nsources = [{type='dotenv', path='production.env'}]\n"
            "[environments.staging]\nsources = [{type='dotenv', path='staging.env'}]\n"
        )
        wall, proc = timed_check(root / "parity.toml")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr[-300:]}"
        print(
            f"end-to-end parity check, {n:,} keys x 2 envs: {wall:.2f} s wall, "
            f"peak RSS {peak_mb:,.0f} MB ({status}); targets < 10 s, < 1536 MB"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--deepdiff-max", type=int, default=100_000)
    ap.add_argument("--e2e", type=int, default=1_000_000, help="0 to skip")
    args = ap.parse_args()
    print(f"{'keys':>10} {'parity s':>10} {'deepdiff s':>11} {'ratio':>8} {'findings':>9}")
    for n in (int(x) for x in args.sizes.split(",")):
        ref, env = synthetic(n)
        p, findings = time_parity(ref, env)
        if n <= args.deepdiff_max:
            dd = time_deepdiff(ref, env)
            print(f"{n:>10,} {p:>10.3f} {dd:>11.3f} {dd / p:>7.1f}x {findings:>9,}")
        else:
            print(f"{n:>10,} {p:>10.3f} {'(skipped)':>11} {'':>8} {findings:>9,}")
    print("target: ratio >= 50x at 100,000 keys")
    if args.e2e:
        end_to_end(args.e2e)


if __name__ == "__main__":
    main()
