"""One self-contained HTML file: scores per environment pair, findings grouped by root cause and
filterable by severity, category and environment, and a drift chart over stored audits.

No network: styles, script and the SVG chart are inline, and a Content-Security-Policy forbids
loading anything, so the file can be mailed, archived or served as a CI artifact. Every text is
escaped; the report never holds a secret value in the first place.
"""

from __future__ import annotations

import html
import json
import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from parity.model.findings import Report

from ._groups import rows, since_previous
from .interface import RenderOptions

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1.5em;color:#1f2328}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.8em}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d0d7de;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}.sev{font-weight:600;white-space:nowrap}.error{color:#cf222e}
.warning{color:#9a6700}.info{color:#0969da}.waived{opacity:.55}.muted{color:#656d76}
code{font-size:.9em;background:#f6f8fa;padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
td.rules code{white-space:nowrap}td.where{min-width:16em}td.where code{overflow-wrap:normal}
.filters{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0;padding:.6em;background:#f6f8fa}
.banner{padding:.6em;border-radius:4px;background:#ffebe9;border:1px solid #cf222e}
.verdict{font-weight:600;margin:1em 0}svg text{font-size:11px;fill:#656d76}
"""
_JS = """
window.addEventListener('error', function () { document.body.dataset.error = '1'; });
function applyFilters() {
  var checked = function (name) {
    var boxes = document.querySelectorAll('input[name=' + name + ']:checked');
    return Array.prototype.map.call(boxes, function (i) { return i.value; });
  };
  var sev = checked('severity'), cat = checked('category'), env = checked('environment');
  var shown = 0;
  document.querySelectorAll('tr.finding').forEach(function (tr) {
    var ok = sev.indexOf(tr.dataset.severity) >= 0 && cat.indexOf(tr.dataset.category) >= 0
      && env.indexOf(tr.dataset.environment) >= 0;
    tr.hidden = !ok;
    if (ok) { shown += 1; }
  });
  document.getElementById('shown').textContent = shown;
}
function fromHash() {
  // `#severity=error,warning&environment=staging`: a link to a filtered view
  location.hash.slice(1).split('&').forEach(function (part) {
    var kv = part.split('='), name = kv[0], wanted = decodeURIComponent(kv[1] || '').split(',');
    if (!name || !kv[1]) { return; }
    document.querySelectorAll('input[name=' + name + ']').forEach(function (i) {
      i.checked = wanted.indexOf(i.value) >= 0;
    });
  });
}
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('.filters input').forEach(function (i) {
    i.addEventListener('change', applyFilters);
  });
  fromHash();
  applyFilters();
  document.body.dataset.ready = '1';
});
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _checkboxes(name: str, values: list[str]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{_e(v)}" checked> {_e(v)}</label> '
        for v in values
    )
    return f"<div><strong>{name}</strong> {boxes}</div>"


_COLOURS = (
    "#cf222e", "#0969da", "#1a7f37", "#9a6700", "#8250df",
    "#bf3989", "#0a7e8c", "#6e7781", "#bc4c00", "#4c2889",
)  # fmt: skip


def colour(env: str) -> str:
    """An environment's colour, the same in every report whatever else is stored (a hash of
    its name, not its place in a list that changes when environments come and go)."""
    return _COLOURS[zlib.crc32(env.encode()) % len(_COLOURS)]


def _when(t: str) -> str:
    """An axis label: several audits a day need the time, not only the date."""
    return t[:16].replace("T", " ")


def _chart(report: Report, trend: tuple[tuple[str, str, float], ...]) -> str:
    """An inline SVG line per environment: score over the stored audits plus this one, a
    marker (with its time and score) on each audit, times along the axis."""
    points = [*trend]
    points += [
        (report.generated_at.isoformat(), p.environment, p.score) for p in report.score.pairs
    ]
    times = sorted({t for t, _, _ in points})
    if len(times) < 2:
        return '<p class="muted">The drift chart appears once two audits are stored.</p>'
    w, h, pad = 900, 240, 34
    x = {t: pad + i * (w - 2 * pad) / (len(times) - 1) for i, t in enumerate(times)}

    def y(score: float) -> float:
        return pad + (100 - score) * (h - 2 * pad - 20) / 100

    lines = []
    for i, env in enumerate(sorted({e for _, e, _ in points})):
        own = sorted((t, s) for t, e, s in points if e == env)
        c = colour(env)
        path = " ".join(f"{x[t]:.1f},{y(s):.1f}" for t, s in own)
        marks = "".join(
            f'<circle class="point" cx="{x[t]:.1f}" cy="{y(s):.1f}" r="3.5" fill="{c}">'
            f"<title>{_e(env)} {_e(_when(t))}: {s:g}</title></circle>"
            for t, s in own
        )
        lines.append(
            f'<polyline fill="none" stroke="{c}" stroke-width="2" points="{path}">'
            f"<title>{_e(env)}</title></polyline>{marks}"
            f'<text x="{w - pad + 8}" y="{14 + 14 * i}" style="fill:{c}">{_e(env)}</text>'
        )
    step = max(1, -(-len(times) // 6))  # at most about six time labels
    ticks = sorted({*times[::step], times[-1]})
    axis = f'<text x="2" y="{y(100) + 4:.1f}">100</text><text x="12" y="{y(0) + 4:.1f}">0</text>'
    axis += "".join(
        f'<text class="tick" x="{x[t]:.1f}" y="{h - 8}" text-anchor="middle">{_e(_when(t))}</text>'
        for t in ticks
    )
    return (
        f'<svg role="img" aria-label="drift score over time" width="{w + 100}" height="{h}" '
        f'viewBox="0 0 {w + 100} {h}">{axis}{"".join(lines)}</svg>'
    )


def _where(source: str | None) -> str:
    """A location that wraps only after a path separator or a colon, never inside a name."""
    if not source:
        return ""
    text = _e(source)
    for sep in ("/", ":", ","):
        text = text.replace(sep, sep + "<wbr>")
    return f"<code>{text}</code>"


def render_html(
    report: Report,
    rules: Mapping[str, RuleSpec] | None = None,
    options: RenderOptions | None = None,
) -> str:
    """The report as one HTML page."""
    opts = options or RenderOptions()
    title = f"parity: {', '.join(report.environments)} vs {report.reference}"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{_e(title)}</title><style>{_CSS}</style><script>{_JS}</script></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="muted">parity {_e(report.tool.version)} · {_e(report.generated_at.isoformat())}'
        f" · policy {_e(report.policy)}</p>",
    ]
    if opts.verdict:
        parts.append(f'<p class="verdict">{_e(opts.verdict)}</p>')
    if not report.complete:
        parts.append('<p class="banner"><strong>Incomplete audit</strong>: sources failed:</p><ul>')
        parts += [
            f"<li>{_e(e.environment)}: {_e(e.collector)} {_e(e.source)}: {_e(e.message)}"
            + (f" — {_e(e.hint)}" if e.hint else "")
            + "</li>"
            for e in report.errors
        ]
        parts.append("</ul>")
    cats = sorted({c for p in report.score.pairs for c in p.categories})
    parts.append("<h2>Scores</h2><table><tr><th>environment</th><th>score</th>")
    parts += [f"<th>{_e(c)}</th>" for c in cats]
    parts.append("</tr>")
    for p in report.score.pairs:
        cells = "".join(f"<td>{p.categories.get(c, 100):g}</td>" for c in cats)
        parts.append(
            f"<tr><td>{_e(p.environment)} vs {_e(p.reference)}</td><td><strong>{p.score:g}</strong>"
            f"</td>{cells}</tr>"
        )
    parts.append("</table><h2>Drift over time</h2>")
    parts.append(_chart(report, opts.trend))
    if report.audit is not None:
        parts.append(f"<p>{_e(since_previous(report))}</p>")
        if report.audit.resolved:
            parts.append('<h2>Resolved since the previous audit</h2><ul class="resolved">')
            parts += [
                f"<li>{_e(f.environment)}: <code>{_e(f.rule)}</code> {_e(f.message)}</li>"
                for f in report.audit.resolved
            ]
            parts.append("</ul>")
    categories = sorted({f.category for f in report.findings})
    parts.append('<h2>Findings (<span id="shown">0</span> shown)</h2><div class="filters">')
    parts.append(_checkboxes("severity", ["error", "warning", "info"]))
    parts.append(_checkboxes("category", categories))
    parts.append(_checkboxes("environment", report.environments))
    parts.append(
        "</div><table><tr><th>severity</th><th>environment</th><th>rules</th>"
        "<th>finding</th><th>where</th><th>fix</th></tr>"
    )
    for env in report.environments:
        for row in rows(report, env, hide_waived=opts.hide_waived, min_severity=opts.min_severity):
            f = row.lead
            status = f' <span class="muted">({_e(f.status)})</span>' if f.status else ""
            parts.append(
                f'<tr class="finding{" waived" if row.waived else ""}" '
                f'data-severity="{_e(f.severity.value)}" data-category="{_e(f.category)}" '
                f'data-environment="{_e(env)}" data-id="{_e(f.id)}">'
                f'<td class="sev {_e(f.severity.value)}">{_e(f.severity.value)}'
                f"{' (waived)' if row.waived else ''}{status}</td>"
                f'<td>{_e(env)}</td><td class="rules"><code>{_e(row.rules)}</code></td>'
                f'<td>{_e(row.message)}</td><td class="where">{_where(f.source)}</td>'
                f"<td>{_e(f.suggestion or '')}</td></tr>"
            )
    parts.append("</table>")
    data = json.dumps(report.summary.model_dump(mode="json"))
    parts.append(f'<script type="application/json" id="summary">{_e(data)}</script>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
