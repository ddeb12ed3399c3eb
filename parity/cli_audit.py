"""Commands for the nightly audit and its history: audit, history, prune, baseline.

Registered on the main app by parity.cli; kept apart so each module stays small.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

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
    OutputsOpt,
    QuietOpt,
    View,
    choice,
    emit,
    finish,
    handled,
    project_policy,
)

if TYPE_CHECKING:
    from parity.model import Snapshot
    from parity.settings import Settings
    from parity.store.history import History

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Snapshot history: a directory or s3://bucket/prefix (default: settings' "
        "`store`, `.parity/` beside the config).",
        metavar="URL",
    ),
]
EnvsOpt = Annotated[
    list[str] | None,
    typer.Option("--env", "-e", help="Only these environments (repeatable).", metavar="NAME"),
]
BaselineOpt = Annotated[
    str | None,
    typer.Option(
        "--baseline", help="Waive the findings listed in this baseline file.", metavar="FILE"
    ),
]


def history_of(settings: Settings, store: str | None) -> History:
    from parity.store.history import History
    from parity.store.objects import open_store

    return History(open_store(store or settings.store, settings.config_dir))


def gather(
    settings: Settings, env: list[str] | None, *, debug: bool = False, policy: Any = None
) -> dict[str, Snapshot]:
    """Collect every selected environment (progress on stderr)."""
    from parity.errors import ConfigError
    from parity.pipeline import collect_environment, end_progress, gc_paused, stderr_progress
    from parity.secrets import SecretGuard

    if not settings.environments:
        raise ConfigError(
            "no environments configured: looked for --config, PARITY_CONFIG, "
            "./parity.toml and [tool.parity] in ./pyproject.toml",
            hint="create parity.toml (see the README's Configuration section)",
        )
    guard, progress = SecretGuard(), stderr_progress()
    with gc_paused():
        snaps = {
            n: collect_environment(
                settings, n, guard=guard, progress=progress, debug=debug, policy=policy
            )
            for n in settings.select(env)
        }
    end_progress(progress)
    return snaps


def audit(
    config: ConfigOpt = None,
    env: EnvsOpt = None,
    store: StoreOpt = None,
    from_store: Annotated[
        bool,
        typer.Option(
            "--from-store",
            help="Evaluate the latest stored snapshot of each environment (sharded collection).",
        ),
    ] = False,
    format: FormatOpt = None,
    output: OutputsOpt = None,
    fail_on: FailOnOpt = "error",
    fail_on_new: Annotated[
        bool, typer.Option("--fail-on-new", help="Gate only on findings new since the last audit.")
    ] = False,
    allow_incomplete: AllowIncompleteOpt = False,
    baseline: BaselineOpt = None,
    notify: Annotated[
        str | None,
        typer.Option(
            "--notify",
            envvar="PARITY_NOTIFY_URL",
            help="Webhook to POST to when something is new (the URL is treated as a secret).",
            metavar="URL",
        ),
    ] = None,
    notify_format: Annotated[
        str,
        typer.Option("--notify-format", parser=choice(["json", "slack"]), metavar="json|slack"),
    ] = "json",
    keep: Annotated[
        int | None,
        typer.Option("--keep", min=1, help="Keep the newest N snapshots per env.", metavar="N"),
    ] = None,
    keep_days: Annotated[
        int | None,
        typer.Option("--keep-days", min=1, help="Delete snapshots older than D days.", metavar="D"),
    ] = None,
    min_severity: MinSeverityOpt = "info",
    hide_waived: HideWaivedOpt = False,
    no_color: NoColorOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Nightly audit: collect (or read the store), store the snapshots, evaluate, compare with
    the previous audit (new / persisting / resolved), store the report, notify, gate.

    Examples: `parity audit -o audit.json -o audit.sarif --notify $SLACK_HOOK --notify-format
    slack --keep 30`; `parity audit --from-store --store s3://audits/shop --fail-on-new`.
    """
    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    from parity.audit import mark
    from parity.audit import notify as send
    from parity.pipeline import build_report, gc_paused, missing_snapshot
    from parity.reports.json_report import load_report, render_json
    from parity.settings import load_settings

    settings = load_settings(config)
    history = history_of(settings, store)
    policy = project_policy(settings, baseline)
    if from_store:
        snaps = {}
        for name in settings.select(env):
            found = history.latest(name)
            snaps[name] = found or missing_snapshot(name, Path(history.objects.url))
    else:
        snaps = gather(settings, env, debug=debug, policy=policy)
        for snap in snaps.values():
            history.save(snap)
    with gc_paused():
        report = build_report(snaps, settings, settings.reference, policy=policy)
    audits = history.audits()
    previous = load_report(history.read_audit(audits[-1]), audits[-1]) if audits else None
    view.trend = history.trend()
    report = mark(report, previous)
    key = history.save_audit(render_json(report), report.generated_at)
    typer.echo(f"parity: stored audit {history.objects.url}/{key}", err=True)
    if keep or keep_days:
        gone = history.prune(keep, keep_days, datetime.now(UTC))
        if gone:
            typer.echo(f"parity: pruned {len(gone)} old snapshot(s)", err=True)
    if notify:
        problem = send(notify, report, notify_format)
        if problem:
            typer.echo(f"parity: warning: {problem} (the report is stored)", err=True)
    finish(report, policy, view, fail_on, allow_incomplete, fail_on_new)


def history(
    environment: Annotated[
        str, typer.Argument(help="Environment whose snapshots to list.", metavar="ENV")
    ],
    config: ConfigOpt = None,
    store: StoreOpt = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", parser=choice(["table", "json"]), metavar="[table|json]"),
    ] = "table",
    debug: DebugOpt = False,
) -> None:
    """List an environment's stored snapshots, oldest first.

    Example: `parity history production`; then `parity diff production@latest~1 production`.
    """
    import json

    from parity.settings import Settings as Defaults
    from parity.settings import find_config, load_settings

    settings = load_settings(config) if find_config(config) else Defaults()
    entries = history_of(settings, store).entries(environment)
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


def prune(
    config: ConfigOpt = None,
    store: StoreOpt = None,
    keep: Annotated[int | None, typer.Option("--keep", min=1, metavar="N")] = None,
    keep_days: Annotated[int | None, typer.Option("--keep-days", min=1, metavar="D")] = None,
    debug: DebugOpt = False,
) -> None:
    """Delete old snapshots (never the latest of an environment).

    Example: `parity prune --keep 30 --keep-days 90`.
    """
    from parity.errors import ConfigError
    from parity.settings import Settings as Defaults
    from parity.settings import find_config, load_settings

    if keep is None and keep_days is None:
        raise ConfigError("nothing to prune by", hint="give --keep N and/or --keep-days D")
    settings = load_settings(config) if find_config(config) else Defaults()
    gone = history_of(settings, store).prune(keep, keep_days, datetime.now(UTC))
    emit(f"pruned {len(gone)} snapshot(s)\n", None)


def baseline(
    config: ConfigOpt = None,
    env: EnvsOpt = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Baseline file to write.", metavar="FILE")
    ] = Path("parity-baseline.yaml"),
    days: Annotated[
        int, typer.Option("--days", min=1, help="Days until entries expire.", metavar="N")
    ] = 90,
    debug: DebugOpt = False,
) -> None:
    """Write today's unwaived findings as a baseline of waivers to commit; `check` and `audit`
    then honour it (`--baseline FILE`, or `baseline = "FILE"` in parity.toml).

    Example: `parity baseline -o parity-baseline.yaml`, then `parity check --baseline
    parity-baseline.yaml`.
    """
    from parity.baseline import render_baseline
    from parity.pipeline import build_report, gc_paused
    from parity.settings import load_settings

    settings = load_settings(config)
    policy = project_policy(settings)
    snaps = gather(settings, env, debug=debug, policy=policy)
    with gc_paused():
        report = build_report(snaps, settings, settings.reference, policy=policy)
    emit(render_baseline(report, datetime.now(UTC).date(), days), output)
    n = sum(not f.waived for f in report.findings)
    typer.echo(
        f"parity: wrote {output}: {n} finding(s) baselined, expiring in {days} days", err=True
    )
    if not report.complete:
        typer.echo("parity: warning: the audit was incomplete; the baseline may be short", err=True)
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    """Add the commands to the main app."""
    for fn in (audit, history, prune, baseline):
        app.command(fn.__name__, epilog=EXIT_CODES)(handled(fn))
