"""The nightly audit and its history: audit, history, prune, baseline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from parity.exitcodes import ExitCode

from .options import (
    AllowIncomplete,
    Baseline,
    Config,
    Debug,
    Env,
    Envs,
    FailOn,
    Format,
    HideWaived,
    Keep,
    KeepDays,
    MinSeverity,
    NoColor,
    Notify,
    NotifyFormat,
    Outputs,
    Quiet,
    Store,
    TableOrJson,
    environment_names,
)
from .support import View, emit, finish, handled, say

if TYPE_CHECKING:
    from parity.settings import Settings
    from parity.store.history import History

app = typer.Typer()


@app.command(
    epilog="Examples:\n"
    "  parity audit -o audit.json -o audit.sarif --keep 30\n"
    "  parity audit --notify $SLACK_HOOK --notify-format slack\n"
    "  parity audit --from-store --store s3://audits/shop --fail-on-new",
)
@handled
def audit(
    config: Config = None,
    env: Envs = None,
    store: Store = None,
    from_store: Annotated[
        bool,
        typer.Option(
            "--from-store",
            help="Evaluate the latest stored snapshot of each environment (sharded collection).",
        ),
    ] = False,
    format: Format = None,
    output: Outputs = None,
    fail_on: FailOn = "error",
    fail_on_new: Annotated[
        bool,
        typer.Option(
            "--fail-on-new", help="Gate only on findings that are new since the last audit."
        ),
    ] = False,
    allow_incomplete: AllowIncomplete = False,
    baseline: Baseline = None,
    notify: Notify = None,
    notify_format: NotifyFormat = "json",
    keep: Keep = None,
    keep_days: KeepDays = None,
    min_severity: MinSeverity = "info",
    hide_waived: HideWaived = False,
    no_color: NoColor = False,
    quiet: Quiet = False,
    debug: Debug = False,
) -> None:
    """Nightly audit: collect, store, evaluate, compare with the last audit, notify, gate.

    Collects every environment (or, with --from-store, reads the latest stored snapshots),
    stores the snapshots, evaluates the policy, marks each finding new / persisting / resolved
    against the previous audit, stores the report, notifies a webhook when something is new,
    and exits like `check` (or, with --fail-on-new, only on what is new)."""
    from parity.app import run_audit
    from parity.app.pipeline import end_progress, stderr_progress
    from parity.settings import load_settings

    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    settings = load_settings(config)
    progress = stderr_progress()
    result = run_audit(
        settings,
        env=env,
        store=store,
        from_store=from_store,
        baseline=baseline,
        keep=keep,
        keep_days=keep_days,
        notify=notify,
        notify_format=notify_format,
        debug=debug,
        progress=progress,
    )
    end_progress(progress)
    view.trend = result.trend
    say(f"parity: stored audit {result.stored}")
    if result.pruned:
        say(f"parity: pruned {result.pruned} old snapshot(s)")
    if result.notify_problem:
        say(f"parity: warning: {result.notify_problem} (the report is stored)")
    finish(result.report, result.policy, view, fail_on, allow_incomplete, fail_on_new)


def _settings(config: str | None) -> Settings:
    from parity.settings import Settings, find_config, load_settings

    return load_settings(config) if find_config(config) else Settings()


def _known(history: History, settings: Settings, environment: str) -> None:
    """An environment nothing knows (not configured, never stored) is a typo: exit 2 with the
    closest name, never an empty listing that reads as "no snapshots yet"."""
    import difflib

    from parity.errors import ConfigError

    known = sorted({*settings.environments, *history.environments()})
    if environment in known or not known:
        return
    close = difflib.get_close_matches(environment, known, n=1)
    raise ConfigError(
        f"unknown environment {environment!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
        hint=f"known: {', '.join(known)}",
    )


@app.command(
    epilog="Examples:\n  parity history production\n  parity diff production@latest~1 production",
)
@handled
def history(
    environment: Annotated[
        str,
        typer.Argument(
            metavar="ENV",
            help="Environment whose snapshots to list.",
            autocompletion=environment_names,
        ),
    ],
    config: Config = None,
    store: Store = None,
    format: TableOrJson = "table",
    debug: Debug = False,
) -> None:
    """List an environment's stored snapshots, oldest first."""
    import json

    from parity.app import history_of

    settings = _settings(config)
    stored = history_of(settings, store)
    _known(stored, settings, environment)
    entries = stored.entries(environment)
    if format == "json":
        rows = [json.loads(e.as_json()) for e in entries]
        emit(json.dumps(rows, indent=2) + "\n", None)
        return
    if not entries:
        emit(f"no stored snapshot of {environment!r}\n", None)
        return
    from tabulate import tabulate

    table = [
        [
            f"{environment}@latest~{len(entries) - 1 - i}"
            if i < len(entries) - 1
            else f"{environment}@latest",
            e.collected_at.strftime("%Y-%m-%d %H:%M:%S"),
            e.parity_version,
            e.records,
            "yes" if e.complete else "NO",
            e.sha256[:16],
        ]
        for i, e in enumerate(entries)
    ]
    headers = ["ref", "collected (UTC)", "parity", "records", "complete", "sha256"]
    emit(tabulate(table, headers=headers) + "\n", None)


@app.command(epilog="Examples:\n  parity prune --keep 30 --keep-days 90 --dry-run")
@handled
def prune(
    config: Config = None,
    store: Store = None,
    keep: Keep = None,
    keep_days: KeepDays = None,
    env: Env = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be deleted; delete nothing.")
    ] = False,
    debug: Debug = False,
) -> None:
    """Delete old snapshots (never the latest of an environment)."""
    from parity.app import history_of
    from parity.errors import ConfigError

    if keep is None and keep_days is None:
        raise ConfigError("nothing to prune by", hint="give --keep N and/or --keep-days D")
    settings = _settings(config)
    stored = history_of(settings, store)
    if env is not None:
        _known(stored, settings, env)
    gone = stored.prune(keep, keep_days, datetime.now(UTC), dry_run=dry_run, only=env)
    if dry_run:
        lines = [f"would delete {e.environment} {e.collected_at:%Y-%m-%d %H:%M:%S}" for e in gone]
        emit("\n".join([*lines, f"{len(gone)} snapshot(s) would be pruned"]) + "\n", None)
        return
    emit(f"pruned {len(gone)} snapshot(s)\n", None)


@app.command(
    epilog="Examples:\n"
    "  parity baseline -o parity-baseline.yaml\n"
    "  parity check --baseline parity-baseline.yaml",
)
@handled
def baseline(
    config: Config = None,
    env: Envs = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Baseline file to write (default: parity-baseline.yaml).",
        ),
    ] = Path("parity-baseline.yaml"),
    days: Annotated[
        int,
        typer.Option("--days", metavar="N", min=1, help="Days until entries expire (default: 90)."),
    ] = 90,
    debug: Debug = False,
) -> None:
    """Write today's unwaived findings as a baseline of waivers to commit.

    `check` and `audit` then honour it (`--baseline FILE`, or `baseline = "FILE"` in
    parity.toml); each entry expires after --days."""
    from parity.app import run_baseline
    from parity.settings import load_settings

    text, report = run_baseline(load_settings(config), env=env, days=days, debug=debug)
    emit(text, output)
    n = sum(not f.waived for f in report.findings)
    say(f"parity: wrote {output}: {n} finding(s) baselined, expiring in {days} days")
    if not report.complete:
        say("parity: warning: the audit was incomplete; the baseline may be short")
        raise typer.Exit(int(ExitCode.INCOMPLETE))
