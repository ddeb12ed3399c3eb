"""A formatter turns a Report (plus the rule specs, for help text) into a string; the CLI
decides where it goes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from parity.findings import Report

if TYPE_CHECKING:
    from parity.policies.model import RuleSpec


class Formatter(Protocol):
    """Render a report; must be pure (no I/O), so output can be written atomically."""

    def __call__(self, report: Report, rules: Mapping[str, RuleSpec]) -> str: ...
