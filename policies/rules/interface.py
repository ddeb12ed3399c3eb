"""What a rule is: a function from the aligned environments to Drafts, registered by id.

A rule never decides how bad its finding is: it may name a *level* (a sub-case such as a moved
image tag or a major version) and the policy maps rule + level to a severity, so every severity
is policy-settable. A rule's metadata (category, default severity and levels, title, rationale,
remedy) is declared with its code (`@rule(...)`); the policy pack and project policies override
severities and switch rules off, and the README's rule table is generated from the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from parity.align.diff import EnvIndex, Mask, PairDiff
from parity.align.identities import LearnedIdentity
from parity.align.normalize import EnvNormalizer, Haystack
from parity.model import ConfigEntry, Kind, Notice, RefBackend, SecretRef, Snapshot
from parity.model.rules import RuleSpec

from ..model import Policy


@dataclass(frozen=True)
class Draft:
    """A finding before policy: what and where, not yet how bad or whether waived.

    level: the sub-case whose policy severity applies (`reverse`, `moved-tag`, `major`…);
    None means the rule's own severity.
    """

    environment: str
    subject: str
    message: str
    expected: str | None = None
    actual: str | None = None
    suggestion: str | None = None
    source: str | None = None
    level: str | None = None


@dataclass
class RuleContext:
    """Everything rules may look at; built once per evaluation."""

    reference: str
    envs: list[str]
    snapshots: dict[str, Snapshot]
    indexes: dict[str, EnvIndex]
    pairs: dict[str, PairDiff]
    policy: Policy
    normalizer: EnvNormalizer
    production_like: dict[str, bool]
    masks: dict[str, Mask] = field(default_factory=dict)
    # indexes of the policy's waivers a finding matched so far (for stale-waiver, run last)
    matched_waivers: set[int] = field(default_factory=set)
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def one_environment(self) -> bool:
        """Every snapshot is the same environment at another time (`parity diff
        staging@latest~1 staging`): cross-environment rules have nothing to say."""
        return len({env.split("@", 1)[0] for env in self.envs}) == 1

    def masked(self, env: str, group: tuple[str, str]) -> bool:
        """Whether a group cannot be compared between env and the reference because a source
        that owns it failed on either side (see parity.align.diff.Mask)."""
        mask = self.masks.get(env)
        return bool(mask) and group in mask  # type: ignore[operator]

    def workload_gaps(self, env: str) -> tuple[frozenset[str], frozenset[str]]:
        """(workloads only the reference runs, workloads only env runs), by aligned name;
        workloads of a source that failed on either side are neither."""
        key = f"gaps:{env}"
        if key not in self._cache:
            ref = {
                g[1]
                for g in self.indexes[self.reference].groups
                if g[0] == Kind.IMAGE and not self.masked(env, g)
            }
            own = {
                g[1]
                for g in self.indexes[env].groups
                if g[0] == Kind.IMAGE and not self.masked(env, g)
            }
            self._cache[key] = (frozenset(ref - own), frozenset(own - ref))
        gaps: tuple[frozenset[str], frozenset[str]] = self._cache[key]
        return gaps

    def in_missing_workload(self, env: str, scope: str) -> bool:
        """Whether a record's scope belongs to a workload present on one side only (then
        missing-workload says it once, not once per key)."""
        missing, extra = self.workload_gaps(env)
        if not missing and not extra:
            return False
        neutral = self.normalizer.neutral(scope)
        return any(neutral == w or neutral.startswith(w + "/") for w in missing | extra)

    def notices(self, code: str) -> Iterator[tuple[str, Notice]]:
        """(environment, notice) for every collector notice of one code, in env order: the
        collectors observe (a key assigned twice, a filter that matched nothing), rules judge."""
        for env in self.envs:
            for n in self.snapshots[env].notices:
                if n.code == code:
                    yield env, n

    def fingerprinted(self, env: str) -> list[ConfigEntry | SecretRef]:
        """env's config entries and secret references that carry a fingerprint: one pass over
        a million records, shared by the secret rules (which then touch only these few)."""
        self._marked(env)
        found: list[ConfigEntry | SecretRef] = self._cache[f"fingerprinted:{env}"]
        return found

    def referencing(self, env: str) -> list[ConfigEntry]:
        """env's config entries whose value comes from a store (`value_ref`), same pass."""
        self._marked(env)
        found: list[ConfigEntry] = self._cache[f"referencing:{env}"]
        return found

    def _marked(self, env: str) -> None:
        if f"fingerprinted:{env}" in self._cache:
            return
        index = self.indexes[env]
        config: list[ConfigEntry] = index.kind_records(Kind.CONFIG)  # type: ignore[assignment]
        refs: list[SecretRef] = index.kind_records(Kind.SECRET_REF)  # type: ignore[assignment]
        self._cache[f"fingerprinted:{env}"] = [
            *(r for r in config if r.fingerprint),
            *(r for r in refs if r.fingerprint),
        ]
        self._cache[f"referencing:{env}"] = [r for r in config if r.value_ref]

    def key_ids(self) -> dict[str, set[str]]:
        """Per environment, the ids of the keys its fingerprints were made with."""
        if "key-ids" not in self._cache:
            from parity.secrets.guard import key_id_of

            self._cache["key-ids"] = {
                e: {key_id_of(fp) for fp in {r.fingerprint for r in self.fingerprinted(e)} if fp}
                for e in self.snapshots
            }
        ids: dict[str, set[str]] = self._cache["key-ids"]
        return ids

    def config(self, env: str) -> tuple[list[ConfigEntry], Haystack, Haystack]:
        """env's config records with a searchable index of their values and of their keys
        (built once per environment, shared by every rule's prefilter)."""
        key = f"config:{env}"
        if key not in self._cache:
            # records of the config kind are ConfigEntry by construction (RECORD_TYPES)
            records: list[ConfigEntry] = self.indexes[env].kind_records(Kind.CONFIG)  # type: ignore[assignment]
            self._cache[key] = (
                records,
                Haystack([r.value or "" for r in records]),
                Haystack([r.key for r in records]),
            )
        found: tuple[list[ConfigEntry], Haystack, Haystack] = self._cache[key]
        return found

    def identities(self, env: str) -> dict[str, str]:
        """The environment's own cloud identities (account, project, subscription, region),
        learned from its values (see parity.align.identities)."""
        key = f"ids:{env}"
        if key not in self._cache:
            from parity.align.identities import HINTS, own_identities

            records, values, _ = self.config(env)
            texts = [records[i].value or "" for i in values.find(HINTS)]
            texts += [
                r.key
                for r in self.indexes[env].kind_records(Kind.SECRET_REF)
                if isinstance(r, SecretRef)
            ]
            self._cache[key] = own_identities(texts)
        ids: dict[str, str] = self._cache[key]
        return ids

    def learned(self, env: str) -> list[LearnedIdentity]:
        """Token pairs that alone explain several otherwise-equal values of the reference and
        env: each environment's own resource ids, account numbers, short codes (learned from
        the changed values of the pair, see parity.align.identities.learn)."""
        key = f"learned:{env}"
        if key not in self._cache:
            from parity.align.identities import learn

            pairs = [
                (a.value, b.value)
                for a, b in self.pairs[env].changed.get(Kind.CONFIG, [])
                if isinstance(a, ConfigEntry)
                and isinstance(b, ConfigEntry)
                and a.value
                and b.value
                and a.structured is None
                and b.structured is None
            ]
            self._cache[key] = learn(pairs) if env in self.pairs else []
        found: list[LearnedIdentity] = self._cache[key]
        return found

    def consumers(self, env: str, scope: str, key: str) -> list[str]:
        """Workloads that read a ConfigMap key (`.../ConfigMap/name`, key) in env."""
        cache_key = f"consumers:{env}"
        if cache_key not in self._cache:
            users: dict[str, set[str]] = {}
            for r in self.indexes[env].kind_records(Kind.CONFIG):
                if not isinstance(r, ConfigEntry) or r.value_ref is None:
                    continue
                if r.value_ref.backend == RefBackend.K8S_CONFIGMAP:
                    users.setdefault(r.value_ref.name, set()).add(r.scope.rsplit("/", 1)[0])
            self._cache[cache_key] = users
        cm = scope.rsplit("/ConfigMap/", 1)[-1]
        found: dict[str, set[str]] = self._cache[cache_key]
        return sorted(found.get(f"{cm}/{key}", set()))

    def index_has_source(self, env: str, r: ConfigEntry) -> bool:
        """Whether the ConfigMap key an entry references is itself in env's records (then a
        difference is reported once, at that source, not at every consumer)."""
        if r.value_ref is None or r.value_ref.backend != RefBackend.K8S_CONFIGMAP:
            return False
        cm, _, key = r.value_ref.name.partition("/")
        scope = self.normalizer.neutral(f"{r.scope.split('/', 1)[0]}/ConfigMap/{cm}")
        return key in self.indexes[env].groups.get((Kind.CONFIG, scope), {})


RuleFn = Callable[[RuleContext], Iterator[Draft]]


@dataclass(frozen=True)
class Rule:
    """A rule: its spec (id, category, default severity and levels, title, rationale, remedy,
    what it subsumes), declared once next to its code, and the code.

    `last`: it judges the other rules' findings (stale-waiver), so it runs after them."""

    spec: RuleSpec
    run: RuleFn
    last: bool = False

    def __call__(self, ctx: RuleContext) -> Iterator[Draft]:
        return self.run(ctx)


def rule(
    rule_id: str,
    *,
    category: str,
    severity: str,
    title: str,
    rationale: str,
    remedy: str,
    fires: str,
    levels: dict[str, str] | None = None,
    subsumes: tuple[str, ...] = (),
    last: bool = False,
) -> Callable[[RuleFn], Rule]:
    """Declare a rule where its code is: the registry (parity.policies.rules.RULES) names it
    by id; the policy pack and project policies only override its severities."""

    def declare(fn: RuleFn) -> Rule:
        spec = RuleSpec.model_validate(
            {
                "id": rule_id,
                "category": category,
                "severity": severity,
                "levels": levels or {},
                "title": title,
                "rationale": rationale,
                "remedy": remedy,
                "fires": fires,
                "subsumes": list(subsumes),
            }
        )
        return Rule(spec, fn, last)

    return declare
