"""Key-typo matching at scale: the worst case is many keys that only one side has.

Prints, for N unrelated keys per side (plus a few real typos planted among them), the time
find_typos takes and how many pairs it found. Target (issue 13): 10k x 10k in under 2 s on
the project's machine; every size is searched fully (no silent cap on candidate pairs).

Also prints where a small search stops comparing in Python (`parity.align.typos._PYTHON_PAIRS`):
the cost of one banded comparison of near-miss keys (the slow case: no early exit) against
importing rapidfuzz in a fresh interpreter.

    python bench/typo_matching.py [N ...]
"""

from __future__ import annotations

import random
import statistics
import string
import subprocess
import sys
import time

from parity.align.typos import _PYTHON_PAIRS, find_typos, osa_within


def keys(n: int, rng: random.Random) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        words = [
            "".join(rng.choices(string.ascii_uppercase, k=rng.randint(3, 8)))
            for _ in range(rng.randint(2, 4))
        ]
        out.add("_".join(words))
    return sorted(out)


def run(n: int) -> tuple[float, int, int]:
    rng = random.Random(n)
    missing = keys(n, rng)
    extra = keys(n, random.Random(n + 1))
    planted = 0
    for i in range(0, n, max(1, n // 20)):  # a typo (one dropped letter) every n/20 keys
        k = missing[i]
        pos = rng.randrange(1, len(k) - 1)
        if k[pos].isalpha():
            extra.append(k[:pos] + k[pos + 1 :])
            planted += 1
    t0 = time.perf_counter()
    pairs = find_typos(missing, extra, 2)
    return time.perf_counter() - t0, len(pairs), planted


def break_even() -> None:
    rng = random.Random(7)
    near = []
    for key in keys(500, rng):
        pos = rng.randrange(1, len(key) - 1)
        near.append((key.lower(), (key[:pos] + key[pos + 1 :]).lower()))
    t0 = time.perf_counter()
    for a, b in near:
        osa_within(a, b, 2)
    per_pair = (time.perf_counter() - t0) / len(near)
    probe = "import time; t = time.perf_counter(); import rapidfuzz.process; "
    probe += "print(time.perf_counter() - t)"
    imports = [
        float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout)
        for _ in range(7)
    ]
    cost = statistics.median(imports)
    print(
        f"python OSA {per_pair * 1e6:.1f} us/pair (near misses), rapidfuzz import "
        f"{cost * 1000:.1f} ms: break-even {cost / per_pair:,.0f} pairs; "
        f"threshold {_PYTHON_PAIRS}"
    )


def main() -> None:
    break_even()
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 2_000, 10_000]
    print(f"{'keys/side':>10} {'seconds':>8} {'pairs':>6} {'planted':>8}")
    for n in sizes:
        secs, found, planted = run(n)
        print(f"{n:>10,} {secs:>8.2f} {found:>6} {planted:>8}")


if __name__ == "__main__":
    main()
