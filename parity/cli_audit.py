"""Commands for the nightly audit and its history: audit, history, prune, baseline.

Registered on the main app by parity.cli; kept apart so each module stays small.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parity.cli_args import Exit, Opt, at_least, choice, command
from parity.cli_support import (
    ALLOW_INCOMPLETE,
    BASELINE,
    CONFIG,
    DEBUG,
    ENVS,
    FAIL_ON,
    FORMAT,
    HUMAN_VIEW,
    OUTPUTS,
    STORE,
    TABLE_OR_JSON,
    View,
    emit,
    finish,
    handled,
    project_policy,
    say,
)


def _webhook_url(value: str) -> str:
    from parity.audit import webhook_url

    return webhook_url(value)


if TYPE_CHECKING:
    from parity.model import Snapshot
    from parity.settings import Settings
    from parity.store.history import History

KEEP = Opt(("--keep",), "keep", "Keep the newest N snapshots per env.", "N", parse=at_least(1))
KEEP_DAYS = Opt(
    ("--keep-days",), "keep_days", "Delete snapshots older than D days.", "D", parse=at_least(1)
)


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


@command(
    "audit",
    CONFIG,
    ENVS,
    STORE,
    Opt(
        ("--from-store",),
        "from_store",
        "Evaluate the latest stored snapshot of each environment (sharded collection).",
        flag=True,
    ),
    FORMAT,
    OUTPUTS,
    FAIL_ON,
    Opt(
        ("--fail-on-new",),
        "fail_on_new",
        "Gate only on findings new since the last audit.",
        flag=True,
    ),
    ALLOW_INCOMPLETE,
    BASELINE,
    Opt(
        ("--notify",),
        "notify",
        "Webhook to POST to when something is new (the URL is treated as a secret; default: "
        "PARITY_NOTIFY_URL).",
        "URL",
        envvar="PARITY_NOTIFY_URL",
        parse=_webhook_url,
    ),
    Opt(
        ("--notify-format",),
        "notify_format",
        "Webhook payload.",
        "json|slack",
        default="json",
        parse=choice(["json", "slack"]),
        choices=("json", "slack"),
    ),
    KEEP,
    KEEP_DAYS,
    *HUMAN_VIEW,
    DEBUG,
    examples=(
        "parity audit -o audit.json -o audit.sarif --keep 30",
        "parity audit --notify $SLACK_HOOK --notify-format slack",
        "parity audit --from-store --store s3://audits/shop --fail-on-new",
    ),
)
@handled
def audit(
    config: str | None,
    env: list[str] | None,
    store: str | None,
    from_store: bool,
    format: str | None,
    output: list[Path] | None,
    fail_on: str,
    fail_on_new: bool,
    allow_incomplete: bool,
    baseline: str | None,
    notify: str | None,
    notify_format: str,
    keep: int | None,
    keep_days: int | None,
    min_severity: str,
    hide_waived: bool,
    no_color: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Nightly audit: collect, store, evaluate, compare with the last audit, notify, gate.

    Collects every environment (or, with --from-store, reads the latest stored snapshots),
    stores the snapshots, evaluates the policy, marks each finding new / persisting / resolved
    against the previous audit, stores the report, notifies a webhook when something is new,
    and exits like `check` (or, with --fail-on-new, only on what is new)."""
    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    from parity.audit import mark
    from parity.audit import notify as send
    from parity.pipeline import build_report, missing_snapshot
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
    report = build_report(snaps, settings, settings.reference, policy=policy)
    audits = history.audits()
    previous = load_report(history.read_audit(audits[-1]), audits[-1]) if audits else None
    view.trend = history.trend()
    report = mark(report, previous)
    key = history.save_audit(render_json(report), report.generated_at)
    say(f"parity: stored audit {history.objects.url}/{key}")
    if keep or keep_days:
        gone = history.prune(keep, keep_days, datetime.now(UTC))
        if gone:
            say(f"parity: pruned {len(gone)} old snapshot(s)")
    if notify:
        problem = send(notify, report, notify_format)
        if problem:
            say(f"parity: warning: {problem} (the report is stored)")
    finish(report, policy, view, fail_on, allow_incomplete, fail_on_new)


@command(
    "history",
    Opt(("ENV",), "environment", "Environment whose snapshots to list.", "ENV"),
    CONFIG,
    STORE,
    TABLE_OR_JSON,
    DEBUG,
    examples=("parity history production", "parity diff production@latest~1 production"),
)
@handled
def history(
    environment: str, config: str | None, store: str | None, format: str, debug: bool
) -> None:
    """List an environment's stored snapshots, oldest first."""
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


@command(
    "prune",
    CONFIG,
    STORE,
    KEEP,
    KEEP_DAYS,
    DEBUG,
    examples=("parity prune --keep 30 --keep-days 90",),
)
@handled
def prune(
    config: str | None, store: str | None, keep: int | None, keep_days: int | None, debug: bool
) -> None:
    """Delete old snapshots (never the latest of an environment)."""
    from parity.errors import ConfigError
    from parity.settings import Settings as Defaults
    from parity.settings import find_config, load_settings

    if keep is None and keep_days is None:
        raise ConfigError("nothing to prune by", hint="give --keep N and/or --keep-days D")
    settings = load_settings(config) if find_config(config) else Defaults()
    gone = history_of(settings, store).prune(keep, keep_days, datetime.now(UTC))
    emit(f"pruned {len(gone)} snapshot(s)\n", None)


@command(
    "baseline",
    CONFIG,
    ENVS,
    Opt(
        ("--output", "-o"),
        "output",
        "Baseline file to write (default: parity-baseline.yaml).",
        "FILE",
        default=Path("parity-baseline.yaml"),
        parse=Path,
    ),
    Opt(
        ("--days",),
        "days",
        "Days until entries expire (default: 90).",
        "N",
        default=90,
        parse=at_least(1),
    ),
    DEBUG,
    examples=(
        "parity baseline -o parity-baseline.yaml",
        "parity check --baseline parity-baseline.yaml",
    ),
)
@handled
def baseline(
    config: str | None, env: list[str] | None, output: Path, days: int, debug: bool
) -> None:
    """Write today's unwaived findings as a baseline of waivers to commit.

    `check` and `audit` then honour it (`--baseline FILE`, or `baseline = "FILE"` in
    parity.toml); each entry expires after --days."""
    from parity.baseline import render_baseline
    from parity.pipeline import build_report
    from parity.settings import load_settings

    settings = load_settings(config)
    policy = project_policy(settings)
    snaps = gather(settings, env, debug=debug, policy=policy)
    report = build_report(snaps, settings, settings.reference, policy=policy)
    emit(render_baseline(report, datetime.now(UTC).date(), days), output)
    n = sum(not f.waived for f in report.findings)
    say(f"parity: wrote {output}: {n} finding(s) baselined, expiring in {days} days")
    if not report.complete:
        say("parity: warning: the audit was incomplete; the baseline may be short")
        raise Exit(3)
