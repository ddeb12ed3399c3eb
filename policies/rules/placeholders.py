"""Placeholders: values never filled in, fallbacks nothing overrides, undefined variables."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.align.diff import subject_of
from parity.align.values import PLACEHOLDER_HINTS, is_placeholder
from parity.model import ConfigEntry

from .interface import Draft, RuleContext, rule
from .unsafe import supplied_at_run_time


def _placeholder_value(ctx: RuleContext) -> Iterator[Draft]:
    """An obvious placeholder (`changeme`, `<your-key>`, an example.com host): an error in a
    production-like environment; elsewhere a warning (level `non-production`) when the
    reference holds a real value."""
    ref_groups = ctx.indexes[ctx.reference].groups
    for env in ctx.envs:
        prod = ctx.production_like[env]
        records, values, _ = ctx.config(env)
        for i in values.find(PLACEHOLDER_HINTS):
            r = records[i]
            if not isinstance(r, ConfigEntry) or not is_placeholder(r.value):
                continue
            if supplied_at_run_time(r):
                continue  # a file default the environment variable replaces
            if not prod:
                other = ref_groups.get(r.group, {}).get(r.key)
                if not isinstance(other, ConfigEntry) or is_placeholder(other.value):
                    continue
            yield Draft(
                env,
                subject_of(r),
                f"{r.key} in {env} is a placeholder ({r.value!r})"
                + ("" if prod else f" where {ctx.reference} has a real value"),
                actual=r.value,
                suggestion=f"set {r.key} to {env}'s real value",
                source=r.source,
                level=None if prod else "non-production",
            )


_FALLBACK = re.compile(r"^\$\{(?P<var>[\w.-]+):(?P<fallback>[^{}]*)\}$")
_WEAK_FALLBACKS = {"password", "secret", "admin", "changeme", "test", "default", "***"}


def relied_on_fallback(ctx: RuleContext) -> Iterator[Draft]:
    """Spring's `${ADMIN_SECRET:password}`: in a production-like environment that does not
    set ADMIN_SECRET, the placeholder-like (or literal secret) fallback is what runs."""
    for env in ctx.envs:
        if not ctx.production_like[env]:
            continue
        records, values, _ = ctx.config(env)
        hits = values.find(["${"])
        if not hits:
            continue
        provided = {r.key for r in records if isinstance(r, ConfigEntry) and r.env_var and r.value}
        for i in hits:
            r = records[i]
            m = _FALLBACK.match((r.value or "").strip())
            if m is None or m.group("var") in provided:
                continue
            fallback = m.group("fallback")
            if not (is_placeholder(fallback) or fallback.lower() in _WEAK_FALLBACKS):
                continue
            yield Draft(
                env,
                subject_of(r) + "#fallback",
                f"{r.key} in {env} falls back to {fallback!r} unless {m.group('var')} is set, "
                f"and nothing in {env} sets it",
                actual=r.value,
                suggestion=f"set {m.group('var')} in {env}, or drop the fallback so a missing "
                "value fails at start-up",
                source=r.source,
            )


@rule(
    "unresolved-variable",
    category="config",
    severity="warning",
    title="Deployment variable not defined",
    rationale=(
        "A ${VAR} that nothing defines takes whatever the shell running the deploy has, or "
        "nothing; the deployed result is not what was reviewed."
    ),
    remedy="Define the variable in the project's .env or the source's env options.",
    fires="production-like env: compose `${VAR}`s nothing defines (one finding listing them)",
)
def unresolved_variable(ctx: RuleContext) -> Iterator[Draft]:
    """A `${VAR}` the deployment files use but nothing defines, in a production-like env: the
    deployed value depends on whoever runs the deploy."""
    unresolved: dict[str, dict[str, str]] = {}
    for env, n in ctx.notices("unresolved-variable"):
        unresolved.setdefault(env, {}).setdefault(n.subject, n.source)
    for env in ctx.envs:
        names = unresolved.get(env, {})
        if names and ctx.production_like[env]:
            shown = ", ".join(sorted(names))
            files = ", ".join(sorted(set(names.values())))
            yield Draft(
                env,
                "variables:unresolved",
                f"{len(names)} variable(s) used by {files} are defined nowhere: {shown}",
                actual=shown,
                suggestion="define them in the project's .env (or the source's env options)",
                source=min(names.values()),
            )


@rule(
    "placeholder-value",
    category="config",
    severity="error",
    # outside production, when the reference is real
    levels={"non-production": "warning"},
    subsumes=("value-drift",),
    title="Placeholder value",
    rationale=(
        "changeme, <your-key>, REPLACE_ME or an example.com host was never meant to run; in "
        "production it is an outage or an open door."
    ),
    remedy="Set the environment's real value (from the secret store for credentials).",
    fires=(
        "`changeme`, `<your-key>`, `REPLACE_ME`, an example.com host… in a production-like env; "
        "elsewhere when the reference has a real value; a Spring `${VAR:password}` fallback "
        "nothing overrides"
    ),
)
def placeholder_value(ctx: RuleContext) -> Iterator[Draft]:
    """Placeholders set as values, and placeholder-like fallbacks nothing overrides."""
    yield from _placeholder_value(ctx)
    yield from relied_on_fallback(ctx)
