"""SARIF 2.1.0 for GitHub code scanning and other SARIF readers.

One `rule` per parity rule (title, rationale, remedy as help), one `result` per finding. A
finding whose source is a file (`staging/.env:4`, `k8s/app.yaml#...`) gets a physical
location with its line; live sources (databases, engines, cloud APIs) are located at the
configuration that declares them, with the subject as a logical location, because GitHub drops
results without a file. `partialFingerprints` carry the stable finding id, so code scanning
tracks a finding across runs instead of opening a new alert each night.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from parity.model.findings import Finding, Report

from ._location import file_location
from .interface import RenderOptions

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(spec_id: str, spec: RuleSpec | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": spec_id,
        "name": "".join(p.capitalize() for p in spec_id.split("-")),
    }
    if spec is not None:
        out["shortDescription"] = {"text": spec.title}
        out["fullDescription"] = {"text": spec.rationale}
        out["help"] = {
            "text": spec.remedy,
            "markdown": f"**{spec.title}**\n\n{spec.rationale}\n\n**Fix:** {spec.remedy}",
        }
        out["defaultConfiguration"] = {
            "level": _LEVEL[spec.severity.value] if spec.enabled else "none"
        }
        out["properties"] = {"category": spec.category, "tags": ["parity", spec.category]}
    return out


def _result(f: Finding, index: dict[str, int], config: str) -> dict[str, Any]:
    text = f"[{f.environment}] {f.message}"
    if f.suggestion:
        text += f" Fix: {f.suggestion}"
    where = file_location(f.source)
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": where[0] if where else config, "uriBaseId": "%SRCROOT%"}
    }
    if where is not None and where[1]:
        physical["region"] = {"startLine": where[1]}
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": _LEVEL[f.severity.value],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [{"name": f.subject, "kind": "resource"}],
            }
        ],
        "partialFingerprints": {"parityFindingId/v1": f.id},
        "properties": {
            "environment": f.environment,
            "reference": f.reference,
            "subject": f.subject,
            "category": f.category,
            **({"expected": f.expected} if f.expected is not None else {}),
            **({"actual": f.actual} if f.actual is not None else {}),
            **({"source": f.source} if f.source else {}),
        },
    }
    if f.waived and f.waiver is not None:
        out["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": f.waiver.reason}
        ]
    return out


def render_sarif(
    report: Report,
    rules: Mapping[str, RuleSpec] | None = None,
    options: RenderOptions | None = None,
) -> str:
    """The report as one SARIF run."""
    ids = sorted(set(rules or {}) | {f.rule for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    config = "parity.toml"
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "parity",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": [_rule(i, (rules or {}).get(i)) for i in ids],
            }
        },
        "automationDetails": {"id": f"parity/{report.reference}/"},
        "invocations": [
            {
                "executionSuccessful": report.complete,
                "endTimeUtc": report.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {
                            "text": f"{e.environment}: {e.collector} {e.source}: {e.message}"
                        },
                    }
                    for e in report.errors
                ],
            }
        ],
        "results": [_result(f, index, config) for f in report.findings],
        "properties": {
            "reference": report.reference,
            "environments": report.environments,
            "score": report.score.overall,
            "policy": report.policy,
        },
    }
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    # compact: the C encoder (json.dumps with indent runs in Python, 10x slower at 40k results)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
