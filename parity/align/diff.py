"""Diff engine: align N snapshots against a reference by explicit identity, in linear time.

Identity is (kind, scope, key). Records are indexed per (kind, scope) group in dicts so alignment
is set arithmetic on keys; the only pairwise search is typo matching, and it runs on unmatched
keys only, through a deletion-neighbourhood index rather than all pairs.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from parity.align.normalize import EnvNormalizer, containing
from parity.align.typos import find_typos
from parity.model import NAMED_KINDS, RECORD_TYPES, ConfigEntry, Kind, Record, Snapshot

Group = tuple[str, str]


def _projection(fields: tuple[str, ...], all_fields: tuple[str, ...]) -> Callable[[Any], Any]:
    """A C-level itemgetter over the named fields: alignment must stay fast at 1M records."""
    return itemgetter(*(all_fields.index(f) for f in fields))


# Per kind, the fields whose difference makes a pair "changed" (rules refine: normalization,
# levels...), derived from each record class's own `compared` declaration.
COMPARED: dict[str, Callable[[Any], Any]] = {
    k: _projection(t.compared, t._fields) for k, t in RECORD_TYPES.items() if t.compared
}
# Kinds grouped by their first field and keyed by their second (all but required keys).
_SCOPED = frozenset(t for t in RECORD_TYPES.values() if len(t.identity) == 2)
assert all(t._fields[:2] == t.identity for t in _SCOPED), "identity must lead the fields"
_SCOPE = itemgetter(0)
_KEY = itemgetter(1)


def subject_of(record: Record) -> str:
    """Stable, human-readable identity used in finding ids and waivers."""
    kind, scope = record.group
    return f"{kind}:{scope}:{record.key}" if scope else f"{kind}:{record.key}"


@dataclass
class EnvIndex:
    """One environment's records grouped for O(1) alignment."""

    name: str
    groups: dict[Group, dict[str, Record]]

    _by_kind: dict[str, list[Record]] = field(default_factory=dict)

    def kind_records(self, kind: str) -> list[Record]:
        """Every record of one kind, in deterministic order (computed once)."""
        if kind not in self._by_kind:
            out: list[Record] = []
            for group in sorted(g for g in self.groups if g[0] == kind):
                out.extend(self.groups[group].values())
            self._by_kind[kind] = out
        return self._by_kind[kind]


def build_index(
    snapshot: Snapshot, ignore: list[str], normalizer: EnvNormalizer | None = None
) -> EnvIndex:
    """Group records; records whose key or subject matches an ignore glob are dropped.

    With a normalizer, environment-name tokens in scopes (`ecs/shop-prod/web`) and in the keys
    of resource-named kinds (secret names, tables, functions) are neutralized so resources
    align across environments. Tokens of *every* configured environment are replaced, on both
    sides alike; config keys are left alone (`hosts.prod` and `hosts.staging` may coexist).
    """
    groups: dict[Group, dict[str, Record]] = defaultdict(dict)
    records: Any = snapshot.records
    if ignore:
        records = [
            r
            for r in records
            if not any(
                fnmatch.fnmatchcase(r.key, g) or fnmatch.fnmatchcase(subject_of(r), g)
                for g in ignore
            )
        ]
    # Collectors emit records source by source, so (scope, type) runs are long: grouping runs
    # with C-level groupby/itemgetter avoids per-record Python work.
    scopes: dict[str, str] = {}
    for scope, run in groupby(records, key=_SCOPE):
        for cls, sub in groupby(run, key=type):
            if cls not in _SCOPED:  # unscoped kinds (required keys) have one fixed group
                for r in sub:
                    groups[r.group][r.key] = r
                continue
            items = list(sub)
            keys = list(map(_KEY, items))
            if normalizer is not None:
                if scope not in scopes:
                    scopes[scope] = normalizer.neutral(scope)
                scope = scopes[scope]
                if cls.kind in NAMED_KINDS:
                    for i in containing(keys, normalizer.all_tokens):
                        keys[i] = normalizer.neutral(keys[i])
            groups[(cls.kind, scope)].update(zip(keys, items, strict=True))
    return EnvIndex(snapshot.environment, dict(groups))


@dataclass(frozen=True)
class Mask:
    """What a source that could not be read makes incomparable in one pair of environments.

    A failed source proves nothing: its records are absent because they could not be read,
    so every comparison that depends on them is skipped, in both directions and for every
    rule — only `collector-failed` speaks for it. `groups` are the (kind, scope) groups the
    same source produced in the environment where it did not fail (a requirements file's
    `dependency:pypi`, a database's extensions); `scopes` are the failed scopes themselves,
    and everything nested below them (a compose service whose env_file is missing).
    Both are environment-neutral, like the index's group names.
    """

    groups: frozenset[Group] = frozenset()
    scopes: tuple[str, ...] = ()

    def __contains__(self, group: object) -> bool:
        if not isinstance(group, tuple) or len(group) != 2:
            return False
        if group in self.groups:
            return True
        scope = group[1]
        return any(scope == s or scope.startswith(s + "/") for s in self.scopes)

    def __bool__(self) -> bool:
        return bool(self.groups or self.scopes)


def mask_for(snapshots: list[Snapshot], normalizer: EnvNormalizer | None = None) -> Mask:
    """The mask of a pair: every source that failed on either side, with what that source
    produced wherever it did not fail."""
    neutral = normalizer.neutral if normalizer is not None else (lambda s: s)
    failed = {e.scope for s in snapshots for e in s.errors if e.scope}
    if not failed:
        return Mask()
    groups: set[Group] = set()
    for snapshot in snapshots:
        for src in snapshot.sources:
            if src.name in failed:
                for g in src.groups:
                    kind, _, scope = g.partition(":")
                    groups.add((kind, neutral(scope)))
    return Mask(frozenset(groups), tuple(sorted({neutral(s) for s in failed})))


@dataclass
class PairDiff:
    """Differences of one environment against the reference."""

    env: str
    reference: str
    missing: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    extra: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[str, list[tuple[Record, Record]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    typos: list[tuple[ConfigEntry, ConfigEntry]] = field(default_factory=list)
    subjects: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def align(
    reference: EnvIndex,
    env: EnvIndex,
    typo_distance: int = 2,
    mask: Mask | None = None,
    normalizer: EnvNormalizer | None = None,
) -> PairDiff:
    """Compare env against ref group by group; linear in the number of records.

    Groups a failed source owns on either side (the mask) are not compared: their records are
    missing because they could not be read, and collector-failed already says so.
    """
    diff = PairDiff(env.name, reference.name)
    for group in sorted(set(reference.groups) | set(env.groups)):
        kind = group[0]
        if mask and group in mask:
            continue
        a = reference.groups.get(group, {})
        b = env.groups.get(group, {})
        missing = a.keys() - b.keys()
        diff.subjects[kind] += len(b) + len(missing)
        if kind == Kind.REQUIRED_KEY:
            continue
        extra = b.keys() - a.keys()
        renamed = _env_named_pairs(missing, extra, normalizer) if missing and extra else {}
        diff.missing[kind].extend(a[k] for k in sorted(missing - renamed.keys()))
        diff.extra[kind].extend(b[k] for k in sorted(extra - set(renamed.values())))
        project = COMPARED.get(kind)
        if project is None:
            continue
        diff.changed[kind].extend(
            (a[ka], b[kb]) for ka, kb in sorted(renamed.items()) if project(a[ka]) != project(b[kb])
        )
        # Compare the compared fields of the common keys in place: no projected copies of
        # both sides (they were the alignment's memory peak at 1M records), and identical
        # records (the same tuple object, or equal fields) cost one comparison each.
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        changed = sorted(
            k
            for k, r in small.items()
            if (o := large.get(k)) is not None and o is not r and project(r) != project(o)
        )
        diff.changed[kind].extend((a[k], b[k]) for k in changed)
    if diff.missing.get(Kind.CONFIG) and diff.extra.get(Kind.CONFIG):
        _pair_typos(diff, typo_distance, _ConfigKeys(reference, env))
    return diff


class _ConfigKeys:
    """`key in this`: the key is set, in any scope, in both environments (then two keys are
    both meant, never a typo of each other). Answered per candidate, without a key index."""

    def __init__(self, a: EnvIndex, b: EnvIndex) -> None:
        self.a = [r for g, r in a.groups.items() if g[0] == Kind.CONFIG]
        self.b = [r for g, r in b.groups.items() if g[0] == Kind.CONFIG]

    def __contains__(self, key: object) -> bool:
        return any(key in g for g in self.a) and any(key in g for g in self.b)


def _env_named_pairs(
    missing: set[str], extra: set[str], normalizer: EnvNormalizer | None
) -> dict[str, str]:
    """Keys that differ only by environment names (`api.stage.x.org_MAX` / `api.x.org_MAX`,
    `apps[name=web-staging]` / `apps[name=web]`) are the same key. Only unmatched keys are
    tried, and only one-to-one matches count, so `hosts.prod` and `hosts.staging` set side by
    side in one file stay two keys."""
    if normalizer is None:
        return {}

    def by_neutral(keys: set[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for k in sorted(keys):
            out[normalizer.neutral(k)].append(k)
        return out

    nm, nx = by_neutral(missing), by_neutral(extra)
    return {
        ms[0]: nx[n][0]
        for n, ms in nm.items()
        if len(ms) == 1 and len(nx.get(n, ())) == 1 and ms[0] != nx[n][0]
    }


def _pair_typos(diff: PairDiff, max_distance: int, present_keys: Container[str]) -> None:
    """Replace missing/extra config pairs that are near-misses by typo pairs."""
    missing = diff.missing.get(Kind.CONFIG, [])
    extra = diff.extra.get(Kind.CONFIG, [])
    if not missing or not extra:
        return
    by_scope_m: dict[str, dict[str, ConfigEntry]] = defaultdict(dict)
    by_scope_x: dict[str, dict[str, ConfigEntry]] = defaultdict(dict)
    for r in missing:
        if isinstance(r, ConfigEntry):
            by_scope_m[r.scope][r.key] = r
    for r in extra:
        if isinstance(r, ConfigEntry):
            by_scope_x[r.scope][r.key] = r
    paired: set[int] = set()
    taken = present_keys  # keys set in both environments: never a typo of each other
    for scope in sorted(set(by_scope_m) & set(by_scope_x)):
        ms, xs = by_scope_m[scope], by_scope_x[scope]
        for m, x in find_typos(sorted(ms), sorted(xs), max_distance, taken):
            diff.typos.append((ms[m], xs[x]))
            paired.add(id(ms[m]))
            paired.add(id(xs[x]))
    if paired:
        diff.missing[Kind.CONFIG] = [r for r in missing if id(r) not in paired]
        diff.extra[Kind.CONFIG] = [r for r in extra if id(r) not in paired]
