"""A formatter turns a Report (plus the rule specs, for help text, and how a person wants to
see it) into a string; the CLI decides where it goes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from parity.model.findings import Report

if TYPE_CHECKING:
    from parity.model.rules import RuleSpec


@dataclass(frozen=True)
class RenderOptions:
    """How the human formats render (machine formats ignore these).

    width: columns of the terminal (table); color: ANSI severity colours; verdict: the final
    PASS/FAIL line; min_severity / hide_waived: what to leave out; max_chars: the Markdown
    size cap (GitHub comments hold 65,536 characters); trend: earlier audits' scores (HTML).
    """

    width: int = 80
    color: bool = False
    verdict: str | None = None
    min_severity: str = "info"
    hide_waived: bool = False
    max_chars: int = 60_000
    # HTML: scores of earlier audits, (ISO time, environment, score), for the drift chart
    trend: tuple[tuple[str, str, float], ...] = ()


class Formatter(Protocol):
    """Render a report; must be pure (no I/O), so output can be written atomically."""

    def __call__(
        self,
        report: Report,
        rules: Mapping[str, RuleSpec] | None = None,
        options: RenderOptions | None = None,
    ) -> str: ...
