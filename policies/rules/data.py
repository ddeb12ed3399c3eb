"""Data rules: an environment holding a fraction of the reference's data hides scale bugs."""

from __future__ import annotations

from collections.abc import Iterator

from parity.align.diff import subject_of
from parity.model import DataVolume, Kind

from .interface import Draft, RuleContext, rule

TOTAL = "(all tables)"  # the total row collectors add per store (see collectors.sql)


def _amount(v: DataVolume) -> str:
    return f"{v.value:,.0f} {v.unit}" + ("" if v.exact else " (estimate)")


@rule(
    "data-volume-ratio",
    category="data",
    severity="warning",
    # empty: none at all where the reference has data
    levels={"empty": "warning", "above": "info"},
    title="Environment holds far less data than the reference",
    rationale=(
        "Queries, migrations and pagination that are instant on a thousandth of production's data "
        "time out on the real thing."
    ),
    remedy=(
        "Seed the environment with representative volume (anonymized snapshot or generated data), "
        "or accept it with a waiver."
    ),
    fires=(
        "env X holds less than `data_volume_min_ratio` (0.1, per resource `data_volume_ratios`) of"
        " the reference's rows/items/objects/bytes, or lacks the resource; empty resources first"
    ),
)
def data_volume_ratio(ctx: RuleContext) -> Iterator[Draft]:
    """Env X holds less than the policy's minimum share of the reference's data (per resource
    overrides in `data_volume_ratios`), or more than `data_volume_max_ratio` times it (info).
    Resources empty in X but not in the reference come first: they hide the most."""
    for env in ctx.pairs:
        drafts = list(_ratios(ctx, env))
        # One finding per root cause: a table short of rows is not reported again for its
        # bytes, and a store's total only when none of its resources is.
        told: dict[str, str] = {}  # store:resource -> metric reported
        stores = set()
        for d in sorted(drafts, key=lambda d: d.subject.endswith(":bytes")):
            resource, metric = d.subject.rsplit(":", 1)
            told.setdefault(resource, metric)
            if f":{TOTAL}" not in resource:
                stores.add(resource.rsplit(":", 1)[0])
        for d in drafts:
            resource, metric = d.subject.rsplit(":", 1)
            total = resource.endswith(f":{TOTAL}")
            if told[resource] == metric and not (total and resource.rsplit(":", 1)[0] in stores):
                yield d


def _ratios(ctx: RuleContext, env: str) -> Iterator[Draft]:
    policy, diff = ctx.policy, ctx.pairs[env]
    pairs: list[tuple[DataVolume, DataVolume | None]] = [
        (a, b)
        for a, b in diff.changed.get(Kind.DATA_VOLUME, [])
        if isinstance(a, DataVolume) and isinstance(b, DataVolume)
    ]
    pairs += [
        (a, None) for a in diff.missing.get(Kind.DATA_VOLUME, []) if isinstance(a, DataVolume)
    ]
    pairs.sort(key=lambda p: (p[1] is None or p[1].value > 0, subject_of(p[0])))
    for a, b in pairs:
        if a.value <= 0:
            continue
        have = b.value if b is not None else 0.0
        ratio = have / a.value
        resource = (b or a).key.rsplit(":", 1)[0]
        threshold = policy.min_ratio(resource)
        if ratio < threshold:
            level = "empty" if b is not None and have == 0 else None
        elif policy.data_volume_max_ratio is not None and ratio > policy.data_volume_max_ratio:
            level = "above"
        else:
            continue
        shown = b if b is not None else a
        actual = _amount(b) if b is not None else "absent"
        bound = (
            f"threshold {threshold:.0%}"
            if level != "above"
            else f"above {policy.data_volume_max_ratio:g}x"
        )
        yield Draft(
            env,
            subject_of(shown),
            f"{resource} in {env} holds {actual}, {ratio:.1%} of {ctx.reference}'s "
            f"{_amount(a)} ({bound})",
            expected=_amount(a),
            actual=actual,
            suggestion=(
                f"seed {env} with representative data (anonymized production snapshot or "
                "generated volume)"
                if level != "above"
                else f"check why {env} holds more than {ctx.reference} (runaway job, "
                "missing retention)"
            ),
            source=shown.source,
            level=level,
        )
