"""Prometheus textfile (node_exporter's textfile collector): scores, finding counts, whether
the audit succeeded and when it ran."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from parity.model.findings import Report

from .interface import RenderOptions

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec


def _label(value: str) -> str:
    """A label value escaped as the exposition format requires (backslash, quote, newline)."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_prometheus(
    report: Report,
    rules: Mapping[str, RuleSpec] | None = None,
    options: RenderOptions | None = None,
) -> str:
    """parity_drift_score{env,reference,category}, parity_findings{env,severity,rule},
    parity_audit_success and parity_audit_timestamp_seconds."""
    out = [
        "# HELP parity_drift_score Drift score 0-100 of an environment against the reference.",
        "# TYPE parity_drift_score gauge",
    ]
    for p in report.score.pairs:
        env, ref = _label(p.environment), _label(p.reference)
        out.append(f'parity_drift_score{{env="{env}",reference="{ref}",category="all"}} {p.score}')
        for cat, value in sorted(p.categories.items()):
            out.append(
                f'parity_drift_score{{env="{env}",reference="{ref}",category="{_label(cat)}"}} '
                f"{value}"
            )
    out += [
        "# HELP parity_findings Unwaived findings by environment, severity and rule.",
        "# TYPE parity_findings gauge",
    ]
    counts: dict[tuple[str, str, str], int] = {}
    for f in report.findings:
        if not f.waived:
            k = (f.environment, f.severity.value, f.rule)
            counts[k] = counts.get(k, 0) + 1
    for (env, sev, rule), n in sorted(counts.items()):
        out.append(
            f'parity_findings{{env="{_label(env)}",severity="{sev}",rule="{_label(rule)}"}} {n}'
        )
    out += [
        "# HELP parity_audit_success 1 when every source was read (the audit is complete).",
        "# TYPE parity_audit_success gauge",
        f"parity_audit_success {1 if report.complete else 0}",
        "# HELP parity_audit_timestamp_seconds When the report was generated.",
        "# TYPE parity_audit_timestamp_seconds gauge",
        f"parity_audit_timestamp_seconds {report.generated_at.timestamp():.0f}",
    ]
    return "\n".join(out) + "\n"
