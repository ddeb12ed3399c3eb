"""Waivers: a waiver that matches no finding any more is reported, so baselines shrink."""

from __future__ import annotations

from collections.abc import Iterator

from .interface import Draft, RuleContext, rule


@rule(
    "stale-waiver",
    category="config",
    severity="info",
    title="Waiver matched nothing",
    rationale=(
        "A waiver that no longer matches a finding hides nothing today and will silently hide a "
        "new problem tomorrow."
    ),
    remedy="Delete the waiver, or narrow it to what it was written for.",
    last=True,
    fires=(
        "a waiver of the policy or baseline matched no finding (only when something was collected "
        "completely)"
    ),
)
def stale_waiver(ctx: RuleContext) -> Iterator[Draft]:
    """Each waiver no finding of this run matched (it runs after every other rule). Only when
    something was collected completely: an unreadable source proves no waiver stale."""
    if not any(s.complete for s in ctx.snapshots.values()):
        return
    for i, w in enumerate(ctx.policy.waivers):
        if i in ctx.matched_waivers:
            continue
        yield Draft(
            w.environment if w.environment in ctx.snapshots else ctx.reference,
            f"waiver:{w.rule}:{w.environment}:{w.subject}",
            f"the waiver for {w.rule} on {w.subject} ({w.environment}) matched no finding: "
            f"{w.reason}",
            suggestion="delete it, or narrow it to what it was written for",
        )
