"""Key typos: pair each key only one environment has with the key it most plausibly misspells.

Plausible means: within `max_distance` edits (Damerau/OSA), small relative to the key and to
the word the edit falls in, the differing characters alphabetic — `DATABSE_URL` is a typo of
`DATABASE_URL`, but `worker1` is not one of `worker`, nor `node2` of `node1`, nor `apps.24` of
`apps.23`, nor `flags.b` of `flags.a` — and neither key set in both environments (then both are
meant).

Matching is sub-quadratic in practice and never silently capped: candidates are restricted to
keys of compatible length, and large searches use rapidfuzz's `process.cdist` (C, all cores)
with a score cutoff. Small searches, the usual pre-deploy gate, use a banded pure-Python OSA
(`osa_within`, checked against rapidfuzz in tests/core/test_diff.py): importing rapidfuzz
costs more than a few hundred such comparisons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable

# Above this many candidate pairs, the matrix search (numpy + cdist) beats per-key scans.
_MATRIX_PAIRS = 250_000
# Up to this many, comparing in Python is cheaper than importing rapidfuzz (bench/typo_matching).
_PYTHON_PAIRS = 400


def canonical_key(key: str) -> str:
    """Case and separator-insensitive form: `database-url` ~ `DATABASE_URL`."""
    return key.lower().replace("_", "").replace("-", "").replace(".", "")


def plausible(m: str, x: str, dist: int, max_distance: int) -> bool:
    """Whether x misspelling m is a believable typo (see module docstring)."""
    if dist == 0:
        return True
    longest = max(len(m), len(x))
    if dist > max_distance or dist * 4 > longest or longest < 5:
        return False
    a, b = m.lower(), x.lower()
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    da, db = a[i : len(a) - j], b[i : len(b) - j]
    if da + db and not (da + db).isalpha():
        return False
    # The edit must also be small against the word it falls in: `flags.a`/`flags.b` and
    # `SERVICE_A_URL`/`SERVICE_B_URL` name two things; `API_KYE` is a typo of `API_KEY`.
    longer = a if len(a) >= len(b) else b
    start, end = i, len(longer) - j
    while start > 0 and longer[start - 1].isalnum():
        start -= 1
    while end < len(longer) and longer[end].isalnum():
        end += 1
    return dist * 3 <= end - start


def _by_length(keys: list[str]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        out[len(k)].append(i)
    return out


def osa_within(a: str, b: str, k: int) -> int:
    """The optimal-string-alignment distance of a and b when it is at most k, else k + 1
    (rapidfuzz's `OSA.distance(a, b, score_cutoff=k)`). Only cells within k of the diagonal
    can hold a distance <= k, and once a whole row exceeds k so does every later one (a
    transposition costs at least the cell diagonally before it), so a pair is settled in
    O(k * len) steps."""
    over = k + 1
    la, lb = len(a), len(b)
    if abs(la - lb) > k:
        return over
    before: list[int] = []
    prev = [j if j <= k else over for j in range(lb + 1)]
    for i in range(1, la + 1):
        cur = [over] * (lb + 1)
        if i <= k:
            cur[0] = i
        lo, hi = max(1, i - k), min(lb, i + k)
        ai = a[i - 1]
        for j in range(lo, hi + 1):
            bj = b[j - 1]
            best = prev[j - 1] + (ai != bj)
            if prev[j] + 1 < best:
                best = prev[j] + 1
            if cur[j - 1] + 1 < best:
                best = cur[j - 1] + 1
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == bj and before[j - 2] + 1 < best:
                best = before[j - 2] + 1
            cur[j] = best if best < over else over
        if min(cur[lo - 1 : hi + 1]) >= over:
            return over
        before, prev = prev, cur
    return prev[lb]


def _candidates(
    missing: list[str], extra: list[str], max_distance: int
) -> Iterable[tuple[int, int, int]]:
    """(distance, extra index, missing index) of pairs within max_distance edits."""
    low_m = [m.lower() for m in missing]
    low_x = [x.lower() for x in extra]
    m_len, x_len = _by_length(low_m), _by_length(low_x)
    buckets = []
    for length, xs in sorted(x_len.items()):
        window = [
            i for n in range(length - max_distance, length + max_distance + 1) for i in m_len[n]
        ]
        if window:
            buckets.append((xs, window))
    if sum(len(xs) * len(window) for xs, window in buckets) <= _PYTHON_PAIRS:
        for xs, window in buckets:
            for xi in xs:
                for mi in window:
                    dist = osa_within(low_x[xi], low_m[mi], max_distance)
                    if dist <= max_distance:
                        yield dist, xi, mi
        return
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    for xs, window in buckets:
        choices = [low_m[i] for i in window]
        if len(xs) * len(window) > _MATRIX_PAIRS:
            import numpy as np

            matrix = process.cdist(
                [low_x[i] for i in xs],
                choices,
                scorer=OSA.distance,
                score_cutoff=max_distance,
                dtype=np.uint8,
                workers=-1,
            )
            rows, cols = np.nonzero(matrix <= max_distance)
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                yield int(matrix[r, c]), xs[r], window[c]
            continue
        for xi in xs:
            for _choice, dist, ci in process.extract(
                low_x[xi], choices, scorer=OSA.distance, score_cutoff=max_distance, limit=None
            ):
                yield int(dist), xi, window[ci]


def find_typos(
    missing: list[str],
    extra: list[str],
    max_distance: int = 2,
    taken: Container[str] = frozenset(),
) -> list[tuple[str, str]]:
    """(missing key, extra key) pairs, one-to-one, closest first."""
    if not missing or not extra:
        return []
    scored: list[tuple[int, str, str]] = []
    canon: dict[str, list[str]] = defaultdict(list)
    for m in missing:
        canon[canonical_key(m)].append(m)
    for x in extra:
        for m in canon.get(canonical_key(x), ()):
            scored.append((0, x, m))
    if max_distance > 0:
        for dist, xi, mi in _candidates(missing, extra, max_distance):
            m, x = missing[mi], extra[xi]
            if canonical_key(m) != canonical_key(x) and plausible(m, x, dist, max_distance):
                scored.append((dist, x, m))
    pairs: list[tuple[str, str]] = []
    used_m: set[str] = set()
    used_x: set[str] = set()
    for _dist, x, m in sorted(scored):
        if x in used_x or m in used_m or x in taken or m in taken:
            continue
        used_x.add(x)
        used_m.add(m)
        pairs.append((m, x))
    return sorted(pairs)
