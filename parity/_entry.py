"""Console-script entry: settles process-wide switches before the CLI imports anything.

pydantic scans every installed distribution's entry points for plugins on first use (15-30 ms
of a gate that should start in a few interpreter start-ups); parity uses no pydantic plugin, so
the CLI process turns the scan off unless the user set the variable. Library users importing
parity are unaffected.
"""

from __future__ import annotations

import os


def main() -> None:
    """Run the CLI."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from parity.cli import main as run

    run()
