"""Key-typo matching at scale: the worst case is many keys that only one side has.

Prints, for N unrelated keys per side (plus a few real typos planted among them), the time
find_typos takes and how many pairs it found. Target (issue 13): 10k x 10k in under 2 s on
the project's machine; every size is searched fully (no silent cap on candidate pairs).

    python bench/typo_matching.py [N ...]
"""

from __future__ import annotations

import random
import string
import sys
import time

from parity.typos import find_typos


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


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 2_000, 10_000]
    print(f"{'keys/side':>10} {'seconds':>8} {'pairs':>6} {'planted':>8}")
    for n in sizes:
        secs, found, planted = run(n)
        print(f"{n:>10,} {secs:>8.2f} {found:>6} {planted:>8}")


if __name__ == "__main__":
    main()
