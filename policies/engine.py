"""Turn aligned snapshots into findings: run enabled rules, apply severities and waivers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from parity.align.diff import EnvIndex, PairDiff, align, build_index, mask_for
from parity.align.normalize import EnvNormalizer
from parity.model import ConfigEntry, Kind, Snapshot
from parity.model.findings import Finding, FindingGroup, IdentityNote, WaiverInfo, finding_id
from parity.model.rules import RuleSpec
from parity.secrets.classify import redact_text

from .model import Policy
from .rules import RULES, Draft, RuleContext


def _waive(
    policy: Policy, rule: str, env: str, subject: str, today: date, used: set[int]
) -> WaiverInfo | None:
    expired = None
    for i, w in enumerate(policy.waivers):
        if w.matches(rule, env, subject):
            used.add(i)
            info = WaiverInfo(reason=w.reason, expires=w.expires, expired=w.expired(today))
            if not info.expired:
                return info
            expired = expired or info
    return expired


class Evaluation:
    """Result of running the policy: findings plus the alignment the scores need."""

    def __init__(
        self,
        findings: list[Finding],
        pairs: dict[str, PairDiff],
        indexes: dict[str, EnvIndex],
        key_mismatch: dict[str, set[str]] | None = None,
        identities: list[IdentityNote] | None = None,
    ) -> None:
        self.findings = findings
        self.pairs = pairs
        self.indexes = indexes
        self.key_mismatch = key_mismatch or {}
        self.identities = identities or []


def evaluate(
    snapshots: dict[str, Snapshot],
    reference: str,
    policy: Policy,
    normalizer: EnvNormalizer,
    production_like: dict[str, bool],
    today: date,
) -> Evaluation:
    """Align every environment against the reference and run each enabled rule once."""
    envs = list(snapshots)
    indexes = {env: build_index(snap, policy.ignore, normalizer) for env, snap in snapshots.items()}
    masks = {
        env: mask_for([snapshots[reference], snapshots[env]], normalizer)
        for env in envs
        if env != reference
    }
    pairs = {
        env: align(
            indexes[reference], indexes[env], policy.typo_max_distance, masks[env], normalizer
        )
        for env in masks
    }
    ctx = RuleContext(
        reference, envs, snapshots, indexes, pairs, policy, normalizer, production_like, masks
    )
    order = {env: i for i, env in enumerate(envs)}
    findings: dict[str, Finding] = {}
    rules = [
        (rule_id, RULES[rule_id] if rule_id in RULES else RULES.get_or_plugin(rule_id))
        for rule_id in policy.rules
        if policy.enabled(rule_id)
    ]
    for rule_id, rule in sorted(rules, key=lambda r: r[1].last):  # judges of findings last
        spec = policy.rules[rule_id]
        for d in rule(ctx):
            f = _finding(d, rule_id, spec, reference, policy, today, ctx.matched_waivers)
            findings.setdefault(f.id, f)
    ordered = sorted(
        _one_per_cause(findings.values(), policy),
        key=lambda f: (order.get(f.environment, 99), -f.severity.rank, f.rule, f.subject),
    )
    from parity.secrets.guard import key_mismatch

    mismatch = key_mismatch(snapshots, reference, ctx.key_ids())
    return Evaluation(ordered, pairs, indexes, mismatch, identity_notes(ctx))


def identity_notes(ctx: RuleContext) -> list[IdentityNote]:
    """What each pair's comparison treated as the environments' own identities, said once."""
    notes: list[IdentityNote] = []
    ref_ids = ctx.identities(ctx.reference)
    for env in ctx.pairs:
        own = ctx.identities(env)
        changed = [
            b.value
            for _, b in ctx.pairs[env].changed.get(Kind.CONFIG, [])
            if isinstance(b, ConfigEntry) and b.value
        ]
        for kind, ident in sorted(own.items()):
            theirs = ref_ids.get(kind)
            if theirs and theirs != ident:
                n = sum(1 for v in changed if ident in v)
                if n:
                    notes.append(IdentityNote(
                        environment=env, reference=ctx.reference, kind=kind,
                        reference_value=theirs, environment_value=ident, values=n,
                    ))  # fmt: skip
        seen = {(n.reference_value, n.environment_value) for n in notes if n.environment == env}
        for learned in ctx.learned(env):
            if (learned.reference, learned.env) in seen:
                continue
            notes.append(
                IdentityNote(
                    environment=env,
                    reference=ctx.reference,
                    kind="learned",
                    reference_value=learned.reference,
                    environment_value=learned.env,
                    values=learned.values,
                )
            )
    return notes


def _one_per_cause(findings: Iterable[Finding], policy: Policy) -> list[Finding]:
    """A subject two rules fired on is reported by the one that states the problem: the
    pack's `subsumes` says which rule's finding then goes (value-drift under a
    cross-env-reference, a placeholder or a moved image)."""
    found = list(findings)
    said = {(f.environment, f.subject, f.rule) for f in found}
    return [
        f
        for f in found
        if not any(
            (f.environment, f.subject, other) in said
            for other, spec in policy.rules.items()
            if f.rule in spec.subsumes and other != f.rule
        )
    ]


def _finding(
    d: Draft,
    rule: str,
    spec: RuleSpec,
    reference: str,
    policy: Policy,
    today: date,
    used: set[int],
) -> Finding:
    waiver = _waive(policy, rule, d.environment, d.subject, today, used)
    # every displayed field goes through the one classifier: no rule can leak a credential
    # that rode along in a URL, a flag or a connection string
    message = redact_text(d.message)
    if waiver and waiver.expired:
        message += f" [waiver expired {waiver.expires}: {waiver.reason}]"
    return Finding(
        id=finding_id(rule, d.environment, d.subject),
        rule=rule,
        category=spec.category,
        severity=spec.severity_for(d.level),
        environment=d.environment,
        reference=reference,
        subject=d.subject,
        message=message,
        expected=redact_text(d.expected) if d.expected else d.expected,
        actual=redact_text(d.actual) if d.actual else d.actual,
        suggestion=redact_text(d.suggestion) if d.suggestion else d.suggestion,
        source=d.source,
        waived=bool(waiver and not waiver.expired),
        waiver=waiver,
        group=cause_of(d.subject),
    )


def cause_of(subject: str) -> str:
    """The root cause a subject belongs to: a sub-case suffix (`#mutable-tag`) and the kind
    of record do not make another cause (`image:web:web` and `image:web:web#mutable-tag`)."""
    return subject.split("#", 1)[0]


def group_findings(findings: list[Finding]) -> list[FindingGroup]:
    """One group per (environment, cause), in finding order."""
    by: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        by.setdefault((f.environment, f.group or f.subject), []).append(f)
    out = []
    for (env, cause), fs in by.items():
        active = [f for f in fs if not f.waived] or fs
        out.append(
            FindingGroup(
                id=finding_id("group", env, cause),
                environment=env,
                cause=cause,
                rules=sorted({f.rule for f in fs}),
                severity=max((f.severity for f in active), key=lambda s: s.rank),
                findings=[f.id for f in fs],
            )
        )
    return out
