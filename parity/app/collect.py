"""Collection: every source of every selected environment, concurrently, into snapshots.

Environments, and the sources inside an environment, are independent, and live sources (AWS,
SQL, Docker, S3 state) spend their time waiting on the network: they run in one bounded thread
pool (`workers` in parity.toml, default 8). Everything a person or a tool sees stays
deterministic — each snapshot lists its sources, records, errors and notices in the
configured order — and progress says each source as it finishes. A failure in one source
fails only that source (a `collector-failed` finding); a configuration error or Ctrl-C stops
them all.
"""

from __future__ import annotations

import gc
import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from parity import __version__
from parity.errors import CollectorError, ConfigError, ParseError
from parity.model import (
    CollectionError,
    ConfigEntry,
    Notice,
    Record,
    RefBackend,
    Snapshot,
    SourceInfo,
    record_groups,
)
from parity.secrets.guard import SecretGuard
from parity.settings import Settings, expand_vars

if TYPE_CHECKING:
    from parity.collectors.interface import Collector, CollectorResult
    from parity.policies.model import Policy

Progress = Callable[[str], None]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: records are acyclic, and GC passes over millions of them halve
    collection speed for nothing (reference counting still frees everything)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Source:
    """One configured source, ready to run, and what running it gave."""

    env: str
    index: int
    type: str
    collector: Collector[Any]
    location: str
    hidden: dict[str, str]
    result: CollectorResult | None = None
    failure: tuple[str, str | None] | None = None  # (message, hint)
    seconds: float = 0.0


@dataclass
class _Plan:
    """One environment's sources, in the configured order."""

    env: str
    started: datetime
    sources: list[_Source] = field(default_factory=list)


def _plan(settings: Settings, env_name: str, guard: SecretGuard, policy: Policy) -> _Plan:
    """Build every collector of one environment (options validated, nothing read yet)."""
    from parity.collectors import get_collector
    from parity.collectors.interface import CollectContext

    env = settings.environment(env_name)
    ctx = CollectContext(
        env_name,
        settings.config_dir,
        guard,
        connections=env.connections,
        list_keys=policy.list_keys,
        root=settings.resolve_path(settings.root) if settings.root else None,
        max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
    )
    plan = _Plan(env_name, datetime.now(UTC).replace(microsecond=0))
    for i, src in enumerate(env.sources):
        where = f"environments.{env_name}.sources[{i}]"
        cls = get_collector(src.type)
        options = cls.Options(**expand_vars(src.options, f"{settings.config_file}: {where}"))
        hidden = expansions(src.options)
        collector = cls(options, ctx)
        location = unexpand(collector.location(), hidden) or collector.type_name
        plan.sources.append(_Source(env_name, i, src.type, collector, location, hidden))
    return plan


def _run(source: _Source, debug: bool) -> _Source:
    """Run one source: its result, or why it failed (never raised, but for configuration
    errors, which stop everything, and bugs under --debug)."""
    began = time.perf_counter()
    try:
        source.result = source.collector.run()
    except (CollectorError, ParseError) as e:
        message = unexpand(e.message, source.hidden) or e.message
        source.failure = (message, unexpand(e.hint, source.hidden))
    except ConfigError:
        raise  # a configuration problem (the fingerprint key file, an option): exit 2
    except Exception as e:  # fail closed: a collector bug must never pass the gate
        if debug:
            raise
        source.failure = (
            f"internal error ({type(e).__name__}) in the {source.type} collector",
            "re-run with --debug for a traceback and report it",
        )
    source.seconds = time.perf_counter() - began
    return source


def collect_environments(
    settings: Settings,
    names: list[str],
    *,
    guard: SecretGuard | None = None,
    progress: Progress | None = None,
    debug: bool = False,
    policy: Policy | None = None,
    workers: int | None = None,
) -> dict[str, Snapshot]:
    """Every source of the named environments, run concurrently; a snapshot per environment
    in `names` order. The policy is consulted for how to read structure (list identities),
    never for verdicts."""
    from parity.app.pipeline import project_policy

    guard = guard or SecretGuard()
    policy = policy or project_policy(settings)
    plans = [_plan(settings, name, guard, policy) for name in names]
    pending = [s for p in plans for s in p.sources]
    size = max(1, min(workers or settings.workers, len(pending) or 1))
    pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="parity-collect")
    try:
        futures: list[Future[_Source]] = [pool.submit(_run, s, debug) for s in pending]
        for done, future in enumerate(as_completed(futures), 1):
            s = future.result()  # a ConfigError (or a bug under --debug) stops everything
            if progress:
                state = "failed" if s.failure else f"{s.seconds:.1f} s"
                progress(f"[{done}/{len(futures)}] {s.env}: {s.type} ({s.location}) {state}")
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: stop starting sources
        raise
    pool.shutdown(wait=True)
    return {p.env: _snapshot(p) for p in plans}


def collect_environment(
    settings: Settings,
    env_name: str,
    *,
    guard: SecretGuard | None = None,
    progress: Progress | None = None,
    debug: bool = False,
    policy: Policy | None = None,
) -> Snapshot:
    """One environment's snapshot (its sources run concurrently); a failing source becomes
    a CollectionError in it."""
    return collect_environments(
        settings, [env_name], guard=guard, progress=progress, debug=debug, policy=policy
    )[env_name]


def _snapshot(plan: _Plan) -> Snapshot:
    """The environment's snapshot, its parts in the configured order of its sources."""
    records: list[Record] = []
    errors: list[CollectionError] = []
    notices: list[Notice] = []
    sources: list[SourceInfo] = []
    for s in plan.sources:
        info = SourceInfo(type=s.type, name=s.collector.scope, location=s.location)
        if s.result is None:
            message, hint = s.failure or ("not run", None)
            errors.append(
                CollectionError(
                    environment=plan.env,
                    collector=s.type,
                    source=f"{s.collector.scope} ({s.location})",
                    scope=s.collector.scope,
                    message=message,
                    hint=hint,
                )
            )
            sources.append(info)
            continue
        result = s.result
        if s.hidden:
            result.records[:] = [unexpand_record(r, s.hidden) for r in result.records]
        records.extend(result.records)
        sources.append(info.model_copy(update={"groups": record_groups(result.records)}))
        notices.extend(result.notices)
        for sub_scope, err in result.partial:
            errors.append(
                CollectionError(
                    environment=plan.env,
                    collector=s.type,
                    source=f"{sub_scope} ({s.location})",
                    scope=sub_scope,
                    message=unexpand(err.message, s.hidden) or err.message,
                    hint=unexpand(err.hint, s.hidden),
                )
            )
    return Snapshot(
        environment=plan.env,
        collected_at=plan.started,
        parity_version=__version__,
        sources=tuple(sources),
        records=tuple(resolve_env_refs(records)),
        errors=tuple(errors),
        notices=tuple(notices),
    )


def expansions(options: object) -> dict[str, str]:
    """Values that `${VAR}` in a source's options expanded to, mapped back to `${VAR}`: a
    token in `path = "${TOK}.env"` must never be echoed (a location, an error, a record's
    source all show `${TOK}.env`)."""
    out: dict[str, str] = {}
    if isinstance(options, str):
        for name in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", options):
            value = os.environ.get(name, "")
            if len(value) >= 3:
                out[value] = "${" + name + "}"
    elif isinstance(options, list | tuple):
        for v in options:
            out.update(expansions(v))
    elif isinstance(options, dict):
        for v in options.values():
            out.update(expansions(v))
    return out


def unexpand(text: str | None, hidden: dict[str, str]) -> str | None:
    """text with expanded values shown as the `${VAR}` they came from (longest first)."""
    if not text or not hidden:
        return text
    for value in sorted(hidden, key=len, reverse=True):
        if value in text:
            text = text.replace(value, hidden[value])
    return text


def unexpand_record(record: Record, hidden: dict[str, str]) -> Record:
    source = record.source
    if any(v in source for v in hidden):
        return record._replace(source=unexpand(source, hidden) or source)
    return record


def resolve_env_refs(records: list[Record]) -> list[Record]:
    """Keys an environment variable supplies at run time (node-config's env map) take the
    variable's value where another source of the same environment sets it (a `.env`, the
    process environment, a container's env): that is the value the process sees."""
    refs = [
        i
        for i, r in enumerate(records)
        if isinstance(r, ConfigEntry)
        and r.value_ref is not None
        and r.value_ref.backend == RefBackend.ENV
    ]
    if not refs:
        return records
    env_vars = {
        r.key: r
        for r in records
        if isinstance(r, ConfigEntry) and r.env_var and r.value_ref is None
    }
    out = list(records)
    for i in refs:
        r = out[i]
        assert isinstance(r, ConfigEntry) and r.value_ref is not None
        found = env_vars.get(r.value_ref.name)
        if found is not None:
            out[i] = r._replace(
                value=found.value,
                fingerprint=found.fingerprint,
                structured=found.structured,
                value_ref=None,
                source=found.source,
            )
    return out
