"""Terminal table: grouped by environment and severity, readable at 80 columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tabulate import tabulate

if TYPE_CHECKING:
    from parity.policies.model import RuleSpec

from parity.findings import Report

from ._groups import rows

_MARK = {"error": "ERR", "warning": "WARN", "info": "info"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def render_table(report: Report, rules: Mapping[str, RuleSpec] | None = None) -> str:
    """One block per environment: score line, then findings worst first."""
    out: list[str] = []
    status = "complete" if report.complete else "INCOMPLETE (a collector failed)"
    out.append(
        f"parity {report.tool.version}: {len(report.environments)} environments vs "
        f"{report.reference!r}, {status}"
    )
    scores = {p.environment: p.score for p in report.score.pairs}
    for env in report.environments:
        table = [
            [_MARK[r.lead.severity] + ("*" if r.waived else ""), r.rules, r.message]
            for r in rows(report, env)
        ]
        title = env if env != report.reference else f"{env} (reference)"
        out.append("")
        n = sum(1 for f in report.findings if f.environment == env and not f.waived)
        out.append(f"== {title}: score {scores.get(env, 100.0):g}/100, {_count(n, 'finding')} ==")
        if table:
            out.append(
                tabulate(
                    table,
                    headers=["sev", "rule", "finding"],
                    tablefmt="simple",
                    maxcolwidths=[None, 19, 50],
                )
            )
    if report.errors:
        out.append("")
        out.append("Collection errors (the audit is incomplete):")
        for e in report.errors:
            out.append(f"  ! {e.environment}: {e.collector} {e.source}: {e.message}")
            if e.hint:
                out.append(f"    hint: {e.hint}")
    s = report.summary
    out.append("")
    out.append(
        f"{s.unwaived} findings ({s.by_severity.get('error', 0)} errors, "
        f"{s.by_severity.get('warning', 0)} warnings, {s.by_severity.get('info', 0)} info), "
        f"{s.waived} waived (*)"
    )
    out.append(f"overall score {report.score.overall:g}/100")
    return "\n".join(out) + "\n"
