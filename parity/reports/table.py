"""Terminal table: one block per environment, one row per root cause, worst first; each row
says where to look and how to fix it. Rendered by hand (linear time), sized to the terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from parity.model.findings import Report

from ._groups import hidden, rows, since_previous
from .interface import RenderOptions

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec

_MARK = {"error": "ERR", "warning": "WARN", "info": "info"}
_COLOR = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[2m"}
_RESET = "\x1b[0m"
_RANK = {"info": 1, "warning": 2, "error": 3}


def count(n: int, noun: str) -> str:
    """`1 finding`, `2 findings`."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap in linear time (textwrap's regex chunking dominated rendering 40k
    findings); the same lines as textwrap without breaking words or hyphens: a word longer
    than the width (an image reference, a URL) overflows instead of being split."""
    if len(text) <= width:
        return [text.strip()] if text.strip() else [""]
    lines: list[str] = []
    cur = ""
    for word in text.split():
        if not cur:
            cur = word
        elif len(cur) + 1 + len(word) <= width:
            cur += " " + word
        else:
            lines.append(cur)
            cur = word
    if cur or not lines:
        lines.append(cur)
    return lines


def render_table(
    report: Report,
    rules: Mapping[str, RuleSpec] | None = None,
    options: RenderOptions | None = None,
) -> str:
    """One block per environment: score line, then findings worst first."""
    opts = options or RenderOptions()
    out: list[str] = []
    status = "complete" if report.complete else "INCOMPLETE (a collector failed)"
    out.append(
        f"parity {report.tool.version}: {count(len(report.environments), 'environment')} vs "
        f"{report.reference!r}, {status}; policy: {report.policy}"
    )
    scores = {p.environment: p.score for p in report.score.pairs}
    for env in report.environments:
        groups = rows(report, env, hide_waived=opts.hide_waived, min_severity=opts.min_severity)
        title = env if env != report.reference else f"{env} (reference)"
        n = sum(1 for f in report.findings if f.environment == env and not f.waived)
        out.append("")
        out.append(f"== {title}: score {scores.get(env, 100.0):g}/100, {count(n, 'finding')} ==")
        if not groups:
            continue
        rule_w = min(24, max(len(r.rules) for r in groups))
        text_w = max(30, opts.width - 6 - rule_w - 2)
        for r in groups:
            sev = _MARK[r.lead.severity] + ("*" if r.waived else "")
            sev = f"{_COLOR[r.lead.severity]}{sev:<5}{_RESET}" if opts.color else f"{sev:<5}"
            rule_lines = _wrap(r.rules, rule_w)
            text = _wrap(f"[{r.status}] {r.message}" if r.status else r.message, text_w)
            hint, where = r.lead.suggestion, r.lead.source
            if hint:
                text += _wrap(f"→ {hint}", text_w)
            located = f"at {where}" if where else ""
            if located and len(located) <= text_w:
                text.append(located)
            for i in range(max(len(rule_lines), len(text))):
                left = sev if i == 0 else " " * 5
                rule = rule_lines[i] if i < len(rule_lines) else ""
                body = text[i] if i < len(text) else ""
                out.append(f"{left} {rule:<{rule_w}}  {body}".rstrip())
            if located and len(located) > text_w:  # a path is never split: a line of its own
                out.append(f"{'':6}{located}")
    if report.errors:
        out.append("")
        out.append("Collection errors (the audit is incomplete):")
        for e in report.errors:
            out.append(f"  ! {e.environment}: {e.collector} {e.source}: {e.message}")
            if e.hint:
                out.append(f"    hint: {e.hint}")
    if report.identities:
        out.append("")
        out.append("Identities factored out of the comparison:")
        for note in report.identities[:10]:
            lines = _wrap(f"{note.environment}: {note}", opts.width - 4)
            out += ["  " + lines[0], *("    " + ln for ln in lines[1:])]
        if len(report.identities) > 10:
            out.append(f"  … and {len(report.identities) - 10} more (see the JSON report)")
    if report.audit is not None and report.audit.resolved:
        out.append("")
        out.append("Resolved since the previous audit:")
        for f in report.audit.resolved[:20]:
            lines = _wrap(f"{f.environment}: {f.rule}: {f.message}", opts.width - 4)
            out += ["  ✓ " + lines[0], *("    " + ln for ln in lines[1:])]
        if len(report.audit.resolved) > 20:
            out.append(f"  … and {len(report.audit.resolved) - 20} more (see the JSON report)")
    s = report.summary
    out.append("")
    below = hidden(report, opts.min_severity)
    out.append(
        f"{count(s.unwaived, 'finding')} ({count(s.by_severity.get('error', 0), 'error')}, "
        f"{count(s.by_severity.get('warning', 0), 'warning')}, "
        f"{s.by_severity.get('info', 0)} info), {s.waived} waived (*)"
        + (f"; {below} hidden by --min-severity {opts.min_severity}" if below else "")
    )
    previous = since_previous(report)
    if previous:
        out.append(previous)
    out.append(f"overall score {report.score.overall:g}/100")
    if opts.verdict:
        out.append(opts.verdict)
    return "\n".join(out) + "\n"
