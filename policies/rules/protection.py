"""protection-drift: the settings that protect an environment's data, compared by meaning.

Deletion protection, backups, encryption, Multi-AZ (the policy's `protection_keys`) are not
values that merely differ: production with them on and staging with them off (or unset) means
staging never exercises them — a restore that was never tried, a delete that was never
refused (a warning); the reverse, production without a protection staging has, leaves
production's data exposed (an error). Values that say nothing (a reference resolved at plan
time, a withheld secret) are not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.align.diff import subject_of
from parity.model import ConfigEntry, Kind

from ..vocabulary import Vocabulary, vocabulary
from .interface import Draft, RuleContext, rule

_ON = {"true", "yes", "on", "enabled", "1"}
_OFF = {"false", "no", "off", "disabled", "0", "none", ""}


def _protected(r: ConfigEntry | None, inverted: bool) -> bool | None:
    """Whether the setting protects as set (None: the value says nothing here). Unset is the
    provider's default: off for a protection, off (so protected) for an inverted one."""
    if r is None:
        return inverted
    if r.value is None or r.value_ref is not None:
        return None
    text = r.value.strip().lower()
    if text in _ON or text in _OFF:
        on = text in _ON
    else:
        try:
            on = float(text) > 0  # a retention period: days of backups
        except ValueError:
            return None
    return not on if inverted else on


def _shown(r: ConfigEntry | None) -> str:
    return "unset" if r is None else repr(r.value)


@rule(
    "protection-drift",
    category="config",
    severity="warning",
    # exposed: the reference (production) lacks a protection the environment has
    levels={"exposed": "error"},
    subsumes=("value-drift", "missing-key"),
    title="Data protection differs from the reference",
    rationale=(
        "A staging without production's deletion protection, backups or encryption never "
        "exercises them (a restore never tried, a delete never refused); a production without "
        "a protection staging has leaves production's data exposed."
    ),
    remedy="Set the protection as in the reference, or turn it on where it is off in production.",
    fires=(
        "a `protection_keys` setting (deletion protection, backup retention, encryption, "
        "Multi-AZ, `!skip_final_snapshot`) is on in the reference and off or unset in X "
        "(warning), or on in X and off in the reference (error: `exposed`)"
    ),
)
def protection_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Protection settings on one side only, by meaning (on/off, a retention above zero)."""
    keys = ctx.policy.protection_keys
    on = vocabulary(tuple(k for k in keys if not k.startswith("!")))
    off = vocabulary(tuple(k[1:] for k in keys if k.startswith("!")))
    if on.empty and off.empty:
        return
    ref = ctx.reference
    for env in ctx.pairs:
        for group, a, b in _aligned(ctx, env, on, off):
            inverted = off.names((a or b).key, depth=1)  # type: ignore[union-attr]
            pa, pb = _protected(a, inverted), _protected(b, inverted)
            if pa is None or pb is None or pa == pb or ctx.masked(env, group):
                continue
            r = b or a
            assert r is not None
            if pa:
                yield Draft(
                    env,
                    subject_of(r),
                    f"{r.key} ({r.scope}) is {_shown(a)} in {ref} and {_shown(b)} in {env}: "
                    f"{env} does not exercise {ref}'s protection",
                    expected=a.value if a else None,
                    actual=b.value if b else None,
                    suggestion=f"set {r.key} in {env} as in {ref}",
                    source=r.source,
                )
            else:
                yield Draft(
                    env,
                    subject_of(r),
                    f"{r.key} ({r.scope}) protects {env} ({_shown(b)}) but is {_shown(a)} in "
                    f"{ref}: {ref}'s data lacks a protection {env} has",
                    expected=a.value if a else None,
                    actual=b.value if b else None,
                    suggestion=f"turn {r.key} on in {ref}",
                    source=a.source if a else r.source,
                    level="exposed",
                )


def _aligned(
    ctx: RuleContext, env: str, on: Vocabulary, off: Vocabulary
) -> Iterator[tuple[tuple[str, str], ConfigEntry | None, ConfigEntry | None]]:
    """(group, reference's entry, env's entry) for every protection key either side sets:
    candidates found at C speed in each side's key index (a million keys, a dozen words)."""
    words = _literals(ctx.policy.protection_keys)
    candidates: set[str] = set()
    for side in (ctx.reference, env):
        records, _, keys = ctx.config(side)
        hits = keys.find(words) if words else range(len(records))
        candidates.update(records[i].key for i in hits)
    candidates = {k for k in candidates if on.names(k, depth=1) or off.names(k, depth=1)}
    if not candidates:
        return
    ref_groups = ctx.indexes[ctx.reference].groups
    env_groups = ctx.indexes[env].groups
    for group in sorted(set(ref_groups) | set(env_groups)):
        if group[0] != Kind.CONFIG:
            continue
        a_recs, b_recs = ref_groups.get(group, {}), env_groups.get(group, {})
        for key in sorted(candidates & (a_recs.keys() | b_recs.keys())):
            a, b = a_recs.get(key), b_recs.get(key)
            if isinstance(a, ConfigEntry | None) and isinstance(b, ConfigEntry | None):
                yield group, a, b


def _literals(patterns: list[str]) -> tuple[str, ...]:
    """The longest literal run of each pattern: a key containing none cannot match (empty
    when some pattern has no literal run, then every key is tried)."""
    out = []
    for p in patterns:
        runs = re.findall(r"[a-z0-9_]{3,}", p.lower().lstrip("!"))
        if not runs:
            return ()
        out.append(max(runs, key=len))
    return tuple(out)
