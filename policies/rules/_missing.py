"""Keys one side sets and the other does not, grouped by what is really missing.

A subtree missing on one side is one finding, not one per leaf; an object or source with no
key at all on the other side (a PodDisruptionBudget, a Certificate, an IngressRoute production
has and staging lacks) is one finding for the object. What counts as present is decided on the
names the diff aligned: `ns/Deployment/app-staging` is `ns/Deployment/app-production`, and
`apps[name=api-staging]` is `apps[name=api]` when keys below them were paired, so keys one side
adds below such a node are reported as those keys, never as "the whole node is missing".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

from parity.align.diff import subject_of
from parity.align.keys import segments
from parity.align.values import canonical_scalar, effective_key, is_identity_key
from parity.model import ConfigEntry, Kind, RequiredKey

from ..vocabulary import vocabulary
from ._display import show
from .capacity import is_capacity
from .interface import RuleContext

WHOLE = ""  # the root of a scope that is one-sided as a whole


class Missing(NamedTuple):
    """How a one-sided group is named in a finding."""

    subject: str  # stable identity: config:<scope>:<root>, or config:<scope> for a whole scope
    what: str  # `dnsNames (ns/Cert/tls)`, `issuerRef (2 keys) (…)`, `ns/Cert/tls (3 keys)`
    target: str  # what to add: the key, the subtree or the object
    shown: str | None  # the values, for expected/actual
    whole: bool = False  # the whole scope (an object, a source) is one-sided

    def gap(self, has: str, lacks: str, *, reverse: bool) -> tuple[str, str]:
        """(message, suggestion) for what `has` sets and `lacks` does not; `reverse` when the
        reference is the one lacking it (then removing it is a fix too)."""
        verb, fix, prep = ("exists", "create", "in") if self.whole else ("is set", "add", "to")
        gap = "not in" if reverse or self.whole else "missing in"
        suggestion = f"{fix} {self.target} {prep} {lacks}"
        if reverse:
            suggestion += f" or remove it from {has}"
        return f"{self.what} {verb} in {has} but {gap} {lacks}", suggestion


def missing_roots(
    records: list[ConfigEntry],
    other: Mapping[str, Mapping[str, object]],
    own: Mapping[str, Mapping[str, object]],
    one_sided: set[tuple[str, str]],
    neutral: Callable[[str], str],
) -> list[tuple[str, list[ConfigEntry]]]:
    """Group missing records under the highest parent the other side lacks entirely (WHOLE
    when the other side has nothing in the scope). Environment variables and ConfigMap keys
    are variables read one by one: never grouped. A parent is present on the other side when
    it is written the same there, or when any key below it on this side has a counterpart
    there (the diff paired it)."""
    present: dict[str, set[str] | None] = {}
    groups: dict[tuple[str, str], list[ConfigEntry]] = {}
    for r in records:
        root = r.key
        if not r.env_var and "/ConfigMap/" not in r.scope:
            if r.scope not in present:
                present[r.scope] = _present(r.scope, other, own, one_sided, neutral)
            seen = present[r.scope]
            if seen is None:
                root = WHOLE
            else:
                for prefix in segments(r.key)[:-1]:
                    if prefix not in seen:
                        root = prefix
                        break
        groups.setdefault((r.scope, root), []).append(r)
    return [(root, recs) for (_, root), recs in groups.items()]


def _present(
    scope: str,
    other: Mapping[str, Mapping[str, object]],
    own: Mapping[str, Mapping[str, object]],
    one_sided: set[tuple[str, str]],
    neutral: Callable[[str], str],
) -> set[str] | None:
    """The parents of `scope`'s keys that exist on the other side; None when the other side
    has no key in the scope at all."""
    group = neutral(scope)  # the index's name for the scope, the same on both sides
    theirs = other.get(group)
    if not theirs:
        return None
    found = {p for k in theirs for p in segments(k)}
    found.update(
        p for k in own.get(group, {}) if (scope, k) not in one_sided for p in segments(k)[:-1]
    )
    return found


def unset(r: ConfigEntry) -> bool:
    """An empty value is unset either way (`HASH_ROUTING=` vs no HASH_ROUTING)."""
    return r.value == "" and r.value_ref is None and r.fingerprint is None


def one_sided(
    ctx: RuleContext, env: str, records: list[ConfigEntry], other_env: str
) -> Iterator[tuple[str, list[ConfigEntry]]]:
    """Missing (or extra) records worth reporting, grouped by what is missing."""
    keep = []
    pair_env = other_env if env == ctx.reference else env
    for r in records:
        if unset(r) or ctx.in_missing_workload(pair_env, r.scope):
            continue
        if r.value and not ctx.normalizer.strip(env, r.value).strip():
            continue  # the value is just the environment's own name: identity, not config
        if r.value_ref and (r.value_ref.secret or ctx.index_has_source(env, r)):
            continue  # the secret reference, or the ConfigMap key at its source, says it
        c = ctx.policy.contract_for(r.key, subject_of(r))
        if c and c.rule == "may-differ":
            continue
        if is_capacity(ctx, r, other_env):
            continue  # capacity-drift speaks for sizes, as a ratio
        keep.append(r)
    yield from missing_roots(
        keep,
        config_keys(ctx, other_env),
        config_keys(ctx, env),
        {(r.scope, r.key) for r in records},
        ctx.normalizer.neutral,
    )


_DEFAULT_LIKE = {"false", "0", "", "null", "none", "nil", "[]", "{}"}
_DEFAULT_SECTIONS = ("global", "globals", "defaults", "default", "common")


def _default_like(r: ConfigEntry) -> bool:
    """false / 0 / empty / null: what an absent key usually means."""
    return r.value is not None and canonical_scalar(r.value).lower() in _DEFAULT_LIKE


def _global_default(ctx: RuleContext, env: str, r: ConfigEntry) -> bool:
    """env (which lacks r) sets the same value in a `global:`/`defaults:` section of the
    same source: the key is absent because the environment-wide default already says it."""
    keys = ctx.indexes[env].groups.get((Kind.CONFIG, ctx.normalizer.neutral(r.scope)), {})
    leaf = r.key.rsplit(".", 1)[-1]
    for section in _DEFAULT_SECTIONS:
        other = keys.get(f"{section}.{leaf}")
        if isinstance(other, ConfigEntry) and other.value == r.value:
            return True
    return False


def _disabled_parent(ctx: RuleContext, env: str, r: ConfigEntry) -> bool:
    """env (which lacks r) turns the feature r configures off (`redis.enabled: false` beside
    `redis.host`): the missing settings are a consequence of that flag, which is reported."""
    keys = ctx.indexes[env].groups.get((Kind.CONFIG, ctx.normalizer.neutral(r.scope)), {})
    for prefix in segments(r.key)[:-1]:
        for flag in ("enabled", "enable"):
            other = keys.get(f"{prefix}.{flag}")
            if isinstance(other, ConfigEntry) and canonical_scalar(other.value or "") in (
                "false",
                "0",
            ):
                return True
    return False


def _required(ctx: RuleContext, has: str, lacks: str, recs: list[ConfigEntry]) -> bool:
    """What the environment lacking it needs: a variable the code reads without a default,
    or a ConfigMap key a workload of that environment references by name."""
    for r in recs:
        if r.env_var:
            for env in (lacks, has):
                found = ctx.indexes[env].groups.get((Kind.REQUIRED_KEY, ""), {}).get(r.key)
                if isinstance(found, RequiredKey) and not found.has_default and not found.optional:
                    return True
        if "/ConfigMap/" in r.scope and ctx.consumers(lacks, r.scope, r.key):
            return True
    return False


# Parts that make a subtree a workload (a service of a values file), never a mere setting.
_WORKLOAD_PART = re.compile(
    r"(^|[.\]])(image|replicas|replicaCount|containers|command|args)([.\[]|$)"
)


def verdict(
    ctx: RuleContext,
    has: str,
    lacks: str,
    recs: list[ConfigEntry],
    *,
    reverse: bool,
    root: str = "",
) -> tuple[bool, str | None]:
    """(report it at all, level) for keys `has` sets and `lacks` does not.

    error (`required`) only for what breaks the environment lacking it; info for what an
    absent key means anyway (`default`: false/0/empty/null, or the same value in the lacking
    side's global defaults), for operational keys (`operational`: monitoring, alerting,
    analytics) and for aids a lower environment adds (`aid`); nothing at all when the lacking
    side turns the feature off (the flag's own finding says it). Else a warning.
    """
    policy = ctx.policy
    if all(_disabled_parent(ctx, lacks, r) for r in recs):
        return False, None
    if not reverse and _required(ctx, has, lacks, recs):
        return True, "required"
    named = root or recs[0].key  # what the finding is about: a key, a subtree, an element
    workload = any(_WORKLOAD_PART.search(r.key[len(named) :]) for r in recs)
    operational = vocabulary(tuple(policy.operational_keys))
    if not workload and (operational.names(named) or all(operational.names(r.key) for r in recs)):
        return True, "operational"
    aids = vocabulary(tuple(policy.non_production_aids))
    if (
        not workload
        and not ctx.production_like.get(has, False)
        and (aids.names(named) or all(aids.names(r.key) for r in recs))
    ):
        return True, "aid"
    if all(_default_like(r) or _global_default(ctx, lacks, r) for r in recs):
        return True, "default"
    if all(_mode_key(ctx, r) for r in recs):
        return True, "default"  # a build mode (NODE_ENV): the tool sets its own when unset
    if all(_identifier(r) for r in recs):
        return True, "identity"
    return True, ("reverse" if reverse else None)


def _mode_key(ctx: RuleContext, r: ConfigEntry) -> bool:
    return effective_key(r.key).rsplit(".", 1)[-1].upper() in ctx.policy.mode_keys


_ID_VALUE = re.compile(
    r"^(?:[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|[0-9A-HJKMNP-TV-Z]{26}|\d{6,})$"
)
_ID_ITEM = re.compile(r"^(?:[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|\d{3,})$")


def _identifier(r: ConfigEntry) -> bool:
    """An id of the environment's own resources (a template UUID, account numbers, a
    `*_ID` key): which instance an environment uses is its own, so presence differs too."""
    if r.value is None:
        return False
    if isinstance(r.structured, list):
        items = [str(x) for x in r.structured]
        return len(items) >= 2 and all(_ID_ITEM.match(x) for x in items)
    return bool(_ID_VALUE.match(r.value.strip())) or (
        is_identity_key(r.key) and not _default_like(r)
    )


def config_keys(ctx: RuleContext, env: str) -> dict[str, Mapping[str, object]]:
    """Config keys per scope in one environment (the index's own dicts, not copies)."""
    return {g[1]: keys for g, keys in ctx.indexes[env].groups.items() if g[0] == Kind.CONFIG}


def describe(root: str, recs: list[ConfigEntry]) -> Missing:
    """How a key, a subtree or a whole scope one side lacks is named."""
    scope = recs[0].scope
    if len(recs) == 1:  # one leaf: name the leaf, whatever its group
        key = recs[0].key
        return Missing(f"config:{scope}:{key}", f"{key} ({scope})", key, show(recs[0]))
    shown = ", ".join(f"{r.key}={show(r)}" for r in recs)
    shown = shown if len(shown) <= 400 else shown[:399] + "…"
    if root == WHOLE:
        return Missing(f"config:{scope}", f"{scope} ({len(recs)} keys)", scope, shown, whole=True)
    return Missing(f"config:{scope}:{root}", f"{root} ({len(recs)} keys) ({scope})", root, shown)
