"""A formatter turns a Report into a string; the CLI decides where it goes."""

from __future__ import annotations

from typing import Protocol

from parity.findings import Report


class Formatter(Protocol):
    """Render a report; must be pure (no I/O), so output can be written atomically."""

    def __call__(self, report: Report) -> str: ...
