"""Secret rules: references missing, credentials shared across environments, literal secrets.

Secret values are never compared here: only keyed fingerprints, references and redacted forms.
A content digest (plain hash of non-secret structure) is not a fingerprint and never feeds
secret-shared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from parity.align.diff import subject_of
from parity.model import ConfigEntry, Kind, SecretRef
from parity.secrets.keys import key_words

from ._display import REDACTED, once_per_source, where
from .interface import Draft, RuleContext, rule


@rule(
    "secret-missing",
    category="secrets",
    severity="error",
    subsumes=("missing-key",),
    title="Secret reference missing",
    rationale=(
        "A secret the reference wires in and this environment does not is a feature that fails "
        "only in one place."
    ),
    remedy="Create the secret in this environment's store and reference it the same way.",
    fires="a secret reference of the reference env is absent in X",
)
def secret_missing(ctx: RuleContext) -> Iterator[Draft]:
    """Secret references the reference has and env X lacks."""
    for env, diff in ctx.pairs.items():
        for r in diff.missing.get(Kind.SECRET_REF, []):
            assert isinstance(r, SecretRef)
            exposed = f" (as {r.env_var})" if r.env_var else ""
            yield Draft(
                env,
                subject_of(r),
                f"secret {r.name}{exposed} is referenced in "
                f"{ctx.reference} ({r.backend}) but not in {env}",
                expected=r.name,
                suggestion=f"create {r.name} in {env}'s {r.backend} and reference it",
                source=r.source,
            )


def _fingerprints(ctx: RuleContext, env: str) -> dict[str, list[ConfigEntry | SecretRef]]:
    out: dict[str, list[ConfigEntry | SecretRef]] = defaultdict(list)
    for r in ctx.fingerprinted(env):
        if r.fingerprint:
            out[r.fingerprint].append(r)
    return out


@rule(
    "secret-shared",
    category="secrets",
    severity="error",
    # a demo/sample/example credential (named so), shared on purpose
    levels={"fixture": "info"},
    title="Same secret value in two environments",
    rationale=(
        "Staging holding production's credential breaks isolation; a staging compromise becomes a "
        "production one."
    ),
    remedy="Rotate the credential in one environment so each has its own.",
    fires=(
        "the same keyed fingerprint in X and the reference (not between two production-like envs, "
        "never between an environment and its own past)"
    ),
)
def secret_shared(ctx: RuleContext) -> Iterator[Draft]:
    """The same keyed fingerprint in two environments: one credential, two environments;
    once per source line (an `.env` read by three services is one shared secret)."""
    yield from once_per_source(_secret_shared(ctx))


_FIXTURE_WORDS = {"demo", "sample", "example", "fixture", "dummy", "fake"}


def _secret_shared(ctx: RuleContext) -> Iterator[Draft]:
    if ctx.one_environment:
        return  # an environment against its own past: an unchanged secret is not shared
    ref_fps = _fingerprints(ctx, ctx.reference)
    for env in ctx.pairs:
        if ctx.production_like[env] and ctx.production_like[ctx.reference]:
            continue  # production-like peers (canary) share production credentials by design
        for fp, records in sorted(_fingerprints(ctx, env).items()):
            if fp not in ref_fps:
                continue
            ref_names = ", ".join(sorted({where(r) for r in ref_fps[fp]}))
            for r in records:
                fixture = bool(set(key_words(r.key)) & _FIXTURE_WORDS)
                yield Draft(
                    env,
                    subject_of(r),
                    f"{where(r)} in {env} holds the same secret value as "
                    f"{ref_names} in {ctx.reference} (fingerprints match)"
                    + (" — a demo/sample credential, shared on purpose?" if fixture else ""),
                    suggestion=f"rotate the credential so {env} has its own",
                    source=r.source,
                    level="fixture" if fixture else None,
                )


@rule(
    "plaintext-secret",
    category="secrets",
    severity="error",
    title="Secret held as a literal where others use a reference",
    rationale="A literal secret in a manifest or env file ends up in version control and logs.",
    remedy="Move the value into the secret store and reference it, as the other environments do.",
    fires="a secret literal where another environment uses a secret-store reference",
)
def plaintext_secret(ctx: RuleContext) -> Iterator[Draft]:
    """A secret literal where another environment references a secret store."""
    referenced: dict[tuple[str, str], str] = {}
    for env in ctx.envs:
        for r in ctx.referencing(env):
            if r.value is None:
                referenced.setdefault((r.scope, r.key), f"{env} ({r.value_ref})")
    if not referenced:
        return
    for env in ctx.envs:
        for found in ctx.fingerprinted(env):
            if not isinstance(found, ConfigEntry):
                continue
            if found.secret and found.value_ref is None and (found.scope, found.key) in referenced:
                yield Draft(
                    env,
                    subject_of(found),
                    f"{found.key} is a literal secret in {env}, while "
                    f"{referenced[(found.scope, found.key)]} references a secret store",
                    actual=REDACTED,
                    suggestion="move the value into the secret store and reference it",
                    source=found.source,
                )
