"""Collection rules: a source that could not be read makes the audit incomplete."""

from __future__ import annotations

from collections.abc import Iterator

from .interface import Draft, RuleContext, rule


@rule(
    "collector-failed",
    category="collection",
    severity="error",
    title="A source could not be read",
    rationale=(
        "An audit that could not see a source cannot vouch for it; parity fails closed (exit 3)."
    ),
    remedy="Fix the access problem named in the message and re-run.",
    fires="a source could not be read (exit 3); nothing that depends on it is compared",
)
def collector_failed(ctx: RuleContext) -> Iterator[Draft]:
    """Each failed source: the audit is incomplete and must not pass."""
    for env in ctx.envs:
        for e in ctx.snapshots[env].errors:
            yield Draft(
                env,
                f"source:{e.collector}:{e.source}",
                f"{e.collector} source {e.source} failed: {e.message}",
                suggestion=e.hint,
                source=e.source,
            )


@rule(
    "nothing-matched",
    category="collection",
    severity="warning",
    title="A source's filters matched nothing",
    rationale="A filter that matches nothing reads as a clean pass while nothing was compared.",
    remedy="Fix the source's filters (schemas, tables, labels, names) in parity.toml.",
    fires="a source's filters (schemas, tables, labels…) matched nothing: not a clean pass",
)
def nothing_matched(ctx: RuleContext) -> Iterator[Draft]:
    """A source whose filters matched nothing: not a clean pass."""
    for env, n in ctx.notices("nothing-matched"):
        yield Draft(
            env,
            f"source:{n.subject}",
            n.message,
            suggestion="fix the source's filters in parity.toml",
            source=n.source,
        )
