"""The CLI's plumbing: the one error handler, where output goes, how a report is shown.

Kept apart from the commands (parity/cli/gate.py, audit.py, tools.py) so each stays small;
nothing here runs at import beyond defining types.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from parity import __version__
from parity.errors import ParityError
from parity.exitcodes import ExitCode, gate, verdict
from parity.reports import EXTENSIONS, canonical, format_of

if TYPE_CHECKING:
    from parity.model.findings import Report
    from parity.policies.model import Policy

F = TypeVar("F", bound=Callable[..., Any])


def say(message: str) -> None:
    """A line for the person at the terminal (stderr: stdout carries the report). When stderr
    itself cannot be written there is nobody to tell; the exit code still says it."""
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        return


def handled(fn: F) -> F:
    """The one error handler: expected errors print one line and map to their exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise  # the commands' own way out
        except ParityError as e:
            if debug:
                raise
            for line in str(e).splitlines():
                say(f"parity: error: {line}")
            raise typer.Exit(int(e.exit_code)) from None
        except KeyboardInterrupt:
            say("parity: interrupted")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as e:  # a bug: exit 4, never 1 ("findings") or a bare traceback
            if debug:
                raise
            say(
                f"parity: internal error ({type(e).__name__}) in parity {__version__}; "
                "re-run with --debug for a traceback and report it"
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper  # type: ignore[return-value]


def out(text: str) -> None:
    """Everything a command prints on stdout. A reader that stopped reading (`| head`) is its
    choice, not an error: the command still ends with its verdict's exit code. A stdout that
    cannot take the text (a full disk) is an unwritable output, exit 2, never a bug report:
    a gate whose report was lost must not pass."""
    from parity.cli.entry import silence_stdout

    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as e:
        from parity.errors import ConfigError

        silence_stdout()  # what is still buffered would fail again at exit
        raise ConfigError(f"cannot write to stdout: {e.strerror}") from e


def emit(text: str, output: Path | None) -> None:
    """Write a rendering to its file (atomically), or to stdout."""
    if output is None:
        out(text)
        return
    from parity.store import write_output

    try:
        write_output(output, text)
    except OSError as e:
        import errno

        from parity.errors import ConfigError

        why = "a FIFO with no reader" if e.errno == errno.ENXIO else e.strerror
        raise ConfigError(f"cannot write {output}: {why}") from e


class View:
    """How a person asked to see the report: where each rendering goes and in which format
    (one per `-o`, else stdout), and how the human formats render."""

    def __init__(
        self,
        fmt: str | None = None,
        output: Path | list[Path] | None = None,
        min_severity: str = "info",
        hide_waived: bool = False,
        no_color: bool = False,
        quiet: bool = False,
    ) -> None:
        outputs = output if isinstance(output, list) else [output] if output else []
        fmt = canonical(fmt) if fmt else None
        self.targets: list[tuple[str, Path | None]] = (
            [(fmt or _format_of(outputs[0], None), outputs[0])]
            if len(outputs) == 1
            else [(_format_of(o, fmt), o) for o in outputs]
        )
        if not self.targets:
            self.targets = [(fmt or "table", None)]
        elif len(outputs) > 1 and fmt:  # files by extension, and --format on stdout
            self.targets.append((fmt, None))
        self.fmt, self.output = self.targets[0]
        self.min_severity, self.hide_waived, self.quiet = min_severity, hide_waived, quiet
        self.trend: tuple[tuple[str, str, float], ...] = ()  # earlier audits' scores (HTML)
        tty = not outputs and sys.stdout.isatty()
        self.color = tty and not no_color and "NO_COLOR" not in os.environ
        self.width = shutil.get_terminal_size((80, 24)).columns if tty else 80  # piped: stable

    def as_format(self, fmt: str) -> View:
        """The same view rendering another format (for one of several outputs)."""
        view = View.__new__(View)
        view.__dict__.update(self.__dict__)
        view.fmt = fmt
        return view


def _format_of(output: Path, fallback: str | None) -> str:
    found = format_of(output) or fallback
    if found is None:
        from parity.errors import ConfigError

        known = ", ".join(
            f"{name} ({' '.join(exts)})" if exts else name for name, exts in EXTENSIONS.items()
        )
        raise ConfigError(
            f"cannot tell the format of {output} from its extension",
            hint=f"give --format, or an extension of a format: {known}",
        )
    return found


def render(
    report: Report, view: View, policy: Policy | None = None, line: str | None = None
) -> str:
    from parity.policies import default_policy
    from parity.reports import get_formatter
    from parity.reports.interface import RenderOptions

    options = RenderOptions(
        width=view.width,
        color=view.color,
        verdict=line,
        min_severity=view.min_severity,
        hide_waived=view.hide_waived,
        trend=view.trend,
    )
    return get_formatter(view.fmt)(report, (policy or default_policy()).rules, options)


def finish(
    report: Report,
    policy: Policy,
    view: View,
    fail_on: str,
    allow: bool,
    only_new: bool = False,
) -> None:
    for warning in report.warnings:
        say(f"parity: warning: {warning}")
    line = verdict(report, fail_on, allow, only_new)
    code = int(gate(report, fail_on, allow, only_new))
    for fmt, output in view.targets:
        if view.quiet and output is None:
            continue
        emit(render(report, view.as_format(fmt), policy, line), output)
        if output is not None and not view.quiet:
            say(
                f"parity: wrote {output}: {report.summary.unwaived} findings, "
                f"score {report.score.overall:g}, exit {code}"
            )
    if view.quiet:  # the verdict line, whether or not the reports went to files
        out(line + "\n")
    raise typer.Exit(code)
