"""The one place a missing live dependency (database server, container engine, Chromium) is
decided: the test fails, naming what to install or start. PARITY_SKIP_SERVICES=1 turns that into
a visible skip for a developer without them; CI unsets it, so a broken setup cannot pass."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

# Read once, when the test session starts: the autouse fixture that isolates each test from the
# developer's PARITY_* settings would otherwise hide the opt-out from the tests themselves.
SKIP_MISSING = os.environ.get("PARITY_SKIP_SERVICES") == "1"


def unavailable(what: str, fix: str) -> NoReturn:
    """Fail (or, when the developer opted out, skip) because `what` is missing."""
    msg = f"{what} ({fix})"
    if SKIP_MISSING:
        pytest.skip(msg)
    pytest.fail(msg)
