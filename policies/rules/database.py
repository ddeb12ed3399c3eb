"""Database rules: schema drift and migration drift, one finding per root cause.

A table missing in an environment is one finding, not one per column, index and constraint;
the objects of tables present on one side only are folded into that finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from parity.align.diff import subject_of
from parity.model import Kind, MigrationHead, SchemaObject

from .interface import Draft, RuleContext, rule


def _schema(records: Sequence[object]) -> list[SchemaObject]:
    return [r for r in records if isinstance(r, SchemaObject) and r.object_type != "digest"]


def _column_change(ref: str, env: str) -> str | None:
    """The level of a column difference: the type (None: the rule's severity), or only the
    nullability/default (a level of its own, usually a warning)."""
    strip = re.compile(r" not null| default .*$")
    if strip.sub("", ref) != strip.sub("", env):
        return None
    return "nullability" if ("not null" in ref) != ("not null" in env) else "default"


_MISSING_LEVEL = {"table": None, "column": None, "index": "index", "constraint": "constraint"}


@rule(
    "schema-drift",
    category="data",
    severity="error",
    levels={
        "nullability": "warning",
        "default": "warning",
        "index": "warning",
        "constraint": "warning",
        "extra": "warning",
        "extra-index": "info",
    },
    title="Database schema differs from the reference",
    rationale=(
        "Code tested against one schema meets another; a missing column fails at runtime, a "
        "missing index turns a query into a table scan, a missing constraint lets bad data in."
    ),
    remedy=(
        "Apply the same migrations in both environments; fix hand-made changes with a migration."
    ),
    fires=(
        "tables, columns, indexes, constraints differ from the reference's (objects of a table "
        "missing on one side fold into that table's finding)"
    ),
)
def schema_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Tables, columns, indexes and constraints that differ from the reference's."""
    for env, diff in ctx.pairs.items():
        # The whole-schema digest differs whenever a part does: the parts explain it.
        missing = _schema(diff.missing.get(Kind.SCHEMA, []))
        extra = _schema(diff.extra.get(Kind.SCHEMA, []))
        changed = [
            (a, b)
            for a, b in diff.changed.get(Kind.SCHEMA, [])
            if isinstance(a, SchemaObject)
            and isinstance(b, SchemaObject)
            and a.object_type != "digest"
        ]
        gone = {(r.scope, r.table) for r in missing if r.object_type == "table"}
        added = {(r.scope, r.table) for r in extra if r.object_type == "table"}
        for r in missing:
            if r.object_type != "table" and (r.scope, r.table) in gone:
                continue
            what = f"{r.object_type} {r.key.split(' ', 1)[1]}"
            yield Draft(
                env,
                subject_of(r),
                f"{what} exists in {ctx.reference} but not in {env}"
                + (f": `{r.definition}`" if r.definition else ""),
                expected=r.definition or "present",
                actual="absent",
                suggestion=f"run the migrations that create it in {env}, or check whether "
                f"{ctx.reference} was changed by hand",
                source=r.source,
                level=_MISSING_LEVEL[r.object_type],
            )
        for r in extra:
            if r.object_type != "table" and (r.scope, r.table) in added:
                continue
            what = f"{r.object_type} {r.key.split(' ', 1)[1]}"
            yield Draft(
                env,
                subject_of(r),
                f"{what} exists in {env} but not in {ctx.reference}",
                expected="absent",
                actual=r.definition or "present",
                suggestion=f"deploy the migration to {ctx.reference}, or drop the leftover "
                f"from {env}",
                source=r.source,
                level="extra-index" if r.object_type == "index" else "extra",
            )
        for a, b in changed:
            level = (
                _column_change(a.definition, b.definition)
                if a.object_type == "column"
                else (_MISSING_LEVEL[a.object_type])
            )
            yield Draft(
                env,
                subject_of(b),
                f"{a.object_type} {a.key.split(' ', 1)[1]} is `{b.definition}` in {env}, "
                f"`{a.definition}` in {ctx.reference}",
                expected=a.definition,
                actual=b.definition,
                suggestion="align the definition with a migration applied to both environments",
                source=b.source,
                level=level,
            )


def _numeric(version: str) -> float | None:
    try:
        return float(version.removesuffix(" (dirty)"))
    except ValueError:
        return None


def _direction(ref: MigrationHead | None, env: MigrationHead | None) -> str:
    """`ahead`, `behind` or `diverged` (same count, different heads: nothing orders them)."""
    if ref is None:
        return "ahead"
    if env is None:
        return "behind"
    a, b = _numeric(ref.version), _numeric(env.version)
    if a is not None and b is not None and a != b:
        return "ahead" if b > a else "behind"
    if ref.applied != env.applied:
        return "ahead" if env.applied > ref.applied else "behind"
    return "diverged"


_PHRASE = {"ahead": "are ahead of", "behind": "are behind", "diverged": "have diverged from"}


@rule(
    "migration-drift",
    category="data",
    severity="error",
    levels={"ahead": "info", "diverged": "warning"},
    title="Migration heads differ",
    rationale=(
        "An environment behind the reference runs code against an older schema; ahead is expected "
        "before a deploy; diverged histories break the next migration run."
    ),
    remedy=(
        "Apply the pending migrations (or deploy them to the reference); merge diverged migration "
        "branches."
    ),
    fires=(
        "migration heads differ (alembic, Django per app, Flyway, Rails/golang-migrate, Liquibase)"
    ),
)
def migration_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Migration heads that differ: behind the reference is an error, ahead is expected before
    a deploy (a level), two different heads with the same history length have diverged."""
    for env, diff in ctx.pairs.items():
        pairs: list[tuple[MigrationHead | None, MigrationHead | None]] = [
            (a, b)
            for a, b in diff.changed.get(Kind.MIGRATION, [])
            if isinstance(a, MigrationHead) and isinstance(b, MigrationHead)
        ]
        pairs += [
            (a, None) for a in diff.missing.get(Kind.MIGRATION, []) if isinstance(a, MigrationHead)
        ]
        pairs += [
            (None, b) for b in diff.extra.get(Kind.MIGRATION, []) if isinstance(b, MigrationHead)
        ]
        for a, b in pairs:
            direction = _direction(a, b)
            shown = b or a
            assert shown is not None
            ref_v = a.version if a else "none"
            env_v = b.version if b else "none"
            counts = (
                f" ({b.applied if b else 0} vs {a.applied if a else 0} applied)"
                if (a and a.applied) or (b and b.applied)
                else ""
            )
            yield Draft(
                env,
                subject_of(shown),
                f"{shown.key} migrations in {env} {_PHRASE[direction]} {ctx.reference}: "
                f"{env_v} vs {ref_v}{counts}",
                expected=ref_v,
                actual=env_v,
                suggestion=(
                    f"apply the pending migrations to {env}"
                    if direction == "behind"
                    else f"deploy to {ctx.reference} (its migrations run there), or roll back {env}"
                    if direction == "ahead"
                    else "the histories diverged: merge the migration branches"
                ),
                source=shown.source,
                level=None if direction == "behind" else direction,
            )
