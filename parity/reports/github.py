"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
finding, on the file and line when the source names them (the pre-deploy gate in a workflow)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from parity.model.findings import Report

from ._location import file_location
from .interface import RenderOptions

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(
    report: Report,
    rules: Mapping[str, RuleSpec] | None = None,
    options: RenderOptions | None = None,
) -> str:
    """Annotations for unwaived findings and collection errors."""
    out = []
    for f in report.findings:
        if f.waived:
            continue
        props = [f"title={_escape(f'parity {f.rule} ({f.environment})', True)}"]
        where = file_location(f.source)
        if where is not None:
            props.insert(0, f"file={_escape(where[0], True)}")
            if where[1]:
                props.insert(1, f"line={where[1]}")
        text = f.message + (f" — fix: {f.suggestion}" if f.suggestion else "")
        out.append(f"::{_LEVEL[f.severity.value]} {','.join(props)}::{_escape(text)}")
    return "\n".join(out) + ("\n" if out else "")
