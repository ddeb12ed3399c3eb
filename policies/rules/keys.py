"""Key rules: a key misspelt, required by the code but unset, or assigned twice."""

from __future__ import annotations

from collections.abc import Iterator

from parity.align.diff import subject_of
from parity.model import ConfigEntry, Kind, RequiredKey

from ._display import once_per_source
from .interface import Draft, RuleContext, rule


@rule(
    "key-typo",
    category="config",
    severity="error",
    subsumes=("missing-key",),
    title="Key name looks like a typo of a reference key",
    rationale=(
        "A near-miss key (DATABSE_URL) is as good as missing, and its intended value is never read."
    ),
    remedy="Rename the key to the reference spelling.",
    fires=(
        "a key only in X is a near miss (≤ 2 edits, case/separator) of a reference key missing in "
        'X: one finding with "did you mean" instead of two missing keys'
    ),
)
def key_typo(ctx: RuleContext) -> Iterator[Draft]:
    """A key in X that near-misses a reference key X lacks: one finding, with did-you-mean,
    once per source line (an `.env` read by three services is one typo)."""
    yield from once_per_source(_key_typo(ctx))


def _key_typo(ctx: RuleContext) -> Iterator[Draft]:
    for env, diff in ctx.pairs.items():
        for want, got in diff.typos:
            yield Draft(
                env,
                subject_of(got),
                f"{got.key} in {env} looks like a typo of "
                f"{want.key} (set in {ctx.reference}); did you mean {want.key}?",
                expected=want.key,
                actual=got.key,
                suggestion=f"rename {got.key} to {want.key}",
                source=got.source,
            )


@rule(
    "unset-required-key",
    category="config",
    severity="error",
    # an optional read (`.get`, `getenv`) no environment sets
    levels={"optional": "info"},
    title="Code reads a key the environment does not set",
    rationale=(
        "The code reads this variable with no default; unset, the process crashes or misbehaves at"
        " runtime."
    ),
    remedy="Set the key in the environment, or give the code a safe default.",
    fires=(
        'the code reads a variable that cannot be absent (`os.environ["X"]`, a settings field '
        "without default) and env X does not set it; an optional read no environment sets is one "
        "info finding"
    ),
)
def unset_required_key(ctx: RuleContext) -> Iterator[Draft]:
    """Keys the code reads without a default that the environment never sets."""
    for env in ctx.envs:
        if ctx.snapshots[env].errors:
            continue  # a failed source may be what sets the key; collector-failed covers it
        index = ctx.indexes[env]
        required = [
            r
            for r in index.kind_records(Kind.REQUIRED_KEY)
            if isinstance(r, RequiredKey)
            and not r.has_default
            and (not r.optional or not _set_anywhere(ctx, r.key))
        ]
        if not required:
            continue
        provided = {
            r.key
            for r in index.kind_records(Kind.CONFIG)
            if isinstance(r, ConfigEntry) and r.env_var
        }
        for r in required:
            if r.key in provided:
                continue
            if r.optional:  # the code handles absence; no environment sets it: worth a look
                if env != ctx.reference:
                    continue  # one finding for all environments, at the reference
                yield Draft(
                    env,
                    subject_of(r),
                    f"the code reads {r.key} (at {r.source}) and handles its absence, but no "
                    "environment sets it",
                    suggestion=f"set {r.key} where the feature should be on, or drop the read",
                    source=r.source,
                    level="optional",
                )
                continue
            yield Draft(
                env,
                subject_of(r),
                f"the code reads {r.key} (at {r.source}) with no "
                f"default, but {env} does not set it",
                suggestion=f"set {r.key} in {env}, or give the read a default",
                source=r.source,
            )


def _set_anywhere(ctx: RuleContext, key: str) -> bool:
    """Whether any environment sets key as an environment variable."""
    cache = ctx._cache.setdefault("env-var-keys", {})
    if not cache:
        for env in ctx.envs:
            for r in ctx.indexes[env].kind_records(Kind.CONFIG):
                if isinstance(r, ConfigEntry) and r.env_var:
                    cache[r.key] = True
    return key in cache


@rule(
    "duplicate-key",
    category="config",
    severity="warning",
    title="Key assigned twice in one file",
    rationale="Only the last assignment wins; the first one misleads every reader.",
    remedy="Delete the duplicate assignment.",
    fires="a key is assigned twice in one file",
)
def duplicate_key(ctx: RuleContext) -> Iterator[Draft]:
    """Keys assigned twice in one file (noticed by the collector)."""
    for env, n in ctx.notices("duplicate-key"):
        yield Draft(
            env,
            f"config:{n.source.rsplit(':', 1)[0]}:{n.subject}",
            n.message,
            suggestion="delete the earlier assignment",
            source=n.source,
        )
