"""What each command does: settings and options in, a result out (see parity.app)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parity.errors import ConfigError

if TYPE_CHECKING:
    from parity.app.collect import Progress
    from parity.model import Snapshot
    from parity.model.findings import Report
    from parity.policies.model import Policy
    from parity.settings import Settings
    from parity.store.history import History


@dataclass(frozen=True)
class Result:
    """A report and the policy it was evaluated under (formatters need the rule specs), and
    the snapshots it compared (for views of the records themselves: the matrix)."""

    report: Report
    policy: Policy
    snapshots: dict[str, Snapshot] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditResult(Result):
    """An audit: the marked report, where it was stored, what was pruned and notified."""

    stored: str = ""
    pruned: int = 0
    notify_problem: str | None = None
    trend: tuple[tuple[str, str, float], ...] = field(default_factory=tuple)


def project_policy(settings: Settings, baseline: str | None = None) -> Policy:
    """The built-in pack, the project's policy file and the baseline's waivers."""
    from parity.app.pipeline import project_policy as build

    return build(settings, baseline)


def gather(
    settings: Settings,
    env: list[str] | None = None,
    *,
    debug: bool = False,
    policy: Policy | None = None,
    progress: Progress | None = None,
) -> dict[str, Snapshot]:
    """Collect the selected environments (the reference first), one snapshot each, with one
    fingerprint key for all of them."""
    from parity.app.collect import collect_environments, gc_paused
    from parity.secrets.guard import SecretGuard

    if not settings.environments:
        raise ConfigError(
            "no environments configured: looked for --config, PARITY_CONFIG, "
            "./parity.toml and [tool.parity] in ./pyproject.toml",
            hint="run `parity init` to scaffold a parity.toml from the repository",
        )
    if not any(e.sources for e in settings.environments.values()):
        raise ConfigError(
            f"{settings.config_file}: no environment has a source to collect",
            hint="run `parity init` to scaffold sources from the repository's files",
        )
    with gc_paused():
        return collect_environments(
            settings,
            settings.select(env),
            guard=SecretGuard(),
            progress=progress,
            debug=debug,
            policy=policy,
        )


def run_check(
    settings: Settings,
    *,
    env: list[str] | None = None,
    snapshots: Path | None = None,
    baseline: str | None = None,
    debug: bool = False,
    progress: Progress | None = None,
) -> Result:
    """The gate: collect every environment (or read saved snapshots), evaluate, report."""
    from parity.app.pipeline import build_report, missing_snapshot
    from parity.store import load_directory

    policy = project_policy(settings, baseline)
    if snapshots is not None:
        snaps = load_directory(snapshots)
        wanted = settings.select(env) if settings.environments else list(snaps)
        if env and not settings.environments:
            wanted = [n for n in snaps if n in env or n == settings.reference]
        for name in wanted:  # a configured environment without a snapshot is not a pass
            snaps.setdefault(name, missing_snapshot(name, snapshots))
        snaps = {k: v for k, v in snaps.items() if k in wanted}
    else:
        snaps = gather(settings, env, debug=debug, policy=policy, progress=progress)
    report = build_report(snaps, settings, settings.reference, policy=policy)
    return Result(report, policy, snaps)


def run_snapshot(
    settings: Settings, environment: str, *, debug: bool = False, progress: Progress | None = None
) -> Snapshot:
    """One environment's snapshot (its failed sources are data in it)."""
    from parity.app.collect import collect_environment, gc_paused

    with gc_paused():
        return collect_environment(settings, environment, progress=progress, debug=debug)


def history_of(settings: Settings, store: str | None = None) -> History:
    """The snapshot history: `--store`, else the settings' store."""
    from parity.store.history import History
    from parity.store.objects import open_store

    return History(open_store(store or settings.store, settings.config_dir))


def _snapshot_file(x: str) -> bool:  # a FIFO or device named *.json is refused when read
    return x.endswith(".json") and Path(x).exists()


def _stored(x: str) -> bool:
    return "@" in x and not _snapshot_file(x)


def needs_config(reference: str, other: str) -> bool:
    """Whether a diff names a configured environment (else files and stored snapshots do)."""
    return not all(_snapshot_file(x) or _stored(x) for x in (reference, other))


def run_diff(
    settings: Settings,
    reference: str,
    other: str,
    *,
    policy_file: Path | None = None,
    store: str | None = None,
    debug: bool = False,
) -> Result:
    """B against A; each an environment, a snapshot file or a stored snapshot
    (`production@latest~1`): an environment against its own past is allowed."""
    from parity.app.collect import collect_environment
    from parity.app.pipeline import build_report
    from parity.store import load_snapshot

    def get(x: str) -> Snapshot:
        if _snapshot_file(x):
            return load_snapshot(Path(x))
        if _stored(x):
            return history_of(settings, store).resolve(x)
        return collect_environment(settings, x, debug=debug)

    a, b = get(reference), get(other)
    if a.environment == b.environment:
        if not (_stored(reference) or _stored(other)):
            raise ConfigError(
                f"both sides are environment {a.environment!r}; compare two different ones, "
                f"or one with its past ({a.environment}@latest~1)"
            )
        # One environment against its own past: the sides are told apart by when.
        a = a.model_copy(
            update={"environment": reference if _stored(reference) else f"{a.environment}@now"}
        )
        b = b.model_copy(
            update={"environment": other if _stored(other) else f"{b.environment}@now"}
        )
    if policy_file is not None:
        from parity.policies import load_policy

        settings = settings.model_copy(update={"policy": str(policy_file.resolve())})
        policy = load_policy(policy_file)
    else:
        policy = project_policy(settings)
    snaps = {a.environment: a, b.environment: b}
    report = build_report(snaps, settings, a.environment, policy=policy)
    return Result(report, policy, snaps)


def files_settings(
    paths: list[Path], *, type_: str | None = None, name: str | None = None
) -> Settings:
    """Settings for a config-less `parity diff .env.production .env.staging`: one environment
    per file (or directory of files of one shape), named for the environment its name names
    (else the file), the first the reference; each file's type inferred as `parity init`
    infers it unless `type_` says."""
    from parity.app.scaffold import kind_of
    from parity.settings import Settings, validate_sources

    environments: dict[str, Any] = {}
    for path, env in zip(paths, _env_names(paths), strict=True):
        if path.is_dir() and kind_of(path) is None:
            files = sorted(p for p in path.rglob("*") if p.is_file() and kind_of(p))
            sources = [_file_source(p, type_, str(p.relative_to(path))) for p in files]
            if not sources:
                raise ConfigError(f"{path} holds no file parity can read", hint="give --type")
        else:
            sources = [_file_source(path, type_, name or "file")]
        environments[env] = {"sources": sources}
    reference = next(iter(environments))
    environments[reference]["production_like"] = True  # the first file is what others match
    settings = Settings(
        reference=reference,
        environments=environments,
        config_dir=Path.cwd(),
        config_file="<command line>",
    )
    validate_sources(settings, "command line")
    return settings


def _env_names(paths: list[Path]) -> list[str]:
    """Environment names for plain files: the environment their paths name (`.env.staging`,
    `prod/values.yaml`) when that tells them apart, else the shortest tail of their paths that
    does (`a/config.yaml`, `b/config.yaml` → `a`, `b`: a common file name says nothing)."""
    from parity.app.scaffold import env_of

    named = [next((e for part in reversed(p.parts) if (e := env_of(part))), None) for p in paths]
    if all(named) and len(set(named)) == len(named):
        return [n for n in named if n]
    same_file = len({p.name for p in paths}) == 1
    parts = [p.parts[:-1] if same_file and len(p.parts) > 1 else p.parts for p in paths]
    for depth in range(1, max(len(x) for x in parts) + 1):
        names = ["/".join(x[-depth:]) for x in parts]
        if len(set(names)) == len(names):
            return names
    return [str(p) for p in paths]


def _file_source(path: Path, type_: str | None, name: str) -> dict[str, Any]:
    from parity.app.scaffold import kind_of

    kind = type_ or kind_of(path)
    if kind is None:
        raise ConfigError(
            f"cannot tell what kind of file {path} is",
            hint="give --type (dotenv, config-file, k8s, compose, python-deps, node-deps, sql)",
        )
    where = str(path.resolve())
    if kind == "sql":
        return {"type": kind, "dsn": f"sqlite:///{where}", "name": name}
    return {"type": kind, "path": where, "name": name}


def run_files(
    paths: list[Path], *, type_: str | None = None, name: str | None = None, debug: bool = False
) -> Result:
    """Compare plain files (or directories of files) without a parity.toml."""
    settings = files_settings(paths, type_=type_, name=name)
    return run_check(settings, debug=debug)


def run_audit(
    settings: Settings,
    *,
    env: list[str] | None = None,
    store: str | None = None,
    from_store: bool = False,
    baseline: str | None = None,
    keep: int | None = None,
    keep_days: int | None = None,
    notify: str | None = None,
    notify_format: str = "json",
    debug: bool = False,
    progress: Progress | None = None,
) -> AuditResult:
    """The nightly audit: collect (or read the latest stored snapshots), store, evaluate, mark
    each finding new / persisting / resolved against the previous audit, store the report,
    prune, notify a webhook when something is new."""
    from parity.app.audit import mark
    from parity.app.audit import notify as send
    from parity.app.pipeline import build_report, missing_snapshot
    from parity.reports.json_report import load_report, render_json

    history = history_of(settings, store)
    policy = project_policy(settings, baseline)
    snaps: dict[str, Any]
    if from_store:
        snaps = {}
        for name in settings.select(env):
            found = history.latest(name)
            snaps[name] = found or missing_snapshot(name, Path(history.objects.url))
    else:
        snaps = gather(settings, env, debug=debug, policy=policy, progress=progress)
        for snap in snaps.values():
            history.save(snap)
    report = build_report(snaps, settings, settings.reference, policy=policy)
    audits = history.audits()
    previous = load_report(history.read_audit(audits[-1]), audits[-1]) if audits else None
    trend = history.trend()
    report = mark(report, previous)
    key = history.save_audit(render_json(report), report.generated_at)
    pruned = 0
    if keep or keep_days:
        pruned = len(history.prune(keep, keep_days, datetime.now(UTC)))
    problem = send(notify, report, notify_format) if notify else None
    return AuditResult(
        report,
        policy,
        snaps,
        stored=f"{history.objects.url}/{key}",
        pruned=pruned,
        notify_problem=problem,
        trend=trend,
    )


def run_baseline(
    settings: Settings, *, env: list[str] | None = None, days: int = 90, debug: bool = False
) -> tuple[str, Report]:
    """Today's unwaived findings as a versioned baseline file's text, and the report."""
    from parity.app.baseline import render_baseline
    from parity.app.pipeline import build_report

    policy = project_policy(settings)
    snaps = gather(settings, env, debug=debug, policy=policy)
    report = build_report(snaps, settings, settings.reference, policy=policy)
    return render_baseline(report, datetime.now(UTC).date(), days), report
