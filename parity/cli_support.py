"""The CLI's plumbing: the one error handler, option types, how a report is shown.

Kept apart from the commands (parity/cli.py) so each stays small; nothing here runs at import
beyond defining types.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from parity import __version__
from parity.cli_args import Exit, Opt, choice
from parity.errors import ParityError
from parity.exitcodes import FAIL_ON_LEVELS, ExitCode, gate, verdict
from parity.reports import FORMATTERS

if TYPE_CHECKING:
    from parity.findings import Report
    from parity.policies.model import Policy
    from parity.settings import Settings

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
        except Exit:
            raise  # the commands' own way out
        except ParityError as e:
            if debug:
                raise
            for line in str(e).splitlines():
                say(f"parity: error: {line}")
            raise Exit(int(e.exit_code)) from None
        except KeyboardInterrupt:
            say("parity: interrupted")
            raise Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as e:  # a bug: exit 4, never 1 ("findings") or a bare traceback
            if debug:
                raise
            say(
                f"parity: internal error ({type(e).__name__}) in parity {__version__}; "
                "re-run with --debug for a traceback and report it"
            )
            raise Exit(int(ExitCode.INTERNAL)) from None

    return wrapper  # type: ignore[return-value]


LEVELS = ("info", "warning", "error")
CONFIG = Opt(("--config", "-c"), "config", "parity.toml (default: ./parity.toml).", "FILE")
FORMAT = Opt(
    ("--format", "-f"),
    "format",
    "Report format (default: from the -o extension, else table).",
    "FORMAT",
    parse=choice(list(FORMATTERS)),
    choices=tuple(FORMATTERS),
)
MIN_SEVERITY = Opt(
    ("--min-severity",),
    "min_severity",
    "Human formats: hide findings below this severity (info, warning, error).",
    "LEVEL",
    default="info",
    parse=choice(LEVELS),
    choices=LEVELS,
)
HIDE_WAIVED = Opt(
    ("--hide-waived",), "hide_waived", "Human formats: leave waived findings out.", flag=True
)
NO_COLOR = Opt(
    ("--no-color",), "no_color", "No ANSI colours (also: the NO_COLOR variable).", flag=True
)
QUIET = Opt(("--quiet", "-q"), "quiet", "Print only the verdict line.", flag=True)
OUTPUT = Opt(("--output", "-o"), "output", "Write here (atomically).", "FILE", parse=Path)
OUTPUTS = Opt(
    ("--output", "-o"),
    "output",
    "Write the report here (atomically); repeatable, each in the format its extension "
    "names (.json .sarif .xml .md .prom .html .txt).",
    "FILE",
    parse=Path,
    many=True,
)
FAIL_ON = Opt(
    ("--fail-on",),
    "fail_on",
    "Lowest failing severity: error, warning, info or never (case-insensitive; "
    "default: PARITY_FAIL_ON, else error).",
    "LEVEL",
    default="error",
    parse=choice(list(FAIL_ON_LEVELS)),
    envvar="PARITY_FAIL_ON",
    choices=tuple(FAIL_ON_LEVELS),
)
ALLOW_INCOMPLETE = Opt(
    ("--allow-incomplete",),
    "allow_incomplete",
    "Do not exit 3 when a source failed (collector-failed counts as an error finding).",
    flag=True,
)
DEBUG = Opt(("--debug",), "debug", "Show tracebacks.", flag=True)
HUMAN_VIEW = (MIN_SEVERITY, HIDE_WAIVED, NO_COLOR, QUIET)
STORE = Opt(
    ("--store",),
    "store",
    "Snapshot history: a directory or s3://bucket/prefix (default: settings' `store`, "
    "`.parity/` beside the config).",
    "URL",
)
ENVS = Opt(("--env", "-e"), "env", "Only these environments (repeatable).", "NAME", many=True)
BASELINE = Opt(
    ("--baseline",), "baseline", "Waive the findings listed in this baseline file.", "FILE"
)
TABLE_OR_JSON = Opt(
    ("--format", "-f"),
    "format",
    "Output format.",
    "table|json",
    default="table",
    parse=choice(["table", "json"]),
    choices=("table", "json"),
)


def out(text: str) -> None:
    """Everything a command prints on stdout. A reader that stopped reading (`| head`) is its
    choice, not an error: the command still ends with its verdict's exit code. A stdout that
    cannot take the text (a full disk) is an unwritable output, exit 2, never a bug report:
    a gate whose report was lost must not pass."""
    from parity._entry import silence_stdout

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


def project_policy(settings: Settings, baseline: str | None = None) -> Policy:
    from parity.pipeline import project_policy

    return project_policy(settings, baseline)


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
        self.targets: list[tuple[str, Path | None]] = (
            [(fmt or format_from(outputs[0]) or "table", outputs[0])]
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
    found = format_from(output) or fallback
    if found is None:
        from parity.errors import ConfigError

        raise ConfigError(
            f"cannot tell the format of {output} from its extension",
            hint="use one of .json .sarif .xml .md .prom .html .txt, or give --format",
        )
    return found


def format_from(output: Path | None) -> str | None:
    """`-o report.json` means JSON, `-o report.md` Markdown."""
    if output is None:
        return None
    for name, (_, _, suffixes) in FORMATTERS.items():
        if output.suffix.lower() in suffixes:
            return name
    return None


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
            out(line + "\n")
            continue
        emit(render(report, view.as_format(fmt), policy, line), output)
        if output is not None:
            say(
                f"parity: wrote {output}: {report.summary.unwaived} findings, "
                f"score {report.score.overall:g}, exit {code}"
            )
    raise Exit(code)
