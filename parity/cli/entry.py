"""Console-script entry: settles process-wide switches before the CLI imports anything, and
leaves without tearing the interpreter down.

pydantic looks for plugins in every installed distribution's entry points on first use, and
importing its loader pulls in importlib.metadata (email, zipfile, csv: 10-20 ms of a gate that
should start in a few interpreter start-ups). parity uses no pydantic plugin, so the CLI process
turns plugins off unless the user chose otherwise, and, when they are off, answers pydantic's
one question ("which plugins?") without importing the loader. Library users importing parity are
unaffected; tests/cli/test_entry.py checks the answer still matches pydantic's loader.

The cyclic garbage collector stays off for the CLI process. Its work phases already run with
it paused (collection and evaluation: `parity.app.pipeline.gc_paused`, since records are acyclic);
what is left is start-up, whose modules, classes and pydantic schemas all live until exit, and
which the collector traversed some 70 times for nothing (10-15 ms of a gate; peak memory of a
1M-key run is unchanged, reference counting frees everything that is not a cycle).

Tearing down the interpreter after a run (clearing some 600 modules and pydantic's schema
graph) costs 20-30 ms, a tenth of the gate's budget, and achieves nothing for a process about
to end. `leave` does the parts of a teardown that matter (atexit handlers, flushing the
standard streams) and ends the process; tests/cli/test_entry.py checks that output, atexit
handlers and live threads are not cut short.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import types
from typing import NoReturn


def _no_plugins() -> types.ModuleType:
    """Stands in for `pydantic.plugin._loader` while plugins are disabled: its only use in
    pydantic is `get_plugins()`, which returns nothing when PYDANTIC_DISABLE_PLUGINS is
    `__all__`."""
    module = types.ModuleType("pydantic.plugin._loader", "plugins disabled by parity's CLI")
    module.get_plugins = lambda: ()  # type: ignore[attr-defined]
    return module


def silence_stdout() -> None:
    """The reader of stdout went away (`parity check | head -1`): what is left to print has no
    reader, so it goes to the null device, and the command ends with its own exit code instead
    of a BrokenPipeError at the next write or at exit (the recipe in Python's signal docs)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def leave(code: int) -> NoReturn:
    """End the process with `code` after running atexit handlers (logging, weakref finalizers
    such as temporary directories) and flushing stdout and stderr. While another thread is
    alive the normal exit runs instead, so that thread is joined as Python would join it."""
    threading = sys.modules.get("threading")  # never imported: no other thread was started
    if threading is not None and threading.active_count() > 1:
        raise SystemExit(code)
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except (OSError, ValueError) as e:  # a full disk, a closed file: the output was lost
        from parity.exitcodes import ExitCode

        reason = e.strerror if isinstance(e, OSError) else str(e)
        code = int(ExitCode.USAGE)  # an unwritable output, as when a report file is
        with contextlib.suppress(OSError, ValueError):  # stderr broken too: nobody to tell
            sys.stderr.write(f"parity: error: cannot write to stdout: {reason}\n")
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def main() -> None:
    """Run the CLI."""
    gc.disable()
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with it closed (`parity check >&-`)
            setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115 (open until exit)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__" and "pydantic" not in sys.modules:
        sys.modules["pydantic.plugin._loader"] = _no_plugins()
    from parity.cli import run

    leave(run(sys.argv[1:]))
