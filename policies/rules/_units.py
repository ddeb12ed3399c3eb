"""The sizes of one capacity unit on both sides: how they compare (below, above, switched off)
and how a finding says it ("33% of production's replicas; leaves cpu to its default")."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

from ._quantity import ratio

_COUNTS = ("replica", "worker", "concurrency", "thread", "process", "gomaxprocs", "count")
_SAME = 1.05  # `1.5Gi` vs `1500Mi`: the same size written in another unit
_RESERVATION = re.compile(r"(^|[._-])(requests?|guarantee|reservation|min)([._-]|$)")


class Leaf(NamedTuple):
    """One capacity value of a unit on both sides (None: unset on that side)."""

    label: str
    reference: str | None
    env: str | None
    source: str
    subject: str  # the config entry it belongs to (`config:scope:key`)


class Unit(NamedTuple):
    """What a capacity finding is about: a scope and, inside it, the owning key prefix."""

    scope: str
    owner: str
    whole: bool = False  # an object of a capacity kind

    @property
    def shown(self) -> str:
        return f"{self.owner} ({self.scope})" if self.owner else self.scope

    @property
    def subject(self) -> str:
        return f"capacity:{self.scope}:{self.owner}" if self.owner else f"capacity:{self.scope}"


def dimension(label: str) -> str:
    """The dimension a capacity key sizes, as a finding names it ("33% of production's
    replicas"): counts of instances are replicas, sizes of one instance its size."""
    low = label.lower()
    for dim in ("memory", "cpu", "storage", "replica", "maxmemory"):
        if dim in low:
            return "memory" if dim == "maxmemory" else dim + ("s" if dim == "replica" else "")
    if any(w in low for w in ("horizontal", "instance_count", "node_count", "num_cache")):
        return "replicas"
    if any(w in low for w in ("size_gb", "size_mb", "disk")):
        return "storage"
    if "vertical" in low or "vcore" in low:
        return "size"
    if any(w in low for w in ("worker", "concurrency", "thread", "process", "gomaxprocs")):
        return "workers"
    if "pool" in low or "connection" in low:
        return "connections"
    if any(w in low for w in ("class", "type", "sku", "size")):
        return "size"
    return label.rsplit(".", 1)[-1]


def share(r: float) -> str:
    if r == float("inf"):
        return "more than"
    if r >= 1:
        return f"{r:.3g}x"
    pct = r * 100
    return f"{pct:.2g}%" if pct < 10 else f"{pct:.0f}%"


def show_size(x: str | None) -> str:
    return "(unset)" if x in (None, "") else str(x)


def compare_sizes(leaf: Leaf) -> tuple[str, float | None]:
    """('below' | 'above' | 'off', ratio). Unset on one side is that side's default (below,
    shown); a count of zero where the reference runs some is a path not taken (off)."""
    if leaf.env in (None, "") or leaf.reference in (None, ""):
        return "below", None
    r = ratio(leaf.reference, leaf.env)
    if r is None:
        return "below", None  # another shape (an instance family, a mode): shown, not ranked
    low = leaf.label.lower()
    off = leaf.env.strip().lower() not in ("false", "no", "off")
    if r == 0 and off and any(w in low for w in _COUNTS):
        return "off", r
    if r > _SAME and not _RESERVATION.search(low):
        return "above", r  # a larger *limit*; a larger reservation hides nothing
    return "below", r


def summary(leaves: list[Leaf], reference: str) -> str:
    by_dim: dict[str, list[float]] = defaultdict(list)
    unset: dict[bool, list[str]] = {True: [], False: []}  # True: the environment's side
    other, off = [], []
    for leaf in leaves:
        _, r = compare_sizes(leaf)
        if r == 0 and (leaf.env or "").strip().lower() in ("false", "no", "off"):
            off.append(leaf.label)  # a sizing feature (autoscaling, HA) switched off
        elif r is not None:
            by_dim[dimension(leaf.label)].append(r)
        elif leaf.env in (None, "") or leaf.reference in (None, ""):
            unset[leaf.env in (None, "")].append(leaf.label)
        else:
            other.append(leaf.label)
    parts = []
    for dim, ratios in sorted(by_dim.items()):
        parts.append(f"{share(min(ratios))} of {reference}'s {dim}")
    if off:
        parts.append(f"turns {few(off)} off")
    if unset[True]:
        parts.append(f"leaves {few(unset[True])} to its default")
    if unset[False]:
        parts.append(f"sets {few(unset[False])}, which {reference} leaves to its default")
    if other:
        parts.append(f"another {few(other)}")
    return "; ".join(parts)


def few(labels: list[str]) -> str:
    return ", ".join(labels[:4]) + (f" (+{len(labels) - 4} more)" if len(labels) > 4 else "")
