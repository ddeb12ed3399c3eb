"""Options shared by the commands, declared once as `Annotated` types.

Choices come from the registries (formatters, fail-on levels), never retyped here; typer lists
them in `--help` and completes them in the shell. Values are checked case-insensitively.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from parity.exitcodes import FAIL_ON_LEVELS
from parity.reports import ALIASES, EXTENSIONS, FORMAT_NAMES, FORMATTERS, canonical

LEVELS = ("info", "warning", "error")
if TYPE_CHECKING:  # the choices come from registries: Literal types built from them at run time
    FailOnLevel = str
    Level = str
else:
    FailOnLevel = Literal[FAIL_ON_LEVELS]
    Level = Literal[LEVELS]


def _webhook(value: str | None) -> str | None:
    """`--notify` takes http(s) URLs only; the URL is never echoed (it may hold a token)."""
    if value is None:
        return None
    from parity.app.audit import webhook_url

    try:
        return webhook_url(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


Config = Annotated[
    str | None,
    typer.Option("--config", "-c", metavar="FILE", help="parity.toml (default: ./parity.toml)."),
]


def environment_names(incomplete: str) -> list[str]:
    """Completion of environment names: those the project's parity.toml configures (none
    when there is no readable one; completion never prints an error)."""
    from parity.errors import ParityError
    from parity.settings import load_settings

    try:
        names = list(load_settings(None).environments)
    except ParityError:
        return []
    return [n for n in names if n.startswith(incomplete)]


Envs = Annotated[
    list[str] | None,
    typer.Option(
        "--env",
        "-e",
        metavar="NAME",
        help="Only these environments (repeatable).",
        autocompletion=environment_names,
    ),
]
Env = Annotated[
    str | None,
    typer.Option(
        "--env",
        "-e",
        metavar="NAME",
        help="Only this environment's snapshots.",
        autocompletion=environment_names,
    ),
]


def _format(value: str | None) -> str | None:
    """A built-in format, an extension naming one (`md`), or a plugin's (parity.formats)."""
    if value is None:
        return None
    name = canonical(value)
    if name in FORMATTERS:
        return name
    from parity.errors import ConfigError

    try:
        FORMATTERS.get_or_plugin(name)
    except ConfigError:
        raise typer.BadParameter(
            f"{value!r} is not one of {', '.join(repr(n) for n in FORMAT_NAMES)}"
        ) from None
    return name


def format_names(incomplete: str) -> list[str]:
    """Completion: every format, a plugin's included."""
    names = [*FORMAT_NAMES, *FORMATTERS.plugin_names()]
    return [n for n in names if n.startswith(incomplete.lower())]


Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        callback=_format,
        autocompletion=format_names,
        help="Report format (default: from the -o extension, else table): "
        + ", ".join(FORMATTERS)
        + " (or an extension: "
        + ", ".join(sorted(ALIASES))
        + ").",
    ),
]
Outputs = Annotated[
    list[Path] | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report here (atomically); repeatable, each in the format its "
        "extension names (" + " ".join(x for exts in EXTENSIONS.values() for x in exts) + ").",
    ),
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (atomically).")
]
FailOn = Annotated[
    FailOnLevel,
    typer.Option(
        "--fail-on",
        metavar="LEVEL",
        envvar="PARITY_FAIL_ON",
        case_sensitive=False,
        help="Lowest failing severity: error, warning, info or never (default: "
        "PARITY_FAIL_ON, else error).",
    ),
]
AllowIncomplete = Annotated[
    bool,
    typer.Option(
        "--allow-incomplete",
        help="Do not exit 3 when a source failed (collector-failed counts as an error finding).",
    ),
]
Baseline = Annotated[
    str | None,
    typer.Option(
        "--baseline", metavar="FILE", help="Waive the findings listed in this baseline file."
    ),
]
MinSeverity = Annotated[
    Level,
    typer.Option(
        "--min-severity",
        metavar="LEVEL",
        case_sensitive=False,
        help="Human formats: hide findings below this severity (info, warning, error).",
    ),
]
HideWaived = Annotated[
    bool, typer.Option("--hide-waived", help="Human formats: leave waived findings out.")
]
NoColor = Annotated[
    bool, typer.Option("--no-color", help="No ANSI colours (also: the NO_COLOR variable).")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the verdict line.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks.")]
Store = Annotated[
    str | None,
    typer.Option(
        "--store",
        metavar="URL",
        help="Snapshot history: a directory or s3://bucket/prefix (default: the settings' "
        "`store`, `.parity/` beside the config).",
    ),
]
TableOrJson = Annotated[
    Literal["table", "json"],
    typer.Option("--format", "-f", metavar="FORMAT", case_sensitive=False, help="table or json."),
]
Keep = Annotated[
    int | None,
    typer.Option("--keep", metavar="N", min=1, help="Keep the newest N snapshots per env."),
]
KeepDays = Annotated[
    int | None,
    typer.Option("--keep-days", metavar="D", min=1, help="Delete snapshots older than D days."),
]
Notify = Annotated[
    str | None,
    typer.Option(
        "--notify",
        metavar="URL",
        envvar="PARITY_NOTIFY_URL",
        callback=_webhook,
        help="Webhook to POST to when something is new (an http(s) URL, treated as a secret; "
        "default: PARITY_NOTIFY_URL).",
    ),
]
NotifyFormat = Annotated[
    Literal["json", "slack"],
    typer.Option("--notify-format", metavar="FORMAT", case_sensitive=False, help="json or slack."),
]
