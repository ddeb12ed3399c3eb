"""missing-key: keys one side sets and the other does not, at the severity they deserve.

What is missing is grouped by cause (see _missing): a subtree, an object, a map whose members
differ entirely, and — across the elements of one list — the same key one-sided in several
of them (`extraEnv[name=GOOGLE_TAG_MANAGER_AUTH]` set in integration for 13 apps and in none
of production's) is one finding naming the elements, not thirteen. How bad it is comes from
`_missing.verdict`: an error only when the environment lacking the key needs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from parity.align.keys import ELEMENT
from parity.model import ConfigEntry, Kind

from ._display import once_per_source
from ._members import split_disjoint
from ._missing import config_keys, describe, one_sided, verdict
from .interface import Draft, RuleContext, rule

SIBLINGS = 3  # the same key one-sided in this many elements of one list is one cause


class _Gap(NamedTuple):
    root: str
    recs: list[ConfigEntry]
    has: str
    lacks: str
    reverse: bool
    level: str | None


@rule(
    "missing-key",
    category="config",
    severity="warning",
    # required: the environment lacking it reads it without a default, or references it; reverse: a
    # key only this environment has; disjoint: a map whose members differ entirely (each
    # environment's own peers); default: set to false/0/empty/null, or to the lacking side's global
    # default; operational: monitoring/alerting/analytics; aid: an aid only a lower environment sets
    # (e-mail override, basic auth, debugging); identity: an id of the environment's own resources
    # (a template UUID, a `*_ID`)
    levels={
        "required": "error",
        "reverse": "warning",
        "disjoint": "info",
        "default": "info",
        "operational": "info",
        "aid": "info",
        "identity": "info",
    },
    title="Key missing in one environment",
    rationale=(
        "A key the reference sets and this environment lacks is a silent default waiting to happen"
        " (a warning); it is an error only when something in the environment needs it (code that "
        "reads it without a default, a workload that references it), and info when absent means "
        "the same (false, 0, empty, a global default), when it only observes the environment "
        "(monitoring, alerting, analytics) or when a lower environment adds it to protect users or"
        " debug. The reverse is configuration the reference never tested."
    ),
    remedy="Add the key to the environment, or remove it everywhere if it is obsolete.",
    fires=(
        "a key set in the reference is absent in env X (or X has a key the reference lacks); error"
        " only when X needs it; a map with no member in common is one finding; one key one-sided "
        "in 3+ list elements is one finding"
    ),
)
def missing_key(ctx: RuleContext) -> Iterator[Draft]:
    """Keys set on one side only, once per source line."""
    yield from once_per_source(_missing_key(ctx))


def _missing_key(ctx: RuleContext) -> Iterator[Draft]:
    """Config keys set in the reference but not in env X, and the reverse (level `reverse`).
    A subtree missing as a whole is one finding."""
    for env, diff in ctx.pairs.items():
        missing = [r for r in diff.missing.get(Kind.CONFIG, []) if isinstance(r, ConfigEntry)]
        extra = [r for r in diff.extra.get(Kind.CONFIG, []) if isinstance(r, ConfigEntry)]
        disjoint, gone, new = split_disjoint(
            list(one_sided(ctx, ctx.reference, missing, env)),
            list(one_sided(ctx, env, extra, ctx.reference)),
            config_keys(ctx, ctx.reference),
            config_keys(ctx, env),
            ctx.normalizer.neutral,
        )
        for d in disjoint:
            ours, theirs = ", ".join(d.reference_members), ", ".join(d.env_members)
            yield Draft(
                env,
                f"config:{d.scope}:{d.parent}",
                f"{d.parent} ({d.scope}) has no member in common: {ctx.reference} has {ours}; "
                f"{env} has {theirs}",
                expected=ours,
                actual=theirs,
                suggestion=f"if {d.parent} lists each environment's own members, declare it "
                f"may-differ in the policy; otherwise give {env} {ctx.reference}'s members",
                source=d.env_records[0].source,
                level="disjoint",
            )
        gaps: list[_Gap] = []
        sides = ((gone, ctx.reference, env, False), (new, env, ctx.reference, True))
        for roots, has, lacks, reverse in sides:
            for root, recs in roots:
                report, level = verdict(ctx, has, lacks, recs, reverse=reverse, root=root)
                if report:
                    gaps.append(_Gap(root, recs, has, lacks, reverse, level))
        for group in _by_siblings(gaps):
            yield _draft(env, group)


def _pattern(gap: _Gap) -> str | None:
    """The key with its first list element generalized (`apps[name=x].env` -> `apps[*].env`),
    or None when the key is not inside a list element (or is the element itself)."""
    m = ELEMENT.search(gap.root)
    if m is None or m.end() == len(gap.root):
        return None
    return gap.root[: m.start()] + "[*]" + gap.root[m.end() :]


def _by_siblings(gaps: list[_Gap]) -> list[list[_Gap]]:
    """Gaps in order; those of one key one-sided the same way in SIBLINGS or more elements of
    one list are one group."""
    keyed: dict[tuple[str, str, bool, str | None], list[_Gap]] = {}
    for gap in gaps:
        pattern = _pattern(gap)
        if pattern is not None:
            ident = (gap.recs[0].scope, pattern, gap.reverse, gap.level)
            keyed.setdefault(ident, []).append(gap)
    out: list[list[_Gap]] = []
    done: set[int] = set()
    for gap in gaps:
        if id(gap) in done:
            continue
        pattern = _pattern(gap)
        group = [gap]
        if pattern is not None:
            same = keyed[(gap.recs[0].scope, pattern, gap.reverse, gap.level)]
            if len(same) >= SIBLINGS:
                group = same
        done.update(id(g) for g in group)
        out.append(group)
    return out


def _draft(env: str, group: list[_Gap]) -> Draft:
    first = group[0]
    m = describe(first.root, first.recs)
    message, suggestion = m.gap(first.has, first.lacks, reverse=first.reverse)
    subject, shown = m.subject, m.shown
    if len(group) > 1:
        pattern = _pattern(first) or first.root
        scope = first.recs[0].scope
        elements = [ELEMENT.search(g.root).group(0) for g in group]  # type: ignore[union-attr]
        names = ", ".join(elements[:8]) + (
            f" (+{len(elements) - 8} more)" if len(elements) > 8 else ""
        )
        subject = f"config:{scope}:{pattern}"
        verb = "not in" if first.reverse else "missing in"
        message = (
            f"{pattern} ({scope}) is set in {first.has} but {verb} {first.lacks} for "
            f"{len(group)} elements: {names}"
        )
        suggestion = (
            f"if {first.has} sets it on purpose for these elements, declare {pattern} "
            f"may-differ in the policy; otherwise add it to {first.lacks}"
        )
        shown = "; ".join(f"{g.root}={describe(g.root, g.recs).shown}" for g in group)
    message += _LEVEL_NOTES.get(first.level or "", "")
    return Draft(
        env,
        subject,
        message,
        expected=None if first.reverse else shown,
        actual=shown if first.reverse else None,
        suggestion=suggestion,
        source=first.recs[0].source,
        level=first.level,
    )


_LEVEL_NOTES = {
    "required": " (required there: the code reads it without a default, or a workload "
    "references it)",
    "default": " (set explicitly to what an absent key usually means: check the default)",
    "operational": " (an operational setting: monitoring, alerting or analytics)",
    "aid": " (an aid outside production: e-mail override, basic auth, debugging)",
    "identity": " (an id of the environment's own resources: which one it uses is its own)",
}
