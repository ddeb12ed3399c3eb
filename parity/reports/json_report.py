"""JSON report: the machine contract (see `parity schema`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from parity.errors import SnapshotError

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec

from parity.model.findings import REPORT_SCHEMA_VERSION, Report

from .interface import RenderOptions


def render_json(
    report: Report,
    rules: Mapping[str, RuleSpec] | None = None,
    options: RenderOptions | None = None,
) -> str:
    """Stable key order, two-space indent, trailing newline."""
    return report.model_dump_json(indent=2) + "\n"


def report_schema() -> str:
    """JSON Schema of the report, for consumers to validate against."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://parity.dev/schema/report-v{REPORT_SCHEMA_VERSION}.json"
    schema["title"] = "parity report"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def load_report(text: str, where: str) -> Report:
    """Parse a saved JSON report, refusing newer schema versions."""
    from pydantic import ValidationError

    from parity.store.codec import parse_json_file

    data = parse_json_file(text, where, "report")
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, int):
        raise SnapshotError(f"{where}: not a parity report (no schema_version)")
    if version > REPORT_SCHEMA_VERSION:
        raise SnapshotError(
            f"{where}: report schema_version {version} is newer than this parity understands",
            hint="upgrade parity",
        )
    try:
        return Report.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise SnapshotError(f"{where}: {loc}: {first['msg']}") from e
