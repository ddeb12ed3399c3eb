"""Rows for the human formats: one per root cause, worst first.

JSON keeps every finding; a person reading a table wants "LOG_LEVEL in canary:
contract-violation, value-drift" once, not two rows saying the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from parity.model.findings import Finding, Report

# Within one severity, what to fix first: leaked or shared secrets, then cross-environment use.
_IMPACT = {"secrets": 0, "collection": 1, "images": 3, "config": 4, "dependencies": 5, "data": 6}
_FIRST_RULES = {"cross-env-reference": 2, "secret-shared": 0, "plaintext-secret": 0}


@dataclass(frozen=True)
class Row:
    """One root cause in one environment."""

    findings: tuple[Finding, ...]

    @property
    def lead(self) -> Finding:
        """The finding that speaks for the group: the worst unwaived one."""
        return self.findings[0]

    @property
    def waived(self) -> bool:
        return all(f.waived for f in self.findings)

    @property
    def rules(self) -> str:
        return ", ".join(dict.fromkeys(f.rule for f in self.findings))

    @property
    def status(self) -> str | None:
        """`parity audit`: new if any of its findings is new, else persisting."""
        marks = {f.status for f in self.findings if f.status}
        return "new" if "new" in marks else ("persisting" if marks else None)

    @property
    def message(self) -> str:
        text = self.lead.message
        for f in self.findings[1:]:
            text += f"; {f.rule}: {f.message}"
        return text


def _rank(f: Finding) -> tuple[int, int, int, str, str]:
    impact = _FIRST_RULES.get(f.rule, _IMPACT.get(f.category, 9))
    return (int(f.waived), -f.severity.rank, impact, f.rule, f.subject)


_FLOOR = {"info": 1, "warning": 2, "error": 3}


def _all_rows(report: Report, env: str, hide_waived: bool) -> list[Row]:
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.environment != env or (hide_waived and f.waived):
            continue
        groups.setdefault(f.group or f.subject, []).append(f)
    return [Row(tuple(sorted(fs, key=_rank))) for fs in groups.values()]


def rows(
    report: Report, env: str, *, hide_waived: bool = False, min_severity: str = "info"
) -> list[Row]:
    """The environment's findings grouped by cause, worst group first; groups whose worst
    finding is below `min_severity` are left out."""
    floor = _FLOOR[min_severity]
    kept = (r for r in _all_rows(report, env, hide_waived) if r.lead.severity.rank >= floor)
    return sorted(kept, key=lambda r: _rank(r.lead))


def hidden(report: Report, min_severity: str) -> int:
    """Unwaived findings `--min-severity` leaves out of a human report (the summary says how
    many, so a filtered report never reads as a clean one)."""
    floor = _FLOOR[min_severity]
    return sum(
        sum(not f.waived for f in r.findings)
        for env in report.environments
        for r in _all_rows(report, env, False)
        if r.lead.severity.rank < floor
    )


def since_previous(report: Report) -> str | None:
    """`parity audit`: one sentence comparing with the previous audit (None for a check)."""
    a = report.audit
    if a is None:
        return None
    when = f" ({a.previous_at:%Y-%m-%d %H:%M} UTC)" if a.previous_at else " (none stored: all new)"
    return (
        f"Since the previous audit{when}: {a.new} new, {a.persisting} persisting, "
        f"{len(a.resolved)} resolved."
    )
