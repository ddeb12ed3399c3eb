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
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from parity import __version__
from parity.errors import ParityError
from parity.exitcodes import FAIL_ON_LEVELS, ExitCode, gate, verdict
from parity.reports import FORMATTERS

if TYPE_CHECKING:
    from parity.findings import Report
    from parity.policies.model import Policy
    from parity.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES = (
    "Exit codes: 0 pass; 1 findings at or above --fail-on; 2 usage or configuration error; "
    "3 incomplete audit (a source could not be read); 4 internal error; 130 interrupted."
)


def handled(fn: F) -> F:
    """The one error handler: expected errors print one line and map to their exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise  # the CLI framework's own control flow
        except ParityError as e:
            if debug:
                raise
            for line in str(e).splitlines():
                typer.echo(f"parity: error: {line}", err=True)
            raise typer.Exit(int(e.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo("parity: interrupted", err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as e:  # a bug: exit 4, never 1 ("findings") or a bare traceback
            if debug:
                raise
            typer.echo(
                f"parity: internal error ({type(e).__name__}) in parity {__version__}; "
                "re-run with --debug for a traceback and report it",
                err=True,
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper  # type: ignore[return-value]


ConfigOpt = Annotated[
    str | None,
    typer.Option("--config", "-c", help="parity.toml (default: ./parity.toml).", metavar="FILE"),
]


def choice(choices: list[str]) -> Callable[[str], str]:
    """A parser accepting one of `choices` (case-insensitive); anything else is a usage error
    (exit 2). Choices come from registries, never retyped here."""

    def parse(value: str) -> str:
        if value.lower() in choices:
            return value.lower()
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")

    return parse


FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="Report format (default: from the -o extension, else table).",
        parser=choice(list(FORMATTERS)),
        metavar="FORMAT",
    ),
]
MinSeverityOpt = Annotated[
    str,
    typer.Option(
        "--min-severity",
        help="Human formats: hide findings below this severity (info, warning, error).",
        parser=choice(["info", "warning", "error"]),
        metavar="LEVEL",
    ),
]
HideWaivedOpt = Annotated[
    bool, typer.Option("--hide-waived", help="Human formats: leave waived findings out.")
]
NoColorOpt = Annotated[
    bool, typer.Option("--no-color", help="No ANSI colours (also: the NO_COLOR variable).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the verdict line.")]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here (atomically).", metavar="FILE")
]
OutputsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report here (atomically); repeatable, each in the format its extension "
        "names (.json .sarif .xml .md .prom .html .txt).",
        metavar="FILE",
    ),
]
FailOnOpt = Annotated[
    str,
    typer.Option(
        "--fail-on",
        envvar="PARITY_FAIL_ON",
        help="Lowest failing severity: error, warning, info or never (case-insensitive).",
        parser=choice(list(FAIL_ON_LEVELS)),
        metavar="LEVEL",
    ),
]
AllowIncompleteOpt = Annotated[
    bool,
    typer.Option(
        "--allow-incomplete",
        help="Do not exit 3 when a source failed (collector-failed counts as an error finding).",
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks.")]


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from parity.store import atomic_write

    try:
        atomic_write(output, text)
    except OSError as e:
        from parity.errors import ConfigError

        raise ConfigError(f"cannot write {output}: {e.strerror}") from e


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
        typer.echo(f"parity: warning: {warning}", err=True)
    line = verdict(report, fail_on, allow, only_new)
    code = int(gate(report, fail_on, allow, only_new))
    for fmt, output in view.targets:
        if view.quiet and output is None:
            typer.echo(line)
            continue
        emit(render(report, view.as_format(fmt), policy, line), output)
        if output is not None:
            typer.echo(
                f"parity: wrote {output}: {report.summary.unwaived} findings, "
                f"score {report.score.overall:g}, exit {code}",
                err=True,
            )
    raise typer.Exit(code)
