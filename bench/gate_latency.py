"""Pre-deploy gate latency: `parity check` on sample_envs, median of repeated runs.

Prints figures, asserts nothing. Target: median <= 0.5 s wall on a quiet machine (the stack
issue: typer and pydantic-settings, with rich and DeepDiff imported lazily), printed next to
the floor of importing those libraries alone. Byte-compiles the project first,
as a wheel install does: with PYTHONDONTWRITEBYTECODE (set in many CI images) an editable
checkout otherwise recompiles every module on every run, ~60 ms that no user pays. Also prints
the interpreter's bare start-up (`python -c pass`) measured in the same run, as the floor to
compare against, the modules a plain check imports that it must not (boto3, docker, DB
drivers), and the heaviest imports.
Run: python bench/gate_latency.py [--runs 15]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("boto3", "botocore", "docker", "psycopg", "pymysql", "deepdiff", "moto")


def median_wall(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    for package in ("parity", "collectors", "policies"):
        compileall.compile_dir(ROOT / package, quiet=1)
    key_dir = tempfile.mkdtemp()
    env = {**os.environ, "PARITY_FINGERPRINT_KEY_FILE": f"{key_dir}/k"}
    check = [
        sys.executable,
        "-m",
        "parity",
        "check",
        "--config",
        str(ROOT / "sample_envs" / "parity.toml"),
    ]
    floor = median_wall([sys.executable, "-c", "pass"], args.runs, env)
    stack = median_wall(
        [sys.executable, "-c", "import typer, pydantic_settings, tabulate, yaml"],
        args.runs,
        {**env, "PYDANTIC_DISABLE_PLUGINS": "__all__"},
    )
    gate = median_wall(check, args.runs, env)
    sample = str(ROOT / "sample_envs" / "parity.toml")
    script = (
        "import io, sys, contextlib\nfrom parity.cli import run\n"  # the entry ends in os._exit
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    run(['check', '--config', {sample!r}])\n"
        f"heavy = {{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})\n"
        "print(','.join(sorted(heavy)), file=sys.stderr)"
    )
    probe = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    heavy = probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else ""
    imports = subprocess.run(
        [sys.executable, "-X", "importtime", *check[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"python -c pass         median {floor * 1000:7.1f} ms ({args.runs} runs)")
    print(
        f"import the stack       median {stack * 1000:7.1f} ms ({args.runs} runs; typer, "
        "pydantic-settings, tabulate, PyYAML: the floor of any gate built on them)"
    )
    verdict = "ok" if gate <= 0.5 else "over"
    print(
        f"parity check (sample)  median {gate * 1000:7.1f} ms ({args.runs} runs), "
        f"{gate / floor:.1f}x interpreter start-up, {gate - stack:+.3f} s over the stack's "
        f"import floor; target <= 500 ms ({verdict})"
    )
    print(
        f"heavy modules imported by a file-only check: {heavy or 'none'} "
        "(deepdiff only loads when a structured value changed, as in the sample)"
    )
    print("import time by distribution, self time summed (-X importtime, one run, inflated):")
    for name, us in import_self_times(imports.stderr, 10):
        print(f"  {us / 1000:6.1f} ms  {name}")


def import_self_times(importtime: str, n: int) -> list[tuple[str, int]]:
    """`-X importtime` self times summed per top-level package, heaviest first: which
    libraries the gate pays for, whoever imported them (cumulative times double-count)."""
    totals: dict[str, int] = {}
    for line in importtime.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not line.startswith("import time:"):
            continue
        self_us = parts[0].removeprefix("import time:").strip()
        if self_us.isdigit():
            top = parts[2].strip().split(".")[0]
            totals[top] = totals.get(top, 0) + int(self_us)
    return sorted(totals.items(), key=lambda r: -r[1])[:n]


if __name__ == "__main__":
    main()
