"""Data rules: an environment holding a fraction of the reference's data hides scale bugs."""

from __future__ import annotations

from collections.abc import Iterator

from parity.diff import subject_of
from parity.model import DataVolume, Kind

from .interface import Draft, RuleContext, rule


def _amount(v: DataVolume) -> str:
    return f"{v.value:,.0f} {v.unit}" + ("" if v.exact else " (estimate)")


@rule("data-volume-ratio")
def data_volume_ratio(ctx: RuleContext) -> Iterator[Draft]:
    """Env X holds less than policy `data_volume_min_ratio` of the reference's data."""
    threshold = ctx.policy.data_volume_min_ratio
    for env, diff in ctx.pairs.items():
        pairs: list[tuple[DataVolume, DataVolume | None]] = [
            (a, b)
            for a, b in diff.changed.get(Kind.DATA_VOLUME, [])
            if isinstance(a, DataVolume) and isinstance(b, DataVolume)
        ]
        pairs += [
            (a, None) for a in diff.missing.get(Kind.DATA_VOLUME, []) if isinstance(a, DataVolume)
        ]
        for a, b in sorted(pairs, key=lambda p: subject_of(p[0])):
            if a.value <= 0:
                continue
            have = b.value if b is not None else 0.0
            ratio = have / a.value
            if ratio >= threshold:
                continue
            shown = b if b is not None else a
            resource = shown.key.rsplit(":", 1)[0]
            actual = _amount(b) if b is not None else "absent"
            yield Draft(
                env,
                subject_of(shown),
                f"{resource} in {env} holds {actual}, {ratio:.1%} of {ctx.reference}'s "
                f"{_amount(a)} (threshold {threshold:.0%})",
                expected=_amount(a),
                actual=actual,
                suggestion=f"seed {env} with representative data (anonymized production "
                "snapshot or generated volume)",
                source=shown.source,
            )
