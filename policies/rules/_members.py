"""Named members with nothing in common: one finding for the map, not one per member.

`hosts: {bids-ovh: …, hetzner-2i2c: …}` in production and `hosts: {staging: …}` in staging
share no member: each environment lists its own peers, clusters or regions. Comparing them
member by member says "bids-ovh missing", "hetzner-2i2c missing", "staging extra" — three
findings for one fact. When the two sides of a map have no member in common, that map is the
root cause, reported once with both member lists. Maps that share at least one member keep the
per-member findings: there, a member one side lacks is a real gap.

Only maps of named sub-maps qualify (`hosts.<name>.url`): a leaf member is one setting, a
ConfigMap key or an environment variable is one variable the code reads, and a member of an
identity-keyed list (`env[name=FOO]`, `containers[name=web]`) is a thing the workload runs
with; each of those stays its own finding at its own severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from parity.align.keys import segments
from parity.model import ConfigEntry


class Disjoint(NamedTuple):
    """A map whose members differ entirely between the reference and an environment."""

    scope: str
    parent: str
    reference_members: list[str]
    env_members: list[str]
    reference_records: list[ConfigEntry]
    env_records: list[ConfigEntry]


Roots = list[tuple[str, list[ConfigEntry]]]


def _parent(root: str) -> str | None:
    parts = segments(root)
    return parts[-2] if len(parts) > 1 else None


def _member(parent: str, key: str) -> str:
    """The member name right under `parent` in `key` (`hosts`, `hosts.a.url` -> `a`)."""
    return segments(key[len(parent) :].lstrip("."))[0]


def _named_submap(parent: str, root: str, recs: list[ConfigEntry]) -> bool:
    """`root` is a member of `parent` keyed by name whose value is a map, in a config file."""
    first = recs[0]
    return (
        not first.env_var
        and "/ConfigMap/" not in first.scope
        and not _member(parent, root).startswith("[")
        and all(r.key != root for r in recs)
    )


def _members(keys: Iterable[str], parent: str) -> set[str]:
    prefixes = (parent + ".", parent + "[")
    return {_member(parent, k) for k in keys if k.startswith(prefixes)}


def split_disjoint(
    missing: Roots,
    extra: Roots,
    reference_keys: Mapping[str, Mapping[str, object]],
    env_keys: Mapping[str, Mapping[str, object]],
    neutral: Callable[[str], str],
) -> tuple[list[Disjoint], Roots, Roots]:
    """(disjoint maps, the missing roots left, the extra roots left).

    Only maps present on both sides count (a subtree missing as a whole is already one
    finding), and only when every member of each side is one-sided. Scopes are matched, and
    looked up in the key maps, by their environment-neutral name (the index's).
    """

    def by_parent(roots: Roots) -> dict[tuple[str, str], Roots]:
        out: dict[tuple[str, str], Roots] = {}
        for root, recs in roots:
            parent = _parent(root)
            if parent is not None and _named_submap(parent, root, recs):
                out.setdefault((neutral(recs[0].scope), parent), []).append((root, recs))
        return out

    gone, new = by_parent(missing), by_parent(extra)
    found: list[Disjoint] = []
    taken: set[int] = set()
    for group, parent in sorted(gone.keys() & new.keys()):
        ref_members = _members(reference_keys.get(group, {}), parent)
        env_members = _members(env_keys.get(group, {}), parent)
        if not ref_members or not env_members or ref_members & env_members:
            continue
        a, b = gone[(group, parent)], new[(group, parent)]
        found.append(
            Disjoint(
                b[0][1][0].scope,  # as the environment names it, like its other findings
                parent,
                sorted(ref_members),
                sorted(env_members),
                [r for _, recs in a for r in recs],
                [r for _, recs in b for r in recs],
            )
        )
        taken.update(id(recs) for _, recs in a + b)
    return (
        found,
        [(root, recs) for root, recs in missing if id(recs) not in taken],
        [(root, recs) for root, recs in extra if id(recs) not in taken],
    )
