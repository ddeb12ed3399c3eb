"""Command line: the pre-deploy gate (`parity check`) and tools around snapshots and reports.

Exit codes (see parity.exitcodes): 0 no unwaived finding at/above --fail-on; 1 such findings;
2 usage or configuration error; 3 audit incomplete (a collector failed; wins over 1 unless
--allow-incomplete); 4 internal error (a bug in parity); 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from parity import __version__
from parity.cli_audit import BaselineOpt, EnvsOpt, StoreOpt, register
from parity.cli_support import (
    EXIT_CODES,
    AllowIncompleteOpt,
    ConfigOpt,
    DebugOpt,
    FailOnOpt,
    FormatOpt,
    HideWaivedOpt,
    MinSeverityOpt,
    NoColorOpt,
    OutputOpt,
    OutputsOpt,
    QuietOpt,
    View,
    choice,
    emit,
    finish,
    handled,
    project_policy,
    render,
)
from parity.exitcodes import ExitCode

app = typer.Typer(
    name="parity",
    help="Audit whether staging really mirrors production; gate deploys on it.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command(epilog=EXIT_CODES)
@handled
def check(
    config: ConfigOpt = None,
    env: EnvsOpt = None,
    snapshots: Annotated[
        Path | None,
        typer.Option("--snapshots", help="Use saved snapshots from this directory.", metavar="DIR"),
    ] = None,
    format: FormatOpt = None,
    output: OutputsOpt = None,
    fail_on: FailOnOpt = "error",
    allow_incomplete: AllowIncompleteOpt = False,
    baseline: BaselineOpt = None,
    min_severity: MinSeverityOpt = "info",
    hide_waived: HideWaivedOpt = False,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Pre-deploy gate: collect every environment, evaluate the policy, report, exit.

    Examples: `parity check` (table, exit 1 on errors); `parity check -o report.json
    --fail-on warning`; `parity check --snapshots snaps/ -f markdown --min-severity warning`.
    """
    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    from parity.cli_audit import gather
    from parity.pipeline import build_report, gc_paused
    from parity.settings import load_settings
    from parity.store import FsStore

    settings = load_settings(config)
    policy = project_policy(settings, baseline)
    if snapshots is not None:
        from parity.pipeline import missing_snapshot

        snaps = FsStore(snapshots).load_all()
        wanted = settings.select(env) if settings.environments else list(snaps)
        if env and not settings.environments:
            wanted = [n for n in snaps if n in env or n == settings.reference]
        for name in wanted:  # a configured environment without a snapshot is not a pass
            snaps.setdefault(name, missing_snapshot(name, snapshots))
        snaps = {k: v for k, v in snaps.items() if k in wanted}
    else:
        snaps = gather(settings, env, debug=debug, policy=policy)
    with gc_paused():
        report = build_report(snaps, settings, settings.reference, policy=policy)
    finish(report, policy, view, fail_on, allow_incomplete)


@app.command(epilog=EXIT_CODES)
@handled
def snapshot(
    environment: Annotated[str, typer.Argument(help="Environment to snapshot.")],
    config: ConfigOpt = None,
    output: OutputOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Collect one environment and write its snapshot as canonical JSON (exit 3 if incomplete)."""
    from parity.pipeline import collect_environment, end_progress, gc_paused, stderr_progress
    from parity.settings import load_settings
    from parity.store import snapshot_to_json

    settings = load_settings(config)
    with gc_paused():
        progress = stderr_progress()
        snap = collect_environment(settings, environment, progress=progress, debug=debug)
        end_progress(progress)
    emit(snapshot_to_json(snap), output)
    for e in snap.errors:
        typer.echo(f"parity: {e.environment}: {e.collector} {e.source}: {e.message}", err=True)
    raise typer.Exit(int(ExitCode.INCOMPLETE if snap.errors else ExitCode.OK))


@app.command(epilog=EXIT_CODES)
@handled
def diff(
    reference: Annotated[
        str,
        typer.Argument(help="Reference: ENV, ENV@latest~N, ENV@DATE or a file.", metavar="A"),
    ],
    other: Annotated[
        str, typer.Argument(help="Compared: ENV, ENV@latest~N, ENV@DATE or a file.", metavar="B")
    ],
    config: ConfigOpt = None,
    policy_file: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="Policy file (default: the project's, else the built-in).",
            metavar="FILE",
        ),
    ] = None,
    store: StoreOpt = None,
    format: FormatOpt = None,
    output: OutputsOpt = None,
    fail_on: FailOnOpt = "error",
    allow_incomplete: AllowIncompleteOpt = False,
    min_severity: MinSeverityOpt = "info",
    hide_waived: HideWaivedOpt = False,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Compare two environments, snapshot files or stored snapshots; the first is the
    reference.

    Examples: `parity diff production staging`; `parity diff snaps/prod.json snaps/stg.json
    --policy policy.yaml -f markdown`; `parity diff production@latest~1 production` (what
    changed in production since the previous stored snapshot); `production@2026-11-20`.
    """
    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    from parity.pipeline import build_report, collect_environment
    from parity.settings import Settings, find_config, load_settings
    from parity.store import load_snapshot

    def is_file(x: str) -> bool:
        return x.endswith(".json") and Path(x).is_file()

    def stored(x: str) -> bool:
        return "@" in x and not is_file(x)

    need_config = not all(is_file(x) or stored(x) for x in (reference, other))
    settings = load_settings(config) if need_config or find_config(config) else Settings()

    def get(x: str) -> Any:
        if is_file(x):
            return load_snapshot(Path(x))
        if stored(x):
            from parity.cli_audit import history_of

            return history_of(settings, store).resolve(x)
        return collect_environment(settings, x, debug=debug)

    a, b = get(reference), get(other)
    if a.environment == b.environment:
        if not (stored(reference) or stored(other)):
            from parity.errors import ConfigError

            raise ConfigError(
                f"both sides are environment {a.environment!r}; compare two different ones, "
                f"or one with its past ({a.environment}@latest~1)"
            )
        # One environment against its own past: the sides are told apart by when.
        a = a.model_copy(
            update={"environment": reference if stored(reference) else f"{a.environment}@now"}
        )
        b = b.model_copy(update={"environment": other if stored(other) else f"{b.environment}@now"})
    if policy_file is not None:
        from parity.policies import load_policy

        settings = settings.model_copy(update={"policy": str(policy_file.resolve())})
        policy = load_policy(policy_file)
    else:
        policy = project_policy(settings)
    report = build_report(
        {a.environment: a, b.environment: b}, settings, a.environment, policy=policy
    )
    finish(report, policy, view, fail_on, allow_incomplete)


@app.command(epilog=EXIT_CODES)
@handled
def report(
    file: Annotated[Path, typer.Argument(help="A JSON report written by parity check.")],
    format: FormatOpt = None,
    output: OutputOpt = None,
    min_severity: MinSeverityOpt = "info",
    hide_waived: HideWaivedOpt = False,
    no_color: NoColorOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Re-render a saved JSON report in another format.

    Example: `parity report report.json -f markdown -o summary.md`.
    """
    view = View(format, output, min_severity, hide_waived, no_color)
    from parity.errors import SnapshotError
    from parity.reports.json_report import load_report

    try:
        text = file.read_text(encoding="utf-8")
    except OSError as e:
        raise SnapshotError(f"cannot read {file}: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise SnapshotError(f"{file}: not UTF-8 text (byte {e.start})") from e
    emit(render(load_report(text, str(file)), view), output)


@app.command(epilog=EXIT_CODES)
@handled
def rules(
    config: ConfigOpt = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format.",
            parser=choice(["table", "json"]),
            metavar="[table|json]",
        ),
    ] = "table",
    debug: DebugOpt = False,
) -> None:
    """List rules with their effective severity (after the project policy)."""
    import json

    from tabulate import tabulate

    from parity.policies import default_policy
    from parity.settings import find_config, load_settings

    policy = project_policy(load_settings(config)) if find_config(config) else default_policy()
    specs = sorted(policy.rules.values(), key=lambda r: (r.category, r.id))
    if format == "json":
        emit(json.dumps([s.model_dump(mode="json") for s in specs], indent=2) + "\n", None)
        return
    rows = [[s.id, s.category, s.severity.value if s.enabled else "off", s.title] for s in specs]
    emit(tabulate(rows, headers=["rule", "category", "severity", "title"]) + "\n", None)


@app.command("iam-policy", epilog=EXIT_CODES)
@handled
def iam_policy(
    env: Annotated[
        str | None,
        typer.Option("--env", "-e", help="Only this environment's sources.", metavar="NAME"),
    ] = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Print the least-privilege IAM policy for the configured aws-* sources."""
    import json

    from parity.collectors.aws._iam import iam_policy as build
    from parity.settings import load_settings

    emit(json.dumps(build(load_settings(config), env), indent=2) + "\n", None)


@app.command(epilog=EXIT_CODES)
@handled
def schema(debug: DebugOpt = False) -> None:
    """Print the JSON Schema of the JSON report."""
    from parity.reports.json_report import report_schema

    emit(report_schema(), None)


@app.command(epilog=EXIT_CODES)
@handled
def init(
    directory: Annotated[Path, typer.Argument(help="Repository to scan.", metavar="DIR")] = Path(
        "."
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing parity.toml.")
    ] = False,
    debug: DebugOpt = False,
) -> None:
    """Scaffold a commented, valid parity.toml from the repository's per-environment files.

    Example: `parity init && parity check`.
    """
    from parity.errors import ConfigError
    from parity.scaffold import render as scaffold
    from parity.scaffold import scan

    target = directory / "parity.toml"
    if target.exists() and not force:
        raise ConfigError(f"{target} exists", hint="use --force to overwrite it")
    found = scan(directory)
    emit(scaffold(directory, found), target)
    envs = sorted({f.env for f in found})
    typer.echo(
        f"parity: wrote {target}: {len(found)} source file(s) in "
        f"{len(envs)} environment(s) ({', '.join(envs) or 'none found'})",
        err=True,
    )


register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"parity {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """parity: staging/production parity audits."""


def _usage_error_type() -> Any:
    """The CLI framework's usage-error class (typer vendors click in recent versions)."""
    try:
        from typer._click import exceptions
    except ImportError:  # typer versions that use click itself
        from click import exceptions  # type: ignore[no-redef]
    return exceptions.UsageError


def main() -> None:
    """Console-script entry point. A usage error is one line on stderr and exit 2 (no box,
    no usage dump): `parity: error: No such option: --bogus (see parity check -h)`."""
    command = typer.main.get_command(app)
    usage_error = _usage_error_type()
    try:
        code = command.main(standalone_mode=False, prog_name="parity")
    except usage_error as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # bare `parity`: the help, as asked
            sys.stdout.write(error.format_message() + "\n")
            raise SystemExit(int(ExitCode.USAGE)) from None
        ctx = getattr(error, "ctx", None)
        where = f" (see {ctx.command_path} -h)" if ctx is not None else ""
        sys.stderr.write(f"parity: error: {error.format_message()}{where}\n")
        raise SystemExit(int(ExitCode.USAGE)) from None
    except typer.Abort:
        sys.stderr.write("parity: interrupted\n")
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None
    raise SystemExit(code if isinstance(code, int) else 0)
