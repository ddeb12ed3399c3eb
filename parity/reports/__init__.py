"""Report formatters by name; each returns a string.

The registry (parity.registry) names modules rather than importing them, so the CLI can offer
`--format` choices without importing every formatter's dependencies.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from parity.registry import Registry

if TYPE_CHECKING:
    from .interface import Formatter

# format name -> "module:function" (parity.registry: imported on first use; third-party
# formats come from the `parity.formats` entry-point group)
FORMATTERS: Registry[Formatter] = Registry(
    "report format",
    {
        "table": "parity.reports.table:render_table",
        "json": "parity.reports.json_report:render_json",
        "markdown": "parity.reports.markdown:render_markdown",
        "junit": "parity.reports.junit:render_junit",
        "prometheus": "parity.reports.prometheus:render_prometheus",
        "github": "parity.reports.github:render_github",
        "sarif": "parity.reports.sarif:render_sarif",
        "html": "parity.reports.html:render_html",
    },
    "parity.formats",
)
# format name -> the file extensions that imply it (`-o report.md`)
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "table": (".txt",),
    "json": (".json",),
    "markdown": (".md", ".markdown"),
    "junit": (".xml",),
    "prometheus": (".prom",),
    "github": (),
    "sarif": (".sarif",),
    "html": (".html", ".htm"),
}


# `-f md` means what `-o report.md` means: every extension names its format too.
ALIASES: dict[str, str] = {
    ext.lstrip("."): name
    for name, exts in EXTENSIONS.items()
    for ext in exts
    if ext.lstrip(".") not in FORMATTERS
}
FORMAT_NAMES: tuple[str, ...] = (*FORMATTERS, *sorted(ALIASES))


def canonical(name: str) -> str:
    """A format name or alias (`md`, `txt`, `xml`) as the registry names it."""
    low = name.lower()
    return ALIASES.get(low, low)


def get_formatter(name: str) -> Formatter:
    """The formatter registered under `name` or one of its aliases, else a plugin's."""
    return FORMATTERS.get_or_plugin(canonical(name))


def format_of(path: Path) -> str | None:
    """The format a file's extension names (`report.md` is Markdown), if any."""
    for name, suffixes in EXTENSIONS.items():
        if path.suffix.lower() in suffixes:
            return name
    return None
