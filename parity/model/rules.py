"""What a rule is and what waives a finding: the types the core, the reports and the policy
pack all need, kept below them (parity.policies loads and merges them; it does not own them)."""

from __future__ import annotations

import fnmatch
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from parity.model.findings import Severity


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleSpec(_Strict):
    """A rule's stable metadata; `id` is what other tools key on."""

    id: str
    category: str
    severity: Severity
    enabled: bool = True
    levels: dict[str, Severity] = Field(
        default_factory=dict,
        description="Severities of the rule's sub-cases (`reverse`, `moved-tag`, `major`…).",
    )
    title: str
    rationale: str
    remedy: str
    fires: str = Field(
        default="", description="When it fires, in a sentence (the README's rule table)."
    )
    subsumes: list[str] = Field(
        default_factory=list,
        description="Rules this one states the problem of: on the same subject and "
        "environment, their finding is dropped (a cross-env-reference is not also a "
        "value-drift).",
    )

    def severity_for(self, level: str | None) -> Severity:
        """The sub-case's severity, else the rule's own."""
        if level is None:
            return self.severity
        return self.levels.get(level, self.severity)


class Waiver(_Strict):
    """An accepted difference; a reason and an expiry date are mandatory."""

    rule: str = Field(description="Rule id (glob allowed).")
    subject: str = Field(default="*", description="Subject glob.")
    environment: str = Field(default="*", description="Environment glob.")
    reason: str = Field(min_length=3)
    expires: date | Literal["never"] = Field(
        description="Last day it applies; `never` only for a deliberate, permanent exception."
    )

    def expired(self, today: date) -> bool:
        """Whether the waiver has lapsed (a `never` waiver does not)."""
        return self.expires != "never" and self.expires < today

    def matches(self, rule: str, environment: str, subject: str) -> bool:
        """Whether this waiver covers a finding (expired or not)."""
        return (
            fnmatch.fnmatchcase(rule, self.rule)
            and fnmatch.fnmatchcase(environment, self.environment)
            and fnmatch.fnmatchcase(subject, self.subject)
        )
