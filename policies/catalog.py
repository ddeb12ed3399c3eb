"""The rule catalogue as people read it: `parity rules` and the README's rule table, both
rendered from the registry's specs (with a project's overrides when there is a project)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from parity.model.rules import RuleSpec

_ORDER = {"error": 0, "warning": 1, "info": 2}
# how the catalogue is grouped: what a deploy breaks on first
_CATEGORIES = ("config", "secrets", "images", "dependencies", "data", "collection")


def default_severity(spec: RuleSpec) -> str:
    """`warning (error: required; info: default, aid)`: the rule's severity, then its levels
    grouped by the severity each takes (levels at the rule's own severity are not repeated)."""
    if not spec.enabled:
        return "off"
    by: dict[str, list[str]] = {}
    for level, sev in spec.levels.items():
        if sev != spec.severity:
            by.setdefault(sev.value, []).append(level)
    if not by:
        return spec.severity.value
    parts = [f"{sev}: {', '.join(levels)}" for sev, levels in sorted(by.items(), key=_rank)]
    return f"{spec.severity.value} ({'; '.join(parts)})"


def _rank(item: tuple[str, list[str]]) -> int:
    return _ORDER.get(item[0], 9)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_rules(specs: Iterable[RuleSpec], fmt: str) -> str:
    """The catalogue as a terminal table, JSON, or the Markdown table the README carries."""
    from parity.policies.rules import RULES

    specs = sorted(
        specs, key=lambda s: _CATEGORIES.index(s.category) if s.category in _CATEGORIES else 9
    )
    if fmt == "json":
        return json.dumps([s.model_dump(mode="json") for s in specs], indent=2) + "\n"
    if fmt == "markdown":
        rows = [
            "| rule | category | severity (by level) | module | fires when |",
            "|---|---|---|---|---|",
        ]
        for s in specs:
            where = RULES.builtins.get(s.id, "(plugin)").rsplit(".", 1)[-1].split(":")[0]
            rows.append(
                f"| `{s.id}` | {s.category} | {_cell(default_severity(s))} | `{where}` "
                f"| {_cell(s.fires or s.title)} |"
            )
        return "\n".join(rows) + "\n"
    from tabulate import tabulate

    table = [[s.id, s.category, default_severity(s), s.title] for s in specs]
    return tabulate(table, headers=["rule", "category", "severity (by level)", "title"]) + "\n"
