"""JUnit XML for CI test reporters: one test case per rule x environment; a case fails when it
has unwaived findings at or above warning, and each finding is listed in its failure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from parity.model.findings import Finding, Report

from .interface import RenderOptions

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec


def render_junit(
    report: Report,
    rules: Mapping[str, RuleSpec] | None = None,
    options: RenderOptions | None = None,
) -> str:
    """One <testsuite> per environment, one <testcase> per rule."""
    rule_ids = sorted(rules) if rules else sorted({f.rule for f in report.findings})
    suites = []
    total_tests = total_failures = 0
    for env in report.environments:
        cases = []
        failures = 0
        for rule in rule_ids:
            found = [f for f in report.findings if f.environment == env and f.rule == rule]
            failing = [f for f in found if not f.waived and f.severity.rank >= 2]
            name = quoteattr(rule)
            cls = quoteattr(f"parity.{env}")
            if failing:
                failures += 1
                body = "\n".join(_line(f) for f in failing)
                title = quoteattr(f"{len(failing)} finding(s) of {rule} in {env}")
                cases.append(
                    f"    <testcase name={name} classname={cls}>\n"
                    f"      <failure message={title} type={quoteattr(rule)}>{escape(body)}"
                    "</failure>\n    </testcase>"
                )
            else:
                cases.append(f"    <testcase name={name} classname={cls}/>")
        errors = [e for e in report.errors if e.environment == env]
        for e in errors:
            msg = quoteattr(f"{e.collector} {e.source}: {e.message}")
            cases.append(
                f"    <testcase name={quoteattr('collect ' + e.source)} "
                f"classname={quoteattr('parity.' + env)}>\n      <error message={msg}/>\n"
                "    </testcase>"
            )
        total_tests += len(rule_ids) + len(errors)
        total_failures += failures
        suites.append(
            f'  <testsuite name={quoteattr("parity " + env)} tests="{len(rule_ids) + len(errors)}"'
            f' failures="{failures}" errors="{len(errors)}">\n'
            + "\n".join(cases)
            + "\n  </testsuite>"
        )
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="parity" tests="{total_tests}" failures="{total_failures}">\n'
    )
    return head + "\n".join(suites) + "\n</testsuites>\n"


def _line(f: Finding) -> str:
    where = f" ({f.source})" if f.source else ""
    fix = f" -> {f.suggestion}" if f.suggestion else ""
    return f"[{f.severity.value}] {f.subject}: {f.message}{where}{fix}"
