"""Value rules: a value that drifted from the reference, or breaks a contract."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator

from parity.align.compare import difference
from parity.align.diff import subject_of
from parity.align.identities import neutralize, substitute
from parity.align.values import canonical_scalar, contrast
from parity.model import ConfigEntry, Kind, RefBackend

from ..vocabulary import vocabulary
from ._display import once_per_source, show, where
from .capacity import capacity_larger, is_capacity
from .images import is_config_image
from .interface import Draft, RuleContext, rule


@rule(
    "value-drift",
    category="config",
    severity="info",
    # a must-equal contract; capacity above the reference's; a count of zero where the reference
    # runs some; file defaults of a key a variable supplies
    levels={"must-equal": "error", "larger": "warning", "disabled": "warning", "default": "info"},
    title="Value differs from the reference",
    rationale=(
        "Values that differ beyond environment names are normal for some keys and a bug for "
        "others; contracts say which."
    ),
    remedy="Align the value, or declare the key may-differ in the policy.",
    fires=(
        "values differ after environment-name and learned-identity normalization; secrets are "
        "never compared by value; structured values say which paths changed, comma lists what they"
        " add and lack"
    ),
)
def value_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Values that differ after env-name normalization, once per source line; capacity above
    the reference's (an ordinary drift, judged where capacity is understood)."""
    yield from once_per_source(_value_drift(ctx))
    yield from capacity_larger(ctx)


def _value_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Values that differ after env-name normalization; secrets are never compared by value.

    Under a must-equal contract the finding takes the `must-equal` level.
    """
    operational = vocabulary(tuple(ctx.policy.operational_keys))
    for env, diff in ctx.pairs.items():
        for a, b in diff.changed.get(Kind.CONFIG, []):
            assert isinstance(a, ConfigEntry) and isinstance(b, ConfigEntry)
            if (a.fingerprint or b.fingerprint) and (
                a.value is None or b.value is None or a.value == b.value
            ):
                continue  # secret (or secret part) differs: that is expected, not drift
            if (
                a.value is not None
                and b.value is not None
                and a.structured is None
                and b.structured is None
                and ctx.normalizer.same(ctx.reference, a.value, env, b.value)
            ):
                continue  # the common case at scale: equal once environment names are out
            if (
                a.value_ref
                and b.value_ref
                and ctx.index_has_source(ctx.reference, a)
                and ctx.index_has_source(env, b)
            ):
                continue  # both read a ConfigMap key: the ConfigMap's own record says it
            left, right = show(a) or "", show(b) or ""
            if is_config_image(a) and is_config_image(b):
                continue  # image-drift speaks for images held in config values
            if is_capacity(ctx, a) or is_capacity(ctx, b):
                continue  # capacity-drift speaks for sizes, as a ratio
            secret_ref = (a.value_ref and a.value_ref.secret) or (
                b.value_ref and b.value_ref.secret
            )
            if secret_ref and (a.value is None) != (b.value is None):
                continue  # literal vs secret reference: plaintext-secret's business
            subject = subject_of(b)
            contract = ctx.policy.contract_for(b.key, subject)
            if contract and contract.rule in ("may-differ", "must-differ"):
                continue
            must_equal = bool(contract and contract.rule == "must-equal")
            if not must_equal and operational.names(b.key) and not _switch(a, b):
                continue  # monitoring, analytics, schedules: they operate, not what runs
            if must_equal:
                if ctx.normalizer.same(ctx.reference, left, env, right):
                    continue
                got, want = contrast(right, left)
                detail: str | None = f"{got!r} vs {want!r} in {ctx.reference}"
            else:
                detail = difference(ctx.normalizer, ctx.reference, env, a, b)
                if detail is not None and own_identities_only(ctx, env, a, b):
                    continue  # differs only by each environment's own account, project, ids
            if detail is None:
                continue
            message = f"{where(b)} differs: {detail}"
            level = "must-equal" if must_equal else None
            if must_equal:
                message += " (must-equal contract)"
            elif _defaults_only(a, b):
                level = "default"
                message += (
                    f" (file defaults only: ${b.value_ref.name} supplies the value at run time)"  # type: ignore[union-attr]
                )
            if "/ConfigMap/" in b.scope and (users := ctx.consumers(env, b.scope, b.key)):
                message += f" (used by: {', '.join(users)})"
            yield Draft(
                env,
                subject,
                message,
                expected=left,
                actual=right,
                suggestion=_align_advice(ctx, b.key, left, env),
                source=b.source,
                level=level,
            )


def own_identities_only(ctx: RuleContext, env: str, a: ConfigEntry, b: ConfigEntry) -> bool:
    """Whether a and b are equal once each environment's own identities are factored out:
    its cloud account/project (parity.align.identities.own_identities) and the token pairs learned
    from the pair's values (parity.align.identities.learn)."""
    ids_a, ids_b, learned = ctx.identities(ctx.reference), ctx.identities(env), ctx.learned(env)
    if not (ids_a or ids_b or learned) or a.value is None or b.value is None:
        return False
    # env's learned tokens become the reference's first, then both accounts become `<kind>`
    na = a._replace(value=neutralize(a.value, ids_a))
    nb = b._replace(value=neutralize(neutralize(substitute(b.value, learned), ids_b), ids_a))
    return difference(ctx.normalizer, ctx.reference, env, na, nb) is None


def _switch(a: ConfigEntry, b: ConfigEntry) -> bool:
    """A boolean on either side: a component switched on or off changes what runs."""
    return any(canonical_scalar(x.value or "") in ("true", "false") for x in (a, b))


def _defaults_only(a: ConfigEntry, b: ConfigEntry) -> bool:
    """Both values are file defaults of a key an environment variable supplies."""
    return bool(
        a.value_ref
        and b.value_ref
        and a.value_ref.backend == RefBackend.ENV
        and a.value_ref == b.value_ref
    )


def _align_advice(ctx: RuleContext, key: str, reference_value: str, env: str) -> str:
    """Align with the reference, unless the reference's value is itself unsafe."""
    from .unsafe import unsafe_value

    if unsafe_value(key, reference_value, ctx.policy.mode_keys):
        return f"fix {key} in {ctx.reference} first (its value is unsafe there), then align {env}"
    return f"set {key} in {env} as in {ctx.reference}, or declare it may-differ in the policy"


@rule(
    "contract-violation",
    category="config",
    severity="error",
    title="Value breaks a per-key contract",
    rationale="The policy says this key must differ between environments or match a pattern.",
    remedy="Change the value to satisfy the contract, or fix the contract.",
    fires="a `must-differ` key is equal, or a value fails its per-environment regex",
)
def contract_violation(ctx: RuleContext) -> Iterator[Draft]:
    """must-differ contracts and per-environment regexes."""
    contracts = [c for c in ctx.policy.contracts if c.rule == "must-differ" or c.regex]
    if not contracts:
        return
    ref_index = ctx.indexes[ctx.reference]
    for env in ctx.envs:
        for r in ctx.indexes[env].kind_records(Kind.CONFIG):
            assert isinstance(r, ConfigEntry)
            subject = subject_of(r)
            c = ctx.policy.contract_for(r.key, subject)
            if c is None:
                continue
            for env_glob, rx in c.regex.items():
                if (
                    fnmatch.fnmatchcase(env, env_glob)
                    and r.value is not None
                    and not re.search(rx, r.value)
                ):
                    yield Draft(
                        env,
                        subject,
                        f"{r.key}={r.value!r} does not match the contract /{rx}/ for {env}",
                        actual=r.value,
                        expected=f"/{rx}/",
                        suggestion=f"set {r.key} in {env} to a value matching /{rx}/",
                        source=r.source,
                    )
            if c.rule == "must-differ" and env != ctx.reference:
                other = ref_index.groups.get(r.group, {}).get(r.key)
                if isinstance(other, ConfigEntry) and (
                    (r.fingerprint and r.fingerprint == other.fingerprint)
                    or (r.value is not None and r.value == other.value)
                ):
                    yield Draft(
                        env,
                        subject,
                        f"{r.key} must differ between {env} and {ctx.reference} but is the same",
                        source=r.source,
                        suggestion=f"give {env} its own value",
                    )
