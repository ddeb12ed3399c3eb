"""Console-script entry: settles process-wide switches before the CLI imports anything.

pydantic looks for plugins in every installed distribution's entry points on first use, and
importing its loader pulls in importlib.metadata (email, zipfile, csv: 10-20 ms of a gate that
should start in a few interpreter start-ups). parity uses no pydantic plugin, so the CLI process
turns plugins off unless the user chose otherwise, and, when they are off, answers pydantic's
one question ("which plugins?") without importing the loader. Library users importing parity are
unaffected; tests/cli/test_entry.py checks the answer still matches pydantic's loader.
"""

from __future__ import annotations

import os
import sys
import types


def _no_plugins() -> types.ModuleType:
    """Stands in for `pydantic.plugin._loader` while plugins are disabled: its only use in
    pydantic is `get_plugins()`, which returns nothing when PYDANTIC_DISABLE_PLUGINS is
    `__all__`."""
    module = types.ModuleType("pydantic.plugin._loader", "plugins disabled by parity's CLI")
    module.get_plugins = lambda: ()  # type: ignore[attr-defined]
    return module


def main() -> None:
    """Run the CLI."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__" and "pydantic" not in sys.modules:
        sys.modules["pydantic.plugin._loader"] = _no_plugins()
    from parity.cli import main as run

    run()
