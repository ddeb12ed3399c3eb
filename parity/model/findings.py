"""Findings and the JSON report contract: other tools parse this, so it is versioned and frozen.

Change a field's meaning only with a new REPORT_SCHEMA_VERSION; `parity schema` prints the JSON
Schema generated from these models.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from parity.model import CollectionError

REPORT_SCHEMA_VERSION = 1


class Severity(StrEnum):
    """Finding severity; `--fail-on` compares against these."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


def finding_id(rule: str, environment: str, subject: str) -> str:
    """Stable id from rule + environment + subject only: baselines must not churn."""
    raw = "\x1f".join((rule, environment, subject)).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:16]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WaiverInfo(_Frozen):
    """The waiver that matched a finding."""

    reason: str = Field(description="Why the difference is accepted.")
    expires: date | Literal["never"] = Field(
        description="Last day the waiver suppresses the finding, or `never`."
    )
    expired: bool = Field(description="True when past expiry: the finding counts again.")


class Finding(_Frozen):
    """One scored difference or hazard."""

    id: str = Field(description="Stable fingerprint of rule + environment + subject.")
    rule: str = Field(description="Stable rule id, e.g. `missing-key`.")
    category: str = Field(description="config, dependencies, images, secrets, collection...")
    severity: Severity = Field(description="error, warning or info (after policy overrides).")
    environment: str = Field(description="Environment the finding is about.")
    reference: str = Field(description="Environment it was compared against.")
    subject: str = Field(description="What it is about: `kind:scope:key`.")
    message: str = Field(description="One-sentence explanation.")
    expected: str | None = Field(default=None, description="Reference value (redacted if secret).")
    actual: str | None = Field(default=None, description="This env's value (redacted if secret).")
    suggestion: str | None = Field(default=None, description="What to do.")
    source: str | None = Field(default=None, description="Where to look, e.g. `staging/.env:4`.")
    waived: bool = Field(default=False, description="Suppressed by an unexpired waiver.")
    waiver: WaiverInfo | None = Field(default=None, description="The matching waiver, if any.")
    group: str | None = Field(
        default=None,
        description="Stable id of the root cause (the key, image or secret at its source); "
        "findings sharing it in one environment describe one problem.",
    )
    status: Literal["new", "persisting"] | None = Field(
        default=None,
        description="`parity audit` only: new since the previous audit, or persisting.",
    )


class ToolInfo(_Frozen):
    """Which tool produced the report."""

    name: str = "parity"
    version: str


class PairScore(_Frozen):
    """Drift score of one environment against the reference."""

    environment: str
    reference: str
    score: float = Field(description="0-100; 100 = identical where it matters.")
    categories: dict[str, float] = Field(description="Score per category.")


class Score(_Frozen):
    """Scores: overall is the lowest pair score (a gate cares about the worst env)."""

    overall: float
    pairs: list[PairScore]


class Summary(_Frozen):
    """Counts for dashboards."""

    total: int
    unwaived: int
    waived: int
    by_severity: dict[str, int] = Field(description="Unwaived findings per severity.")
    by_environment: dict[str, int] = Field(description="Unwaived findings per environment.")
    by_rule: dict[str, int] = Field(description="Unwaived findings per rule.")


class FindingGroup(_Frozen):
    """Findings of one environment that describe one root cause."""

    id: str = Field(description="Stable group id (hash of environment and cause).")
    environment: str
    cause: str = Field(description="The root cause: key, image or secret at its source.")
    rules: list[str] = Field(description="Rules that fired on it.")
    severity: Severity = Field(description="The worst severity among its unwaived findings.")
    findings: list[str] = Field(description="Ids of its findings.")


class AuditInfo(_Frozen):
    """How this audit compares with the previous one in the store (`parity audit`)."""

    previous_at: datetime | None = Field(description="When the previous audit ran; None: first.")
    new: int = Field(description="Unwaived findings not in the previous audit.")
    persisting: int = Field(description="Unwaived findings already in the previous audit.")
    resolved: list[Finding] = Field(
        description="Previous unwaived findings gone now (only for environments collected "
        "completely this time: an unreadable source resolves nothing)."
    )


class IdentityNote(_Frozen):
    """Tokens factored out of one pair's comparison as each environment's own identity."""

    environment: str
    reference: str
    kind: str = Field(description="`aws-account`, `gcp-project`… or `learned`.")
    reference_value: str = Field(description="The reference's token.")
    environment_value: str = Field(description="This environment's token.")
    values: int = Field(description="Values of the pair that differ only by it.")

    def __str__(self) -> str:
        what = "identities" if self.kind == "learned" else f"{self.kind} ids"
        return (
            f"treated {self.reference_value} <-> {self.environment_value} as {self.reference}'s "
            f"and {self.environment}'s own {what} in {self.values} values"
        )


class Report(_Frozen):
    """The audit result: what `parity check --format json` prints."""

    schema_version: int = Field(default=REPORT_SCHEMA_VERSION, description="Report format version.")
    tool: ToolInfo
    generated_at: datetime
    reference: str
    environments: list[str]
    policy: str = Field(default="built-in pack", description="The policy the report applied.")
    complete: bool = Field(description="False when a collector failed: the audit is incomplete.")
    score: Score
    findings: list[Finding]
    groups: list[FindingGroup] = Field(
        default_factory=list, description="Findings grouped by root cause (human formats)."
    )
    errors: list[CollectionError]
    warnings: list[str] = Field(
        default_factory=list, description="Notes about how the audit was run (never findings)."
    )
    identities: list[IdentityNote] = Field(
        default_factory=list,
        description="Each pair's own identities that were factored out of value comparisons "
        "(cloud accounts and projects, tokens learned from the values).",
    )
    summary: Summary
    audit: AuditInfo | None = Field(default=None, description="`parity audit` only.")
