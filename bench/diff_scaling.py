"""Record aligner and diff+policy scaling vs DeepDiff; end-to-end `parity check` time and memory.

Prints figures; it asserts nothing (speed goals are read, not unit-tested). Targets (the
performance issue), each a ratio against a baseline measured in the same run:
- (an earlier issue's) diff+policy >= 50x faster than DeepDiff at 100k keys; the performance
  issue replaced it with the end-to-end ratios below, since parity's rules do far more than diff;
- 100k-key .env pair end to end faster than DeepDiff's compare step alone on the parsed dicts;
- 1M-key .env pair end to end <= 4x the Python floor (read + split + dict + compare of both
  files, in the same kind of fresh interpreter) and <= 600 MB peak RSS.
Run: python bench/diff_scaling.py [--sizes 10000,100000] [--e2e 100000,1000000]
"""

from __future__ import annotations

import argparse
import os
import random
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
    from parity.app.pipeline import build_report
    from parity.settings import Settings

    snaps = snapshots(ref, env)
    t = time.perf_counter()
    report = build_report(snaps, Settings(), "production")
    return time.perf_counter() - t, len(report.findings)


def time_align(ref: dict[str, str], env: dict[str, str]) -> float:
    """The record aligner alone (index both snapshots, align them): the step DeepDiff could
    replace, and why it does not (README, "How structure is compared")."""
    from parity.align.diff import align, build_index

    snaps = snapshots(ref, env)
    t = time.perf_counter()
    align(build_index(snaps["production"], []), build_index(snaps["staging"], []))
    return time.perf_counter() - t


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


FLOOR = """
import sys
def load(path):
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            k, _, v = line.rstrip("\\n").partition("=")
            out[k] = v
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
changed = [k for k, v in a.items() if b.get(k, v) != v]
only = a.keys() ^ b.keys()
print(len(changed), len(only))
"""


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - t


def peak_rss_mb(cmd: list[str], env_vars: dict[str, str]) -> float:
    """Peak RSS of one run of `cmd`, from a wrapper process so earlier children do not count."""
    wrapper = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], env=env_vars, capture_output=True, text=True
    )
    return int(out.stdout.strip() or 0) / 1024


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
        floor = timed(
            [sys.executable, "-c", FLOOR, str(root / "production.env"), str(root / "staging.env")]
        )
        wall, proc = timed_check(root / "parity.toml")
        env_vars = {**os.environ, "PARITY_FINGERPRINT_KEY": "bench-fingerprint-key-0123456789"}
        cmd = [sys.executable, "-m", "parity", "check", "-c", str(root / "parity.toml")]
        peak_mb = peak_rss_mb([*cmd, "-f", "json", "-o", str(root / "r.json")], env_vars)
        status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr[-300:]}"
        print(
            f"end-to-end parity check, {n:,} keys x 2 envs: {wall:.2f} s wall ({status}), "
            f"{wall / floor:.1f}x the Python floor ({floor:.2f} s; target <= 4x), "
            f"peak RSS {peak_mb:,.0f} MB (target <= 600 MB at 1M)"
        )
        if n <= 200_000:
            dd = time_deepdiff(ref, env)
            print(
                f"  vs DeepDiff's compare step alone on parsed dicts: {dd:.2f} s, "
                f"ratio {wall / dd:.2f} (target < 1.0)"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--deepdiff-max", type=int, default=100_000)
    ap.add_argument("--e2e", default="100000,1000000", help="comma-separated sizes; '' skips")
    args = ap.parse_args()
    print(
        f"{'keys':>10} {'align s':>8} {'parity s':>9} {'deepdiff s':>11} "
        f"{'dd/align':>9} {'dd/parity':>10} {'findings':>9}"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        ref, env = synthetic(n)
        a = time_align(ref, env)
        p, findings = time_parity(ref, env)
        if n <= args.deepdiff_max:
            dd = time_deepdiff(ref, env)
            print(
                f"{n:>10,} {a:>8.3f} {p:>9.3f} {dd:>11.3f} {dd / a:>8.1f}x {dd / p:>9.1f}x "
                f"{findings:>9,}"
            )
        else:
            print(f"{n:>10,} {a:>8.3f} {p:>9.3f} {'(skipped)':>11} {'':>9} {'':>10} {findings:>9,}")
    print(
        "earlier target: ratio >= 50x at 100,000 keys (superseded by the end-to-end targets below:"
        " diff+policy also evaluates every rule)"
    )
    for n in (int(x) for x in args.e2e.split(",") if x):
        end_to_end(n)


if __name__ == "__main__":
    main()
