"""Keys one side sets and the other does not, grouped by what is really missing.

A subtree missing on one side is one finding, not one per leaf; an object or source with no
key at all on the other side (a PodDisruptionBudget, a Certificate, an IngressRoute production
has and staging lacks) is one finding for the object. What counts as present is decided on the
names the diff aligned: `ns/Deployment/app-staging` is `ns/Deployment/app-production`, and
`apps[name=api-staging]` is `apps[name=api]` when keys below them were paired, so keys one side
adds below such a node are reported as those keys, never as "the whole node is missing".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

from parity.diff import subject_of
from parity.model import ConfigEntry, Kind

from ._display import show
from ._keys import segments
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
        keep.append(r)
    yield from missing_roots(
        keep,
        config_keys(ctx, other_env),
        config_keys(ctx, env),
        {(r.scope, r.key) for r in records},
        ctx.normalizer.neutral,
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
