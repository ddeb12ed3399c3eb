"""capacity-drift: replicas, CPU, memory, workers, pools and instance sizes, as ratios.

Staging smaller than production is the normal case, and a gate that fails on replica counts is
switched off within a week; yet "staging runs at a tenth of production's memory" is worth
seeing. So capacity keys (the policy's `capacity` vocabulary, by key semantics) never reach
missing-key, and reach value-drift only in the direction that is a real drift:

- smaller than the reference, or left to its default on one side: per environment and unit
  (a workload, an app of a values file, a Helm sub-chart) one capacity-drift finding with the
  ratio of each dimension, naming every key it covers — info, unless the policy's
  `capacity.min_ratio` says a gap that large is not representative (level `below`);
- larger than the reference: an ordinary value-drift (level `larger`, a warning), because a
  staging bigger than production hides the limits production runs into; a count of zero where
  the reference runs some (level `disabled`) leaves a code path unexercised.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from parity.align.diff import subject_of
from parity.align.keys import is_identity_field, key_parts
from parity.model import ConfigEntry, Kind

from ..vocabulary import vocabulary
from ._quantity import instance_size, quantity, same_size
from ._units import Leaf, Unit, compare_sizes, share, show_size, summary
from .interface import Draft, RuleContext, rule

WHOLE = -1  # the whole object is capacity (a PodDisruptionBudget, an HPA)


def capacity_start(ctx: RuleContext, r: ConfigEntry) -> int | None:
    """Where capacity starts in r's key: a part index, WHOLE for an object of a capacity
    kind, None when r is not capacity (or a contract decides it)."""
    cache: dict[tuple[str, str], int | None] = ctx._cache.setdefault("capacity", {})
    ident = (r.scope, r.key)
    if ident not in cache:
        cache[ident] = _start(ctx, r)
    return cache[ident]


def _start(ctx: RuleContext, r: ConfigEntry) -> int | None:
    cap = ctx.policy.capacity
    if r.value is None and r.structured is None:
        return None  # a secret or a reference: never a size
    if ctx.policy.contract_for(r.key, subject_of(r)) is not None:
        return None  # the project said how to judge this key
    kinds = {k.lower() for k in cap.kinds}
    if kinds and any(p.lower() in kinds for p in r.scope.split("/")[1:-1]):
        return WHOLE
    start = vocabulary(tuple(cap.keys)).find(r.key)
    if start is None or r.structured is not None:
        return start
    if start < len(key_parts(r.key)) - 1 and not _sizeish(r.value) and not is_identity_field(r.key):
        return None  # `storage.s3.bucket`: a name below a capacity word, not a size
    return start


def _sizeish(value: str | None) -> bool:
    return quantity(value) is not None or instance_size(value or "") is not None


def is_capacity(ctx: RuleContext, r: ConfigEntry, other: str | None = None) -> bool:
    """Whether capacity-drift (not missing-key or value-drift) speaks for this entry. With
    `other` (the environment lacking r): only while r's unit exists there — an app or element
    the other side lacks as a whole is missing, not smaller (missing-key says it once)."""
    start = capacity_start(ctx, r)
    if start is None:
        return False
    if other is None or start == WHOLE:
        return True
    owner = _owner(r.key, start)
    keys = ctx.indexes[other].groups.get((Kind.CONFIG, ctx.normalizer.neutral(r.scope)), {})
    if not owner:
        return bool(keys)
    return any(k == owner or k.startswith((owner + ".", owner + "[")) for k in keys)


def _owner(key: str, start: int) -> str:
    """The key prefix that owns a capacity setting: up to the last list element before it
    (an app of a values file), else its first part (a sub-chart), else nothing (the scope)."""
    parts = [p for p in key_parts(key)[:start] if p.element or p.name not in _WRAPPERS]
    end = max((p.end for p in parts if p.element), default=parts[-1].end if parts else 0)
    return key[:end]


# Keys that only wrap a unit's sizing (compose `deploy.resources`, a manifest's `spec`): the
# unit is what holds them, not the wrapper.
_WRAPPERS = {"deploy", "spec", "template"}


def _unit(ctx: RuleContext, env: str, r: ConfigEntry, start: int) -> tuple[Unit, str]:
    """The unit a capacity entry belongs to and the entry's label inside it."""
    scope, label = r.scope, r.key
    owner = "" if start == WHOLE else _owner(r.key, start)
    # a container's settings belong to its workload (`k8s/Deployment/web/nginx` -> web)
    parent, _, container = scope.rpartition("/")
    neutral = ctx.normalizer.neutral(parent)
    if parent and any((Kind.IMAGE, neutral) in ctx.indexes[e].groups for e in (env, ctx.reference)):
        scope, label = parent, f"{container}.{label}"
    return Unit(scope, owner, start == WHOLE), label


def _values(r: ConfigEntry | None, label: str) -> dict[str, str | None]:
    """label -> value, a structured map (a container's `resources`) spread into its leaves."""
    if r is None:
        return {}
    if isinstance(r.structured, dict):
        out: dict[str, str | None] = {}
        _spread(r.structured, label, out)
        return out
    return {label: r.value}


def _spread(data: Any, prefix: str, out: dict[str, str | None]) -> None:
    if isinstance(data, dict):
        for k, v in data.items():
            _spread(v, f"{prefix}.{k}", out)
    else:
        out[prefix] = str(data).lower() if isinstance(data, bool) else str(data)


def _resolved(ctx: RuleContext, env: str, r: ConfigEntry | None) -> ConfigEntry | None:
    """An entry read from a ConfigMap key, with that key's value (the same unit's config)."""
    if r is None or r.value is not None or r.value_ref is None or r.value_ref.secret:
        return r
    cm, _, key = r.value_ref.name.partition("/")
    scope = ctx.normalizer.neutral(f"{r.scope.split('/', 1)[0]}/ConfigMap/{cm}")
    source = ctx.indexes[env].groups.get((Kind.CONFIG, scope), {}).get(key)
    return r._replace(value=source.value) if isinstance(source, ConfigEntry) else r


def _switched_off(ctx: RuleContext, env: str, r: ConfigEntry | None) -> bool:
    """Whether r sits under a feature env turns off (`autoscaling.enabled: false` beside
    `autoscaling.maxReplicas`): its sizes configure nothing there."""
    if r is None:
        return False
    keys = ctx.indexes[env].groups.get((Kind.CONFIG, ctx.normalizer.neutral(r.scope)), {})
    parts = r.key.split(".")
    for i in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:i])
        for flag in ("enabled", "enable"):
            other = keys.get(f"{prefix}.{flag}")
            if (
                isinstance(other, ConfigEntry)
                and other is not r
                and (other.value or "").strip().lower() in ("false", "0", "no", "off")
            ):
                return True
    return False


def _leaves(
    ctx: RuleContext, env: str, pairs: Iterable[tuple[ConfigEntry | None, ConfigEntry | None]]
) -> dict[Unit, list[Leaf]]:
    units: dict[Unit, list[Leaf]] = defaultdict(list)
    ref = ctx.reference
    for a, b in pairs:
        a, b = _resolved(ctx, ref, a), _resolved(ctx, env, b)
        r = b if b is not None and capacity_start(ctx, b) is not None else a
        if r is None or (start := capacity_start(ctx, r)) is None:
            continue
        if (a is None or b is None) and not is_capacity(ctx, r, env if b is None else ref):
            continue  # the whole unit is one-sided: missing-key reports it
        if _switched_off(ctx, ref, a) or _switched_off(ctx, env, b):
            continue  # sizes of a feature one side turns off: the switch says it
        unit, label = _unit(ctx, env, r, start)
        va, vb = _values(a, label), _values(b, label)
        for key in sorted(va.keys() | vb.keys()):
            x, y = va.get(key), vb.get(key)
            if x == y or same_size(x, y) or (x in (None, "") and y in (None, "")):
                continue
            if x is not None and y is not None and ctx.normalizer.same(ref, x, env, y):
                continue  # `scaleTargetRef: web-production` / `web-staging`
            units[unit].append(Leaf(key, x, y, r.source, subject_of(r)))
    return units


def _smaller(ctx: RuleContext, env: str, unit: Unit, leaves: list[Leaf]) -> Draft:
    ref = ctx.reference
    threshold = ctx.policy.capacity.min_ratio
    low = [r for leaf in leaves if (r := compare_sizes(leaf)[1]) is not None]
    level: str | None = None
    note = ""
    if threshold is not None and any(r < threshold for r in low):
        level, note = "below", f" (below the policy's minimum of {threshold:.0%})"
    if unit.whole and all(leaf.env in (None, "") for leaf in leaves):
        message = f"{unit.shown} exists in {ref} but not in {env}: {env} runs without it"
    elif unit.whole and all(leaf.reference in (None, "") for leaf in leaves):
        message = f"{unit.shown} exists in {env} but not in {ref}"
    else:
        message = f"{unit.shown} in {env} runs smaller than {ref}: {summary(leaves, ref)}"
    message += note
    return Draft(
        env,
        unit.subject,
        message,
        expected=", ".join(f"{leaf.label}={show_size(leaf.reference)}" for leaf in leaves),
        actual=", ".join(f"{leaf.label}={show_size(leaf.env)}" for leaf in leaves),
        suggestion=f"nothing to do if {env} is meant to be smaller; raise it where tests "
        f"need {ref}'s scale",
        source=leaves[0].source,
        level=level,
    )


def _larger(ctx: RuleContext, env: str, leaves: list[Leaf], direction: str) -> Draft:
    """One entry's sizes that exceed the reference's (or are zero where it runs some)."""
    ref = ctx.reference
    shown = ", ".join(
        f"{leaf.label} {show_size(leaf.env)} vs {show_size(leaf.reference)}" for leaf in leaves
    )
    if direction == "off":
        message = f"{shown} in {ref}: {env} runs none, so {ref}'s code path is not exercised"
        suggestion = f"run at least one in {env}, as {ref} does"
    else:
        r = max(x for leaf in leaves if (x := compare_sizes(leaf)[1]) is not None)
        message = (
            f"{shown} in {ref}: {env} is sized at {share(r)} {ref}'s, which hides the limits "
            f"{ref} runs into"
        )
        suggestion = f"size {env} like {ref}, or below"
    return Draft(
        env,
        leaves[0].subject,
        message,
        expected=", ".join(f"{leaf.label}={show_size(leaf.reference)}" for leaf in leaves),
        actual=", ".join(f"{leaf.label}={show_size(leaf.env)}" for leaf in leaves),
        suggestion=suggestion,
        source=leaves[0].source,
        level="larger" if direction == "above" else "disabled",
    )


def _units(ctx: RuleContext, env: str) -> dict[Unit, list[Leaf]]:
    """env's capacity leaves that differ from the reference's, per unit (computed once)."""
    key = f"capacity-units:{env}"
    if key not in ctx._cache:
        diff, config = ctx.pairs[env], Kind.CONFIG
        pairs: list[tuple[ConfigEntry | None, ConfigEntry | None]] = [
            (a, b)
            for a, b in diff.changed.get(config, [])
            if isinstance(a, ConfigEntry) and isinstance(b, ConfigEntry)
        ]
        pairs += [(a, None) for a in diff.missing.get(config, []) if isinstance(a, ConfigEntry)]
        pairs += [(None, b) for b in diff.extra.get(config, []) if isinstance(b, ConfigEntry)]
        pairs = [
            (a, b)
            for a, b in pairs
            if not ctx.in_missing_workload(env, (b or a).scope)  # type: ignore[union-attr]
        ]
        ctx._cache[key] = _leaves(ctx, env, pairs)
    units: dict[Unit, list[Leaf]] = ctx._cache[key]
    return units


@rule(
    "capacity-drift",
    category="config",
    severity="info",
    # smaller than the policy's capacity.min_ratio of the reference
    levels={"below": "warning"},
    title="Capacity below the reference's",
    rationale=(
        "Staging is smaller than production by design (replicas, CPU, memory, workers, pools, "
        "instance sizes), so the gap is shown as a ratio per workload without gating; a gap below "
        "the policy's capacity.min_ratio is not representative of production and warns. Capacity "
        "larger than the reference's is a value-drift (it hides production's limits)."
    ),
    remedy=(
        "Nothing if the environment is meant to be smaller; raise it where tests need the "
        "reference's scale."
    ),
    fires=(
        "a workload's capacity (replicas, CPU, memory, workers, pools, instance and volume sizes) "
        "is below the reference's: one finding per unit with the ratio of each dimension"
    ),
)
def capacity_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Capacity below the reference's, per unit, as ratios (see the module docstring)."""
    if not ctx.policy.capacity.keys and not ctx.policy.capacity.kinds:
        return
    for env in ctx.pairs:
        units = _units(ctx, env)
        drafts = [
            _smaller(ctx, env, unit, below)
            for unit in sorted(units)
            if (below := [x for x in units[unit] if compare_sizes(x)[0] == "below"])
        ]
        limit = ctx.policy.capacity.per_environment
        if limit and len(drafts) > limit:
            yield _per_environment(ctx, env, drafts)
        else:
            yield from drafts


def capacity_larger(ctx: RuleContext) -> Iterator[Draft]:
    """Capacity *above* the reference's is an ordinary drift (level `larger`): staging that
    is bigger than production hides production's limits; a count of zero where the reference
    runs some (level `disabled`) leaves a code path unexercised. One finding per entry;
    a part of value-drift (policies/rules/values.py)."""
    if not ctx.policy.capacity.keys and not ctx.policy.capacity.kinds:
        return
    for env in ctx.pairs:
        by_entry: dict[tuple[str, str], list[Leaf]] = defaultdict(list)
        for unit in sorted(_units(ctx, env)):
            for leaf in _units(ctx, env)[unit]:
                direction = compare_sizes(leaf)[0]
                if direction != "below":
                    by_entry[(leaf.subject, direction)].append(leaf)
        for (_, direction), leaves in by_entry.items():
            yield _larger(ctx, env, leaves, direction)


def _per_environment(ctx: RuleContext, env: str, drafts: list[Draft]) -> Draft:
    """Many units: one finding for the environment, naming every unit and key."""
    level = "below" if any(d.level == "below" for d in drafts) else None
    names = [d.subject.split(":", 2)[-1] for d in drafts]
    return Draft(
        env,
        f"capacity:{env}",
        f"{len(drafts)} units in {env} run smaller than {ctx.reference}: "
        + ", ".join(names[:5])
        + (" …" if len(names) > 5 else ""),
        expected="; ".join(f"{d.subject}: {d.expected}" for d in drafts),
        actual="; ".join(f"{d.subject}: {d.actual}" for d in drafts),
        suggestion=drafts[0].suggestion,
        source=drafts[0].source,
        level=level,
    )
