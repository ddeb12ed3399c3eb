"""Command line: the pre-deploy gate (`parity check`) and tools around snapshots and reports.

Built with typer over the application layer (parity.app): each command module parses its
options (`options.py` declares the shared ones), calls one `run_*` function and renders what it
returns. `run(argv)` is the one way in (the console entry and the tests): usage errors are one
line naming the command and exit 2, never a usage dump; exit codes come from
parity.exitcodes:

0 no unwaived finding at/above --fail-on; 1 such findings; 2 usage or configuration error;
3 audit incomplete (a collector failed; wins over 1 unless --allow-incomplete); 4 internal
error (a bug in parity); 130 interrupted.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Annotated

import typer

from parity.errors import ParityError
from parity.exitcodes import EXIT_CODES, ExitCode

from . import audit, gate, tools
from .support import out, say

if TYPE_CHECKING:
    from typer.core import TyperGroup

__all__ = ["app", "command", "run"]


def _version(value: bool) -> None:
    if value:
        from parity import __version__

        out(f"parity {__version__}\n")
        raise typer.Exit(0)


app = typer.Typer(
    name="parity",
    help="Audit whether staging really mirrors production; gate deploys on it.",
    epilog="Run `parity COMMAND -h` for a command's options and examples.\n\n\b\n" + EXIT_CODES,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 80},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
) -> None:
    """Audit whether staging really mirrors production; gate deploys on it."""


for module in (gate, tools, audit):  # the gate's commands first in help, then tools, audits
    for info in module.app.registered_commands:  # each command's help ends with exit codes
        examples = f"\b\n{info.epilog}\n\n" if info.epilog else ""  # `\b`: keep the lines
        info.epilog = f"{examples}\b\n{EXIT_CODES}"
    app.add_typer(module.app)


@cache
def command() -> TyperGroup:
    """The click command tree typer builds (once per process)."""
    from typer.core import TyperGroup

    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    return group


def _unknown_command(argv: Sequence[str]) -> str | None:
    """`parity chek`: name the likely command."""
    first = argv[0] if argv else None  # the root's own options come first when given
    names = list(command().commands)
    if first is None or first.startswith("-") or first in names:
        return None
    close = difflib.get_close_matches(first, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (commands: {', '.join(names)})"
    return f"unknown command {first!r}{hint}"


def run(argv: Sequence[str]) -> int:
    """Parse and run one command line; the exit code. A usage error is one line on stderr
    (`parity: error: No such option: --fail-of Did you mean --fail-on? (see parity check
    -h)`) and exit 2; a bare `parity` prints the help and exits 2."""
    args = list(argv)
    problem = _unknown_command(args) if args else None
    if problem:
        say(f"parity: error: {problem} (see parity -h)")
        return int(ExitCode.USAGE)
    group = command()
    try:
        code = group.main(args=args, prog_name="parity", standalone_mode=False)
    except _USAGE_ERROR as e:
        ctx = getattr(e, "ctx", None)
        if type(e).__name__ == "NoArgsIsHelpError":  # a bare `parity`: the help, exit 2
            try:
                out(ctx.get_help() + "\n" if ctx else "")
            except ParityError as lost:  # a full disk: still exit 2, and say so
                say(f"parity: error: {lost}")
            return int(ExitCode.USAGE)
        where = ctx.command_path if ctx else "parity"
        say(f"parity: error: {_message(e)} (see {where} -h)")
        return int(ExitCode.USAGE)
    except (typer.Abort, _ABORT):
        say("parity: interrupted")
        return int(ExitCode.INTERRUPTED)
    except _CLICK_EXCEPTION as e:
        say(f"parity: error: {_message(e)}")
        return int(getattr(e, "exit_code", ExitCode.USAGE))
    return code if isinstance(code, int) else 0


def _message(e: Exception) -> str:
    """click's own wording of a usage error (its `format_message`)."""
    return str(getattr(e, "format_message", e.__str__)())


def _base(name: str) -> type[Exception]:
    """click's exception class `name`, wherever typer takes click from (typer 0.2x vendors
    it privately): found through the public BadParameter's bases."""
    found: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)
    return found


_USAGE_ERROR = _base("UsageError")
_CLICK_EXCEPTION = _base("ClickException")
_ABORT: type[BaseException] = typer.Abort
