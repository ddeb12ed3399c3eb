"""The command-line layer: a registry of commands over argparse.

Why not typer or click: the pre-deploy gate must start in a few interpreter start-ups, and
typer (its click copy, pydantic-based parameter adapters, the command tree it builds from
signatures) cost ~60-90 ms of every run before parity did anything. argparse is in the standard
library and costs a few milliseconds. Options are declared once here (`Opt`) and shared by the
commands, which register themselves in `COMMANDS` (parity/cli.py, parity/cli_audit.py); the same
registry drives the parser, the help and the shell-completion scripts.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, NoReturn

EXIT_CODES = (
    "Exit codes: 0 pass; 1 findings at or above --fail-on; 2 usage or configuration error;\n"
    "  3 incomplete audit (a source could not be read); 4 internal error; 130 interrupted."
)


class Exit(Exception):
    """Leave a command with this exit code (the commands' only way out besides returning)."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.code = code


class UsageError(Exception):
    """A command line that cannot be parsed: one line on stderr, exit 2."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(message)
        self.message, self.prog = message, prog


class Opt(NamedTuple):
    """One option or positional argument, declared once and shared by the commands.

    `flags` starting with "-" make an option, else a positional named by `dest`. `parse`
    converts and checks the text (its ValueError message is shown as the usage error); `many`
    makes an option repeatable; `envvar` supplies the value when the option is not given.
    """

    flags: tuple[str, ...]
    dest: str
    help: str = ""
    metavar: str | None = None
    default: Any = None
    parse: Callable[[str], Any] | None = None
    flag: bool = False
    many: bool = False
    envvar: str | None = None
    choices: tuple[str, ...] = ()  # for help and completion; `parse` enforces them
    optional: bool = False  # a positional that may be left out (its default is used)


class Command(NamedTuple):
    """A registered command: its function (called with one keyword per `Opt.dest`)."""

    name: str
    run: Callable[..., None]
    opts: tuple[Opt, ...]
    summary: str
    description: str
    examples: tuple[str, ...]


COMMANDS: dict[str, Command] = {}


def command(
    name: str, *opts: Opt, examples: Sequence[str] = ()
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command; its docstring's first paragraph is the summary, the rest the
    description."""

    def register(fn: Callable[..., None]) -> Callable[..., None]:
        doc = (fn.__doc__ or "").strip()
        summary, _, rest = doc.partition("\n\n")
        COMMANDS[name] = Command(
            name, fn, opts, " ".join(summary.split()), _dedent(rest), tuple(examples)
        )
        return fn

    return register


def _dedent(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def choice(choices: Sequence[str]) -> Callable[[str], str]:
    """A parser accepting one of `choices`, case-insensitively; anything else is a usage
    error. Choices come from registries, never retyped here."""
    allowed = tuple(choices)

    def parse(value: str) -> str:
        if value.lower() in allowed:
            return value.lower()
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")

    return parse


def at_least(low: int) -> Callable[[str], int]:
    """A parser for a whole number of at least `low`."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a whole number") from None
        if number < low:
            raise ValueError(f"{number} is less than {low}")
        return number

    return parse


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing a usage dump and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


class _Help(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples keep their lines; `Usage:` as people write it."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=_help_width())

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Usage: " if prefix is None else prefix)


def _help_width() -> int:
    import shutil

    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 100))


def _typed(opt: Opt) -> Callable[[str], Any]:
    """Wrap `opt.parse` so its message becomes argparse's error for this option."""
    parse = opt.parse or str

    def convert(value: str) -> Any:
        try:
            return parse(value)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    return convert


def _add(parser: argparse.ArgumentParser, opt: Opt) -> None:
    if not opt.flags[0].startswith("-"):
        parser.add_argument(
            opt.dest,
            help=opt.help,
            metavar=opt.metavar or opt.dest.upper(),
            type=_typed(opt),
            nargs="?" if opt.optional else None,
            default=opt.default,
        )
        return
    if opt.flag:
        parser.add_argument(*opt.flags, dest=opt.dest, action="store_true", help=opt.help)
        return
    parser.add_argument(
        *opt.flags,
        dest=opt.dest,
        help=opt.help,
        metavar=opt.metavar,
        type=_typed(opt),
        action="append" if opt.many else "store",
        default=None,
    )


def _epilog(cmd: Command) -> str:
    parts = []
    if cmd.examples:
        parts.append("Examples:\n" + "\n".join(f"  {e}" for e in cmd.examples))
    parts.append(EXIT_CODES)
    return "\n\n".join(parts)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line, from the registry: every command, or with `only` just that one (a
    run needs one command's options, not all thirteen's: a few ms of the gate's start-up)."""
    from parity import __version__

    root = _Parser(
        prog="parity",
        description="Audit whether staging really mirrors production; gate deploys on it.",
        epilog="Run `parity COMMAND -h` for a command's options and examples.\n\n" + EXIT_CODES,
        formatter_class=_Help,
        allow_abbrev=False,
    )
    root.add_argument("--version", action="version", version=f"parity {__version__}")
    sub = root.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for cmd in COMMANDS.values() if only is None else [COMMANDS[only]]:
        p = sub.add_parser(
            cmd.name,
            help=cmd.summary,
            description=f"{cmd.summary}\n\n{cmd.description}".strip(),
            epilog=_epilog(cmd),
            formatter_class=_Help,
            allow_abbrev=False,
        )
        for opt in cmd.opts:
            _add(p, opt)
    return root


def _complete(cmd: Command, values: dict[str, Any]) -> None:
    """Options not given on the command line take their environment variable, checked like
    the option (its error names both), else their default."""
    for opt in cmd.opts:
        if values.get(opt.dest) is not None:
            continue
        if opt.envvar and os.environ.get(opt.envvar):
            try:
                values[opt.dest] = (opt.parse or str)(os.environ[opt.envvar])
            except ValueError as e:
                raise UsageError(
                    f"argument {opt.flags[0]} (from {opt.envvar}): {e}", f"parity {cmd.name}"
                ) from None
        else:
            values[opt.dest] = opt.default


def _unknown_command(argv: Sequence[str]) -> str | None:
    """`parity chek`: name the commands and the likely one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is None or first in COMMANDS:
        return None
    import difflib

    close = difflib.get_close_matches(first, list(COMMANDS), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (commands: {', '.join(COMMANDS)})"
    return f"unknown command {first!r}{hint}"


def parse(argv: Sequence[str]) -> tuple[Command, dict[str, Any]] | None:
    """The command and its keyword arguments; None for a bare `parity` (the caller shows help).

    Raises UsageError; `-h` and `--version` print and raise SystemExit(0) (argparse's way).
    """
    if not argv:
        return None
    problem = _unknown_command(argv)
    if problem:
        raise UsageError(problem, "parity")
    first = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(first)
    known, extra = parser.parse_known_args(list(argv))
    namespace = vars(known)
    cmd = COMMANDS[namespace.pop("command")]
    if extra:  # argparse would blame the top level; the command is what was misused
        raise UsageError(f"unrecognized arguments: {' '.join(extra)}", f"parity {cmd.name}")
    _complete(cmd, namespace)
    return cmd, namespace
