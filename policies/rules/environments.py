"""cross-env-reference: a value that uses another environment's resource.

Two ways to see it:
- the value *names* another environment (`payments.prod.internal` in staging) — by whole,
  delimited tokens of the configured environments' names and aliases, ignoring stop-words
  (`svc.cluster.local`, `letsencrypt-prod`), build-mode keys (`NODE_ENV=production` in staging
  is the normal build idiom), deny lists (a host a key *rejects* is not used) and third-party
  host names (a partner's `staging.example.org` seen nowhere else in the configuration);
- the value *is* the reference's own host where this environment names its other hosts after
  itself (`ml.example.com` in staging beside `api-staging.example.com`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

from parity.align.diff import subject_of
from parity.align.normalize import containing
from parity.align.values import effective_key, endpoint_shape, is_placeholder
from parity.model import ConfigEntry, Kind, SecretRef

from ..vocabulary import vocabulary
from .interface import Draft, RuleContext, rule

_DENY_WORDS = {
    "reject",
    "rejected",
    "deny",
    "denied",
    "denylist",
    "block",
    "blocked",
    "blocklist",
    "blacklist",
    "exclude",
    "excluded",
    "excludes",
    "ignore",
    "ignored",
    "disallow",
    "disallowed",
    "forbid",
    "forbidden",
}
_HOST = re.compile(r"(?<![\w.-])((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63})(?![\w-])")


def _words(key: str) -> set[str]:
    return {w.lower() for w in re.split(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])", key) if w}


def _registrable(host: str) -> str:
    parts = host.lower().rstrip(".").split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host.lower()


def _host_around(text: str, start: int, end: int) -> str | None:
    """The host name containing text[start:end], if the token is inside one (regex-escaped
    dots, as in a CORS origin pattern, count as dots)."""
    token = text[start:end]
    # a regex (`(www|staging)\.example\.org`) read as the host names it matches
    plain = re.sub(r"\)(?=\.)", "", text.replace("\\.", "."))
    plain = re.sub(r"[()|^$?*+\[\]\\]", " ", plain)
    for m in _HOST.finditer(plain):
        if token.lower() in re.split(r"[.-]", m.group(1).lower()):
            return m.group(1)
    return None


class _Domains:
    """Registrable domains an environment's config values mention, and in how many values
    (computed once, on the first host that needs it)."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self._counts: dict[str, Counter[str]] = {}

    def third_party(self, env: str, host: str, token: str) -> bool:
        """A host under a domain this configuration mentions nowhere else, while it does
        use domains of its own: a partner's `staging.example.org`, not our staging."""
        domain = _registrable(host)
        if token.lower() in domain.split("."):
            return False
        if env not in self._counts:
            counts: Counter[str] = Counter()
            for r in self.ctx.indexes[env].kind_records(Kind.CONFIG):
                if isinstance(r, ConfigEntry) and r.value and "." in r.value:
                    plain = r.value.replace("\\.", ".")
                    counts.update({_registrable(m.group(1)) for m in _HOST.finditer(plain)})
            self._counts[env] = counts
        counts = self._counts[env]
        own = any(n >= 2 for d, n in counts.items() if d != domain)
        return counts[domain] <= 1 and own


def _is_mode_key(ctx: RuleContext, key: str) -> bool:
    """NODE_ENV, RAILS_ENV (the policy's mode_keys) and any `*_ENV`: a build or run mode."""
    leaf = re.split(r"[./]", effective_key(key))[-1].upper()
    return leaf in ctx.policy.mode_keys or leaf.endswith(("_ENV", "_ENVIRONMENT"))


def _texts_naming(
    ctx: RuleContext, env: str, needles: set[str]
) -> Iterator[tuple[ConfigEntry | SecretRef, str]]:
    """(record, text) for config values, reference names and secret names that contain a
    needle; config values through the shared index (a million values, one C-speed scan)."""
    records, values, _ = ctx.config(env)
    for i in values.find(needles):
        yield records[i], records[i].value or ""
    refs = [r for r in records if r.value is None and r.value_ref is not None]
    secrets = [
        r for r in ctx.indexes[env].kind_records(Kind.SECRET_REF) if isinstance(r, SecretRef)
    ]
    others: list[ConfigEntry | SecretRef] = [*refs, *secrets]
    texts = [str(r.value_ref) if isinstance(r, ConfigEntry) else r.key for r in others]
    for i in containing(texts, needles):
        yield others[i], texts[i]


@rule(
    "cross-env-reference",
    category="config",
    severity="error",
    subsumes=("value-drift",),
    title="Value names another environment",
    rationale=(
        "Staging pointing at production's database or queue is how tests write to real customer "
        "data."
    ),
    remedy="Point the value at this environment's own resource.",
    fires=(
        "a value or secret name in X names another environment, names another environment's cloud "
        "identity (its AWS account, GCP project…), or is the reference's own host where X's other "
        "hosts under that domain are its own (not between two production-like envs; not deny "
        "lists, third-party hosts or stop-words)"
    ),
)
def cross_env_reference(ctx: RuleContext) -> Iterator[Draft]:
    """A value that names, or is, another environment's resource."""
    if ctx.one_environment:
        return  # an environment against its own past
    domains = _Domains(ctx)
    pointers = vocabulary(tuple(ctx.policy.pointer_keys))
    for env in ctx.envs:
        needles = ctx.normalizer.foreign_tokens(env)
        for r, text in _texts_naming(ctx, env, needles):
            hit = ctx.normalizer.foreign_match(env, text)
            if hit is None:
                continue
            other, token, start, end = hit
            if ctx.production_like[env] and ctx.production_like.get(other, False):
                continue  # canary reading production resources is by design
            if _is_mode_key(ctx, r.key) or _words(r.key) & _DENY_WORDS:
                continue
            if is_placeholder(text):
                continue  # `REPLACE_ME_IN_PRODUCTION` designates nothing: placeholder-value
            if pointers.matches(r.key) or _is_label(r.key):
                continue  # a promotion target, restore source, datacenter or label: on purpose
            if ctx.normalizer.names_env(env, r.key):
                continue  # under a key naming env's own resource (`dbTables.app-staging-db`)
            if any(ident in text for ident in ctx.identities(env).values()):
                continue  # inside env's own account/project: its own resource, whatever its name
            host = _host_around(text, start, end)
            if host and host.lower().rstrip(".").rsplit(".", 1)[-1] == token.lower():
                continue  # a top-level domain (`staging.test`) names no environment
            if host and domains.third_party(env, host, token):
                continue  # a third party's environment, not one of ours
            if host and not _theirs(ctx, other, host, token):
                continue  # a location (`x.codfw.wmnet`) whose hosts there are other ones
            yield Draft(
                env,
                subject_of(r),
                f"{r.key} in {env} names {other!r} "
                f"(token {token!r}): {env} may be using {other}'s resource",
                actual=text,
                suggestion=f"point {r.key} at {env}'s own resource",
                source=r.source,
            )
        if env != ctx.reference:
            yield from _shared_hosts(ctx, env)
            yield from _copied_resource_ids(ctx, env)
        yield from _foreign_identities(ctx, env)


_LABEL_PARTS = re.compile(r"(^|[./])(labels?|tags|annotations)([./\[]|$)", re.IGNORECASE)


def _is_label(key: str) -> bool:
    """A label or tag (`labels.environment`, `tags.Env`) describes, it designates nothing."""
    return bool(_LABEL_PARTS.search(key))


def _theirs(ctx: RuleContext, other: str, host: str, token: str) -> bool:
    """Whether a host that names `other` only as its location (`cassandra-dev1.codfw.wmnet`:
    the token is not in the first label) is one of other's own hosts. It is, unless other's
    configuration names hosts in that location and this one is not among them (then it is a
    datacenter shared by several environments, not other's resource)."""
    labels = host.lower().split(".")
    if len(labels) < 3 or token.lower() in re.split(r"[-_]", labels[0]):
        return True  # `payments-prod.x` / `prod.x`: the resource itself is named for other
    location = (
        "." + ".".join(labels[labels.index(token.lower()) :]) if token.lower() in labels else None
    )
    if location is None:
        return True
    _, values, _ = ctx.config(other)
    if not values.find([location]):
        return True  # nothing known of other's hosts there: keep the finding
    return bool(values.find([host.lower()]))


_ARN = re.compile(
    r"^arn:(?P<part>[\w-]+):(?P<svc>[\w-]*):(?P<region>[\w-]*):(?P<acct>\d{12}):(?P<res>.+)$"
)
_UNIQUE_ID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-f]{32,}"
)


def _copied_resource_ids(ctx: RuleContext, env: str) -> Iterator[Draft]:
    """An ARN whose account is env's own but whose unique resource id (a KMS key's UUID, a
    random id) is the reference's: ids are unique to one account, so the value was copied
    from the reference and names a resource env's account does not have."""
    for a, b in ctx.pairs[env].changed.get(Kind.CONFIG, []):
        if not (isinstance(a, ConfigEntry) and isinstance(b, ConfigEntry)):
            continue
        ma, mb = _ARN.match(a.value or ""), _ARN.match(b.value or "")
        if ma is None or mb is None or ma.group("acct") == mb.group("acct"):
            continue
        ids_a = set(_UNIQUE_ID.findall(ma.group("res")))
        shared = sorted(ids_a & set(_UNIQUE_ID.findall(mb.group("res"))))
        if not shared:
            continue
        yield Draft(
            env,
            subject_of(b),
            f"{b.key} in {env} names {ctx.reference}'s resource {shared[0]} under {env}'s "
            f"account {mb.group('acct')}: an id is unique to one account, so the value was "
            f"copied from {ctx.reference} and {env}'s resource likely does not exist",
            expected=f"{env}'s own resource id",
            actual=b.value,
            suggestion=f"point {b.key} at {env}'s own resource",
            source=b.source,
        )


def _own_named_domains(ctx: RuleContext, env: str) -> set[str]:
    """Registrable domains under which env names hosts after itself (`api-staging.x.com`)."""
    out: set[str] = set()
    tokens = ctx.normalizer.tokens.get(env, set())
    for r in ctx.indexes[env].kind_records(Kind.CONFIG):
        if not isinstance(r, ConfigEntry) or not r.value or "." not in r.value:
            continue
        for m in _HOST.finditer(r.value):
            host = m.group(1).lower()
            labels = re.split(r"[.-]", host)
            if any(t in labels for t in tokens):
                out.add(_registrable(host))
    return out


def _shared_hosts(ctx: RuleContext, env: str) -> Iterator[Draft]:
    """Endpoint values equal to the reference's, under a domain where env's other hosts carry
    env's own name: env is probably using the reference's instance."""
    own: set[str] | None = None
    ref_groups = ctx.indexes[ctx.reference].groups
    records, values, _ = ctx.config(env)
    for i in values.find(["://"]):
        r = records[i]
        if not isinstance(r, ConfigEntry) or not r.value or endpoint_shape(r.value) is None:
            continue
        other = ref_groups.get(r.group, {}).get(r.key)
        if not isinstance(other, ConfigEntry) or other.value != r.value:
            continue
        try:
            host = (urlsplit(r.value).hostname or "").lower()
        except ValueError:
            continue
        if not host or ctx.normalizer.foreign(env, host) or "." not in host:
            continue
        if own is None:
            own = _own_named_domains(ctx, env)
        domain = _registrable(host)
        if domain in own and not ctx.normalizer.names_env(env, host):
            yield Draft(
                env,
                subject_of(r),
                f"{r.key} in {env} is {r.value}, the same host as {ctx.reference}, while "
                f"{env}'s other {domain} hosts are its own: {env} may be using "
                f"{ctx.reference}'s resource",
                expected=f"{env}'s own {domain} host",
                actual=r.value,
                suggestion=f"point {r.key} at {env}'s own instance",
                source=r.source,
            )


def _foreign_identities(ctx: RuleContext, env: str) -> Iterator[Draft]:
    """Values naming another environment's own cloud identity (its AWS account, GCP project,
    Azure subscription) where env has an identity of that kind of its own."""
    own = ctx.identities(env)
    for other in ctx.envs:
        if other == env or (ctx.production_like[env] and ctx.production_like.get(other, False)):
            continue
        theirs = {
            kind: ident
            for kind, ident in ctx.identities(other).items()
            if kind in own and own[kind] != ident and kind != "aws-region"
        }
        if not theirs:
            continue
        for kind in (Kind.CONFIG, Kind.SECRET_REF):
            records = ctx.indexes[env].kind_records(kind)
            texts = [
                (r.value or "") if isinstance(r, ConfigEntry) else r.key
                for r in records
                if isinstance(r, ConfigEntry | SecretRef)
            ]
            for i in containing(texts, list(theirs.values())):
                r, text = records[i], texts[i]
                assert isinstance(r, ConfigEntry | SecretRef)
                hit = next((k, v) for k, v in theirs.items() if v.lower() in text.lower())
                yield Draft(
                    env,
                    subject_of(r),
                    f"{r.key} in {env} names {other}'s {hit[0]} {hit[1]} ({env}'s own is "
                    f"{own[hit[0]]}): {env} may be using {other}'s resource",
                    expected=f"{env}'s {hit[0]} {own[hit[0]]}",
                    actual=text,
                    suggestion=f"point {r.key} at {env}'s own {hit[0]}",
                    source=r.source,
                )
