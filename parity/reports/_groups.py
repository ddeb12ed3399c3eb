"""Rows for the human formats: one per root cause, worst first.

JSON keeps every finding; a person reading a table wants "LOG_LEVEL in canary:
contract-violation, value-drift" once, not two rows saying the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from parity.findings import Finding, Report

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
    def message(self) -> str:
        text = self.lead.message
        for f in self.findings[1:]:
            text += f"; {f.rule}: {f.message}"
        return text


def _rank(f: Finding) -> tuple[int, int, int, str, str]:
    impact = _FIRST_RULES.get(f.rule, _IMPACT.get(f.category, 9))
    return (int(f.waived), -f.severity.rank, impact, f.rule, f.subject)


_FLOOR = {"info": 1, "warning": 2, "error": 3}


def rows(
    report: Report, env: str, *, hide_waived: bool = False, min_severity: str = "info"
) -> list[Row]:
    """The environment's findings grouped by cause, worst group first; groups whose worst
    finding is below `min_severity` are left out."""
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.environment != env or (hide_waived and f.waived):
            continue
        groups.setdefault(f.group or f.subject, []).append(f)
    out = [Row(tuple(sorted(fs, key=_rank))) for fs in groups.values()]
    floor = _FLOOR[min_severity]
    return sorted((r for r in out if r.lead.severity.rank >= floor), key=lambda r: _rank(r.lead))
