"""Markdown report for PR comments and CI step summaries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parity.policies.model import RuleSpec

from parity.findings import Report

from ._groups import Row, rows

_ICON = {"error": "🔴 error", "warning": "🟠 warning", "info": "🔵 info"}


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _rows(groups: list[Row]) -> list[str]:
    lines = ["| Severity | Rule | Subject | Finding |", "|---|---|---|---|"]
    for r in groups:
        lines.append(
            f"| {_ICON[r.lead.severity]} | `{_cell(r.rules)}` | `{_cell(r.lead.subject)}` "
            f"| {_cell(r.message)} |"
        )
    return lines


def render_markdown(report: Report, rules: Mapping[str, RuleSpec] | None = None) -> str:
    """Score table, then one section per environment; waived findings folded away."""
    out = [f"# parity report: {', '.join(report.environments)} vs `{report.reference}`", ""]
    if not report.complete:
        out += ["> **Incomplete audit**: a collector failed; see errors below.", ""]
    out += ["| Environment | Score | Errors | Warnings | Info |", "|---|---|---|---|---|"]
    for p in report.score.pairs:
        active = [f for f in report.findings if f.environment == p.environment and not f.waived]
        counts = [sum(1 for f in active if f.severity == s) for s in ("error", "warning", "info")]
        out.append(f"| {p.environment} | {p.score:g} | " + " | ".join(map(str, counts)) + " |")
    for env in report.environments:
        groups = rows(report, env)
        active_rows = [r for r in groups if not r.waived]
        waived_rows = [r for r in groups if r.waived]
        out += ["", f"## {env}" + (" (reference)" if env == report.reference else ""), ""]
        out += _rows(active_rows) if active_rows else ["No findings."]
        if waived_rows:
            out += ["", f"<details><summary>{len(waived_rows)} waived</summary>", ""]
            out += _rows(waived_rows)
            out += ["", "</details>"]
    if report.errors:
        out += ["", "## Collection errors", ""]
        out += [
            f"- **{e.environment}** `{e.collector}` {_cell(e.source)}: {_cell(e.message)}"
            for e in report.errors
        ]
    return "\n".join(out) + "\n"
