"""Report formatters by name; each returns a string."""

from __future__ import annotations

from .interface import Formatter
from .json_report import render_json
from .markdown import render_markdown
from .table import render_table

FORMATTERS: dict[str, Formatter] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
}
