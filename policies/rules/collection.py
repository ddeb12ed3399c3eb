"""Collection rules: a source that could not be read makes the audit incomplete."""

from __future__ import annotations

from collections.abc import Iterator

from .interface import Draft, RuleContext, rule


@rule("collector-failed")
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


@rule("nothing-matched")
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


@rule("stale-waiver")
def stale_waiver(ctx: RuleContext) -> Iterator[Draft]:
    """Waivers that matched no finding: reported by the engine, which applies waivers."""
    return iter(())
