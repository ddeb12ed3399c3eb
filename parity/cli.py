"""Command line: the pre-deploy gate (`parity check`) and tools around snapshots and reports.

Exit codes (see parity.exitcodes): 0 no unwaived finding at/above --fail-on; 1 such findings;
2 usage or configuration error; 3 audit incomplete (a collector failed; wins over 1 unless
--allow-incomplete); 4 internal error (a bug in parity); 130 interrupted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parity.cli_args import (
    COMMANDS,
    Exit,
    Opt,
    UsageError,
    build_parser,
    choice,
    command,
    parse,
)
from parity.cli_support import (
    ALLOW_INCOMPLETE,
    BASELINE,
    CONFIG,
    DEBUG,
    ENVS,
    FAIL_ON,
    FORMAT,
    HIDE_WAIVED,
    HUMAN_VIEW,
    MIN_SEVERITY,
    NO_COLOR,
    OUTPUT,
    OUTPUTS,
    STORE,
    TABLE_OR_JSON,
    View,
    emit,
    finish,
    handled,
    out,
    project_policy,
    render,
    say,
)
from parity.errors import ParityError
from parity.exitcodes import ExitCode

__all__ = ["COMMANDS", "run"]
SHELLS = ("bash", "zsh", "fish")


@command(
    "check",
    CONFIG,
    ENVS,
    Opt(
        ("--snapshots",), "snapshots", "Use saved snapshots from this directory.", "DIR", parse=Path
    ),
    FORMAT,
    OUTPUTS,
    FAIL_ON,
    ALLOW_INCOMPLETE,
    BASELINE,
    *HUMAN_VIEW,
    DEBUG,
    examples=(
        "parity check                      # table on stdout, exit 1 on errors",
        "parity check -o report.json -o report.sarif --fail-on warning",
        "parity check --snapshots snaps/ -f markdown --min-severity warning",
    ),
)
@handled
def check(
    config: str | None,
    env: list[str] | None,
    snapshots: Path | None,
    format: str | None,
    output: list[Path] | None,
    fail_on: str,
    allow_incomplete: bool,
    baseline: str | None,
    min_severity: str,
    hide_waived: bool,
    no_color: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Pre-deploy gate: collect every environment, evaluate the policy, report, exit."""
    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    from parity.cli_audit import gather
    from parity.pipeline import build_report
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
    report = build_report(snaps, settings, settings.reference, policy=policy)
    finish(report, policy, view, fail_on, allow_incomplete)


@command(
    "snapshot",
    Opt(("ENVIRONMENT",), "environment", "Environment to snapshot.", "ENV"),
    CONFIG,
    OUTPUT,
    DEBUG,
    examples=("parity snapshot production -o snaps/production.json",),
)
@handled
def snapshot(environment: str, config: str | None, output: Path | None, debug: bool) -> None:
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
        say(f"parity: {e.environment}: {e.collector} {e.source}: {e.message}")
    raise Exit(int(ExitCode.INCOMPLETE if snap.errors else ExitCode.OK))


@command(
    "diff",
    Opt(("A",), "reference", "Reference: ENV, ENV@latest~N, ENV@DATE or a file.", "A"),
    Opt(("B",), "other", "Compared: ENV, ENV@latest~N, ENV@DATE or a file.", "B"),
    CONFIG,
    Opt(
        ("--policy",),
        "policy_file",
        "Policy file (default: the project's, else the built-in).",
        "FILE",
        parse=Path,
    ),
    STORE,
    FORMAT,
    OUTPUTS,
    FAIL_ON,
    ALLOW_INCOMPLETE,
    *HUMAN_VIEW,
    DEBUG,
    examples=(
        "parity diff production staging",
        "parity diff snaps/prod.json snaps/stg.json --policy policy.yaml -f markdown",
        "parity diff production@latest~1 production   # what changed since the last snapshot",
        "parity diff production@2026-11-20 production",
    ),
)
@handled
def diff(
    reference: str,
    other: str,
    config: str | None,
    policy_file: Path | None,
    store: str | None,
    format: str | None,
    output: list[Path] | None,
    fail_on: str,
    allow_incomplete: bool,
    min_severity: str,
    hide_waived: bool,
    no_color: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Compare two environments, snapshot files or stored snapshots; the first is the
    reference."""
    view = View(format, output, min_severity, hide_waived, no_color, quiet)
    from parity.pipeline import build_report, collect_environment
    from parity.settings import Settings, find_config, load_settings
    from parity.store import load_snapshot

    def is_file(x: str) -> bool:  # a FIFO or device named *.json is refused when read
        return x.endswith(".json") and Path(x).exists()

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


@command(
    "report",
    Opt(("FILE",), "file", "A JSON report written by parity check.", "FILE", parse=Path),
    FORMAT,
    OUTPUT,
    MIN_SEVERITY,
    HIDE_WAIVED,
    NO_COLOR,
    DEBUG,
    examples=("parity report report.json -f markdown -o summary.md",),
)
@handled
def report(
    file: Path,
    format: str | None,
    output: Path | None,
    min_severity: str,
    hide_waived: bool,
    no_color: bool,
    debug: bool,
) -> None:
    """Re-render a saved JSON report in another format."""
    view = View(format, output, min_severity, hide_waived, no_color)
    from parity.errors import SnapshotError
    from parity.inputs import read_input
    from parity.reports.json_report import load_report

    text = read_input(file, "report", error=SnapshotError)
    emit(render(load_report(text, str(file)), view), output)


@command("rules", CONFIG, TABLE_OR_JSON, DEBUG, examples=("parity rules -f json",))
@handled
def rules(config: str | None, format: str, debug: bool) -> None:
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


@command(
    "iam-policy",
    Opt(("--env", "-e"), "env", "Only this environment's sources.", "NAME"),
    CONFIG,
    DEBUG,
    examples=("parity iam-policy -e production > parity-readonly.json",),
)
@handled
def iam_policy(env: str | None, config: str | None, debug: bool) -> None:
    """Print the least-privilege IAM policy for the configured aws-* sources."""
    import json

    from parity.collectors.aws._iam import iam_policy as build
    from parity.settings import load_settings

    emit(json.dumps(build(load_settings(config), env), indent=2) + "\n", None)


@command("schema", DEBUG, examples=("parity schema > parity-report.schema.json",))
@handled
def schema(debug: bool) -> None:
    """Print the JSON Schema of the JSON report."""
    from parity.reports.json_report import report_schema

    emit(report_schema(), None)


@command(
    "init",
    Opt(
        ("DIR",),
        "directory",
        "Repository to scan (default: the current directory).",
        "DIR",
        default=Path("."),
        parse=Path,
        optional=True,
    ),
    Opt(("--force",), "force", "Overwrite an existing parity.toml.", flag=True),
    DEBUG,
    examples=("parity init && parity check",),
)
@handled
def init(directory: Path, force: bool, debug: bool) -> None:
    """Scaffold a commented, valid parity.toml from the repository's per-environment files."""
    from parity.errors import ConfigError
    from parity.scaffold import render as scaffold
    from parity.scaffold import scan

    target = directory / "parity.toml"
    if target.exists() and not force:
        raise ConfigError(f"{target} exists", hint="use --force to overwrite it")
    found = scan(directory)
    emit(scaffold(directory, found), target)
    envs = sorted({f.env for f in found})
    say(
        f"parity: wrote {target}: {len(found)} source file(s) in "
        f"{len(envs)} environment(s) ({', '.join(envs) or 'none found'})"
    )


@command(
    "completion",
    Opt(
        ("SHELL",),
        "shell",
        "bash, zsh or fish.",
        "SHELL",
        parse=choice(SHELLS),
        choices=SHELLS,
    ),
    examples=(
        'eval "$(parity completion bash)"          # in ~/.bashrc',
        'eval "$(parity completion zsh)"           # in ~/.zshrc',
        "parity completion fish > ~/.config/fish/completions/parity.fish",
    ),
)
@handled
def completion(shell: str) -> None:
    """Print the shell-completion script for commands, options and their values."""
    from parity.completion import script

    out(script(shell, COMMANDS))


# The nightly-audit commands, registered after the gate's so help lists them in that order.
from parity import cli_audit  # noqa: E402, F401


def run(argv: Sequence[str]) -> int:
    """Parse and run one command line; the exit code. A usage error is one line on stderr and
    exit 2 (no usage dump): `parity: error: unrecognized arguments: --bogus (see parity check
    -h)`; a bare `parity` prints the help and exits 2."""
    try:
        parsed = parse(argv)
    except UsageError as error:
        say(f"parity: error: {error.message} (see {error.prog} -h)")
        return int(ExitCode.USAGE)
    except SystemExit as done:  # -h and --version printed
        return done.code if isinstance(done.code, int) else 0
    if parsed is None:  # a bare `parity`: the help, and exit 2 whether or not it was shown
        try:
            out(build_parser().format_help())
        except ParityError as e:
            say(f"parity: error: {e}")
        return int(ExitCode.USAGE)
    cmd, kwargs = parsed
    try:
        cmd.run(**kwargs)
    except Exit as leave:
        return leave.code
    except KeyboardInterrupt:
        say("parity: interrupted")
        return int(ExitCode.INTERRUPTED)
    return 0
