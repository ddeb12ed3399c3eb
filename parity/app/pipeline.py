"""The pipeline after collection (parity.app.collect): the project's policy, production roles,
evaluation, the report; and progress on stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from parity import __version__
from parity.align.normalize import EnvNormalizer
from parity.app.collect import Progress, gc_paused
from parity.errors import ConfigError
from parity.model import (
    CollectionError,
    Snapshot,
)
from parity.model.findings import Report, Severity, Summary, ToolInfo
from parity.policies.scoring import score
from parity.settings import Settings

if TYPE_CHECKING:
    from parity.policies.model import Policy


def missing_snapshot(environment: str, directory: object) -> Snapshot:
    """A stand-in for an environment whose snapshot is absent: an incomplete audit (exit 3)."""
    return Snapshot(
        environment=environment,
        collected_at=datetime.now(UTC).replace(microsecond=0),
        parity_version=__version__,
        errors=(
            CollectionError(
                environment=environment,
                collector="snapshot",
                source=f"{directory}",
                message=f"no snapshot of {environment} in {directory}",
                hint=f"run `parity snapshot {environment} -o {directory}/{environment}.json`, "
                "or narrow the run with --env",
            ),
        ),
    )


def project_policy(settings: Settings, baseline: str | None = None) -> Policy:
    """The built-in pack with the project's policy file merged in, and the baseline's waivers
    (`--baseline`, else the settings' `baseline`) added."""
    from parity.policies import check_environments, load_policy

    path = settings.resolve_path(settings.policy) if settings.policy else None
    limit = int(settings.max_file_mb * 1024 * 1024)
    policy = load_policy(path, limit)
    check_environments(policy, settings.environments, str(path or "policy"))
    chosen = baseline or settings.baseline
    if chosen:
        from parity.app.baseline import load_baseline

        waivers = load_baseline(settings.resolve_path(chosen), limit)
        policy = policy.model_copy(update={"waivers": [*policy.waivers, *waivers]})
    return policy


def production_roles(
    settings: Settings, policy: Policy, envs: list[str], reference: str
) -> tuple[dict[str, bool], list[str]]:
    """Per env: the settings' explicit role, else the policy's name globs. The reference is
    production-like unless configured otherwise: audits compare against production, and a
    reference named after a datacenter (`eqiad`) must not make its peers' shared credentials
    look like a staging leak. Returns the roles and warnings about the choice."""
    roles, warnings = {}, []
    for env in envs:
        name = env.split("@", 1)[0]  # `production@latest~1`: production's past has its role
        cfg = settings.environments.get(name)
        explicit = cfg.production_like if cfg else None
        roles[env] = explicit if explicit is not None else policy.is_production_like(name)
        if env == reference and explicit is None and not roles[env]:
            roles[env] = True
            warnings.append(
                f"reference {env!r} matches no production_like pattern; treating it as "
                "production-like (set production_like = false on it, or add it to the "
                "policy's production_like, to silence this)"
            )
    return roles, warnings


@gc_paused()  # every caller wants it: evaluation allocates many acyclic objects
def build_report(
    snapshots: dict[str, Snapshot],
    settings: Settings,
    reference: str,
    *,
    policy: Policy | None = None,
    now: datetime | None = None,
) -> Report:
    """Evaluate the policy over snapshots (reference first) and assemble the report."""
    from parity.policies.engine import evaluate, group_findings

    if reference not in snapshots:
        raise ConfigError(f"reference environment {reference!r} has no snapshot")
    policy = policy or project_policy(settings)
    ordered = {reference: snapshots[reference]}
    ordered.update({k: v for k, v in snapshots.items() if k != reference})
    envs = list(ordered)
    now = now or datetime.now(UTC).replace(microsecond=0)
    normalizer = EnvNormalizer(envs, settings.env_aliases(), policy.stop_words)
    roles, warnings = production_roles(settings, policy, envs, reference)
    ev = evaluate(
        ordered,
        reference,
        policy,
        normalizer,
        roles,
        now.date() if isinstance(now, datetime) else date.today(),
    )
    if ev.key_mismatch:
        raise _key_mismatch(ordered, reference, ev.key_mismatch)
    sources = {env: len(s.sources) for env, s in ordered.items()}
    scores = score(ev.findings, envs, reference, ev.pairs, ev.indexes, sources, policy.weights)
    active = [f for f in ev.findings if not f.waived]
    summary = Summary(
        total=len(ev.findings),
        unwaived=len(active),
        waived=len(ev.findings) - len(active),
        by_severity={s.value: sum(1 for f in active if f.severity == s) for s in Severity},
        by_environment={e: sum(1 for f in active if f.environment == e) for e in envs},
        by_rule={
            r: n
            for r in sorted({f.rule for f in active})
            if (n := sum(1 for f in active if f.rule == r))
        },
    )
    return Report(
        tool=ToolInfo(version=__version__),
        generated_at=now,
        reference=reference,
        environments=envs,
        policy=settings.policy or "built-in pack",
        complete=all(s.complete for s in ordered.values()),
        score=scores,
        findings=ev.findings,
        groups=group_findings(ev.findings),
        warnings=warnings,
        identities=ev.identities,
        errors=[e for s in ordered.values() for e in s.errors],
        summary=summary,
    )


def _key_mismatch(
    snapshots: Mapping[str, Snapshot], reference: str, mismatch: Mapping[str, set[str]]
) -> ConfigError:
    """Snapshots fingerprinted under different keys cannot be compared for shared secrets:
    a usage problem to fix (one key for all), not an incomplete audit to retry."""
    from parity.secrets.guard import key_ids

    ref = ", ".join(sorted(key_ids(snapshots[reference].records)))
    others = "; ".join(f"{env} with key {', '.join(sorted(ids))}" for env, ids in mismatch.items())
    return ConfigError(
        f"secret fingerprints were made with different keys: {reference} with key {ref}; "
        f"{others}; shared secrets cannot be compared across keys",
        hint="collect every environment with the same key (PARITY_FINGERPRINT_KEY or "
        "PARITY_FINGERPRINT_KEY_FILE), re-collecting the snapshots made with another",
    )


def stderr_progress() -> Progress | None:
    """Progress only when a person is watching: one line on stderr, rewritten in place (and
    cleared by `end_progress`), nothing at all when stderr is piped."""
    if not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        return None  # piped, or a terminal that cannot rewrite a line

    def show(msg: str) -> None:
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns - 1
        sys.stderr.write("\r\x1b[2K" + f"parity: {msg}"[:width])
        sys.stderr.flush()

    return show


def end_progress(progress: Progress | None) -> None:
    """Clear the progress line before the report is written."""
    if progress is not None:
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()
