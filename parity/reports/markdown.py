"""Markdown report for PR comments and CI step summaries: where to look and how to fix it,
and never over GitHub's comment size (truncated with a note of what was cut)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from parity.model.findings import Report

from ._groups import Row, hidden, rows, since_previous
from .interface import RenderOptions

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec

_ICON = {"error": "🔴 error", "warning": "🟠 warning", "info": "🔵 info"}
_RANK = {"info": 1, "warning": 2, "error": 3}
_HEAD = ["| Severity | Rule | Finding | Where | Fix |", "|---|---|---|---|---|"]


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _row(r: Row) -> str:
    mark = f"**{r.status}** · " if r.status else ""
    return (
        f"| {_ICON[r.lead.severity]} | `{_cell(r.rules)}` | {mark}{_cell(r.message)} "
        f"| `{_cell(r.lead.source)}` | {_cell(r.lead.suggestion)} |"
    )


def render_markdown(
    report: Report,
    rules: Mapping[str, RuleSpec] | None = None,
    options: RenderOptions | None = None,
) -> str:
    """Score table, then one section per environment; waived findings folded away."""
    opts = options or RenderOptions()
    out = [
        f"# parity report: {', '.join(report.environments)} vs `{report.reference}`",
        "",
        f"Policy: `{report.policy}`",
        "",
    ]
    if not report.complete:
        out += ["> **Incomplete audit**: a collector failed; see errors below.", ""]
    out += ["| Environment | Score | Errors | Warnings | Info |", "|---|---|---|---|---|"]
    for p in report.score.pairs:
        active = [f for f in report.findings if f.environment == p.environment and not f.waived]
        counts = [sum(1 for f in active if f.severity == s) for s in ("error", "warning", "info")]
        out.append(f"| {p.environment} | {p.score:g} | " + " | ".join(map(str, counts)) + " |")
    previous = since_previous(report)
    if previous:
        out += ["", previous]
    below = hidden(report, opts.min_severity)
    if below:
        out += ["", f"{below} finding(s) below {opts.min_severity} hidden by --min-severity."]
    tail: list[str] = []
    if report.audit is not None and report.audit.resolved:
        tail += ["", "## Resolved since the previous audit", ""]
        tail += [
            f"- ✅ **{f.environment}** `{f.rule}`: {_cell(f.message)}"
            for f in report.audit.resolved[:50]
        ]
        if len(report.audit.resolved) > 50:
            tail.append(f"- … and {len(report.audit.resolved) - 50} more (see the JSON report)")
    if report.identities:
        tail += ["", "## Identities factored out", ""]
        tail += [f"- **{n.environment}**: {_cell(str(n))}" for n in report.identities[:10]]
    if report.errors:
        tail += ["", "## Collection errors", ""]
        tail += [
            f"- **{e.environment}** `{e.collector}` {_cell(e.source)}: {_cell(e.message)}"
            for e in report.errors
        ]
    if opts.verdict:
        tail += ["", f"**{opts.verdict}**"]
    budget = opts.max_chars - len("\n".join(out + tail)) - 400
    cut = 0
    for env in report.environments:
        groups = rows(report, env, hide_waived=opts.hide_waived, min_severity=opts.min_severity)
        active_rows = [r for r in groups if not r.waived]
        waived_rows = [r for r in groups if r.waived]
        section = ["", f"## {env}" + (" (reference)" if env == report.reference else ""), ""]
        lines = [*_HEAD] if active_rows else ["No findings."]
        for r in active_rows:
            line = _row(r)
            if budget - len(line) - 1 < 0:
                cut += 1
                continue
            budget -= len(line) + 1
            lines.append(line)
        if waived_rows and budget > 0:
            lines += ["", f"<details><summary>{len(waived_rows)} waived</summary>", "", *_HEAD]
            lines += [_row(r) for r in waived_rows]
            lines += ["", "</details>"]
            budget -= sum(len(x) + 1 for x in lines[-len(waived_rows) - 2 :])
        out += section + lines
    if cut:
        out += [
            "",
            f"> {cut} more finding(s) not shown: a GitHub comment holds 65,536 characters. "
            "The full report: `parity check -f json` (or the uploaded artifact).",
        ]
    return "\n".join(out + tail) + "\n"
