"""Report formatters by name; each returns a string.

The registry names modules rather than importing them, so the CLI can offer `--format`
choices without importing every formatter's dependencies (start-up time matters for a gate).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .interface import Formatter

# format name -> (module, function, file extensions that imply it)
FORMATTERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "table": ("parity.reports.table", "render_table", (".txt",)),
    "json": ("parity.reports.json_report", "render_json", (".json",)),
    "markdown": ("parity.reports.markdown", "render_markdown", (".md", ".markdown")),
    "junit": ("parity.reports.junit", "render_junit", (".xml",)),
    "prometheus": ("parity.reports.prometheus", "render_prometheus", (".prom",)),
    "github": ("parity.reports.github", "render_github", ()),
    "sarif": ("parity.reports.sarif", "render_sarif", (".sarif",)),
    "html": ("parity.reports.html", "render_html", (".html", ".htm")),
}


# `-f md` means what `-o report.md` means: every extension names its format too.
ALIASES: dict[str, str] = {
    ext.lstrip("."): name
    for name, (_, _, exts) in FORMATTERS.items()
    for ext in exts
    if ext.lstrip(".") not in FORMATTERS
}
FORMAT_NAMES: tuple[str, ...] = (*FORMATTERS, *sorted(ALIASES))


def canonical(name: str) -> str:
    """A format name or alias (`md`, `txt`, `xml`) as the registry names it."""
    low = name.lower()
    return ALIASES.get(low, low)


def get_formatter(name: str) -> Formatter:
    """The formatter registered under `name` or one of its aliases (imported on first use)."""
    module, func, _ = FORMATTERS[canonical(name)]
    formatter: Formatter = getattr(import_module(module), func)
    return formatter
