"""The gate's commands: check, diff, snapshot, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parity.exitcodes import ExitCode

from .options import (
    AllowIncomplete,
    Baseline,
    Config,
    Debug,
    Envs,
    FailOn,
    Format,
    HideWaived,
    MinSeverity,
    NoColor,
    Output,
    Outputs,
    Quiet,
    Store,
    environment_names,
)
from .support import View, emit, finish, handled, out, render, say

app = typer.Typer()


@app.command(
    epilog="Examples:\n"
    "  parity check                      # table on stdout, exit 1 on errors\n"
    "  parity check -o report.json -o report.sarif --fail-on warning\n"
    "  parity check --snapshots snaps/ -f markdown --min-severity warning",
)
@handled
def check(
    config: Config = None,
    env: Envs = None,
    snapshots: Annotated[
        Path | None,
        typer.Option("--snapshots", metavar="DIR", help="Use saved snapshots from this directory."),
    ] = None,
    format: Format = None,
    output: Outputs = None,
    fail_on: FailOn = "error",
    allow_incomplete: AllowIncomplete = False,
    baseline: Baseline = None,
    min_severity: MinSeverity = "info",
    hide_waived: HideWaived = False,
    no_color: NoColor = False,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Pre-deploy gate: collect every environment, evaluate the policy, report, exit."""
    from parity.app import run_check
    from parity.app.pipeline import end_progress, stderr_progress
    from parity.settings import load_settings

    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    settings = load_settings(config)
    progress = stderr_progress()
    result = run_check(
        settings, env=env, snapshots=snapshots, baseline=baseline, debug=debug, progress=progress
    )
    end_progress(progress)
    finish(result.report, result.policy, view, fail_on, allow_incomplete)


@app.command(epilog="Examples:\n  parity snapshot production -o snaps/production.json")
@handled
def snapshot(
    environment: Annotated[
        str,
        typer.Argument(
            metavar="ENV", help="Environment to snapshot.", autocompletion=environment_names
        ),
    ],
    config: Config = None,
    output: Output = None,
    debug: Debug = False,
) -> None:
    """Collect one environment and write its snapshot as canonical JSON (exit 3 if incomplete)."""
    from parity.app import run_snapshot
    from parity.app.pipeline import end_progress, stderr_progress
    from parity.settings import load_settings
    from parity.store import snapshot_to_json

    settings = load_settings(config)
    progress = stderr_progress()
    snap = run_snapshot(settings, environment, debug=debug, progress=progress)
    end_progress(progress)
    emit(snapshot_to_json(snap), output)
    for e in snap.errors:
        say(f"parity: {e.environment}: {e.collector} {e.source}: {e.message}")
        if e.hint:
            say(f"  hint: {e.hint}")
    raise typer.Exit(int(ExitCode.INCOMPLETE if snap.errors else ExitCode.OK))


@app.command(
    epilog="Examples:\n"
    "  parity diff production staging\n"
    "  parity diff .env.production .env.staging      # no parity.toml needed\n"
    "  parity diff snaps/prod.json snaps/stg.json --policy policy.yaml -f markdown\n"
    "  parity diff production@latest~1 production   # since the last snapshot\n"
    "  parity diff production staging canary --matrix",
)
@handled
def diff(
    sides: Annotated[
        list[str],
        typer.Argument(
            metavar="A B [C…]",
            help="The reference first, then the compared: environments (ENV, ENV@latest~N, "
            "ENV@DATE), snapshot files, or configuration files/directories of one shape.",
        ),
    ],
    config: Config = None,
    policy_file: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            metavar="FILE",
            help="Policy file (default: the project's, else the built-in).",
        ),
    ] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="Collector type of plain files (default: inferred like `parity init`).",
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="NAME", help="Scope name of plain files' records."),
    ] = None,
    matrix: Annotated[
        bool,
        typer.Option("--matrix", help="A key x environment table of presence and values."),
    ] = False,
    store: Store = None,
    format: Format = None,
    output: Outputs = None,
    fail_on: FailOn = "error",
    allow_incomplete: AllowIncomplete = False,
    min_severity: MinSeverity = "info",
    hide_waived: HideWaived = False,
    no_color: NoColor = False,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Compare environments, snapshot files, stored snapshots or plain configuration files;
    the first is the reference."""
    from parity.app import needs_config, run_diff, run_files
    from parity.errors import ConfigError
    from parity.settings import Settings, find_config, load_settings

    if len(sides) < 2:
        raise ConfigError("diff needs at least two sides", hint="parity diff A B")
    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    if all(Path(x).exists() and not x.endswith(".json") for x in sides) and not find_config(config):
        result = run_files([Path(x) for x in sides], type_=type_, name=name, debug=debug)
    else:
        if len(sides) > 2:  # three or more configured environments, the first the reference
            from parity.app import run_check

            settings = load_settings(config)
            unknown = [x for x in sides if x not in settings.environments]
            if unknown:
                raise ConfigError(
                    f"{unknown[0]!r} is not a configured environment; more than two sides "
                    "are configured environments or plain files",
                    hint="parity diff A B for snapshot files and stored snapshots",
                )
            settings = settings.model_copy(update={"reference": sides[0]})
            result = run_check(settings, env=sides, debug=debug)
        else:
            reference, other = sides
            need = needs_config(reference, other)
            settings = load_settings(config) if need or find_config(config) else Settings()
            result = run_diff(
                settings, reference, other, policy_file=policy_file, store=store, debug=debug
            )
    if matrix:  # the records side by side on stdout; the report goes only to -o files
        from parity.reports.matrix import render_matrix

        out(render_matrix(result.snapshots))
        view.targets = [t for t in view.targets if t[1] is not None]
    finish(result.report, result.policy, view, fail_on, allow_incomplete)


@app.command(epilog="Examples:\n  parity report report.json -f markdown -o summary.md")
@handled
def report(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A JSON report written by parity check.")
    ],
    format: Format = None,
    output: Output = None,
    min_severity: MinSeverity = "info",
    hide_waived: HideWaived = False,
    no_color: NoColor = False,
    debug: Debug = False,
) -> None:
    """Re-render a saved JSON report in another format."""
    from parity.errors import SnapshotError
    from parity.inputs.files import read_input
    from parity.reports.json_report import load_report

    view = View(format, output, min_severity, hide_waived, no_color)
    text = read_input(file, "report", error=SnapshotError)
    emit(render(load_report(text, str(file)), view), view.output)
