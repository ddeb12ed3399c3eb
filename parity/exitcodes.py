"""The exit-code authority: the documented codes and the gate that picks one for a report.

CI systems key on these numbers, so they are defined once and every command maps its outcome
through here (errors through their `exit_code`, reports through `gate`).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parity.model.findings import Finding, Report


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0  # no unwaived finding at or above --fail-on
    FINDINGS = 1  # such findings exist
    USAGE = 2  # usage or configuration error
    INCOMPLETE = 3  # a collector failed: the audit cannot vouch for what it did not see
    INTERNAL = 4  # a bug in parity: never 1, which means "findings"
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), the shell convention


FAIL_ON_LEVELS = ("error", "warning", "info", "never")
EXIT_CODES = (
    "Exit codes: 0 pass; 1 findings at or above --fail-on;\n"
    "  2 usage or configuration error; 3 incomplete (a source could not be read);\n"
    "  4 internal error; 130 interrupted."
)


def _counted(report: Report, only_new: bool) -> list[Finding]:
    """The findings a gate looks at: unwaived, and with --fail-on-new only the new ones."""
    return [f for f in report.findings if not f.waived and (not only_new or f.status == "new")]


def gate(report: Report, fail_on: str, allow_incomplete: bool, only_new: bool = False) -> ExitCode:
    """Exit code for a report under --fail-on / --allow-incomplete.

    An incomplete audit exits 3 even when findings exist: "we could not see everything" is the
    more urgent message. --allow-incomplete counts collector-failed as an ordinary error finding.
    """
    from parity.model.findings import Severity

    if not report.complete and not allow_incomplete:
        return ExitCode.INCOMPLETE
    if fail_on == "never":
        return ExitCode.OK
    threshold = Severity(fail_on).rank
    failing = any(f.severity.rank >= threshold for f in _counted(report, only_new))
    return ExitCode.FINDINGS if failing else ExitCode.OK


def verdict(report: Report, fail_on: str, allow_incomplete: bool, only_new: bool = False) -> str:
    """The one line a person reads first: PASS, FAIL (with what fails) or INCOMPLETE."""
    code = gate(report, fail_on, allow_incomplete, only_new)
    gate_note = f"(gate: --fail-on {fail_on}{' --fail-on-new' if only_new else ''})"
    if code is ExitCode.INCOMPLETE:
        n = len(report.errors)
        return f"INCOMPLETE: {n} source{'s' if n != 1 else ''} could not be read {gate_note}"
    if code is ExitCode.OK:
        return f"PASS {gate_note}"
    from parity.model.findings import Severity

    threshold = Severity(fail_on).rank
    failing = [f for f in _counted(report, only_new) if f.severity.rank >= threshold]
    by: dict[str, int] = {}
    for f in failing:
        by[f.severity.value] = by.get(f.severity.value, 0) + 1
    parts = [f"{n} {sev}{'s' if n != 1 and sev != 'info' else ''}" for sev, n in by.items()]
    return f"FAIL: {', '.join(parts)}{' new' if only_new else ''} {gate_note}"
