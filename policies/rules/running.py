"""What runs vs what is declared, inside one environment: a compose file or manifest saying
1.4.0 while the engine runs 1.3.9 is a deploy that did not happen (or was rolled back by hand).

Live sources (type `docker`) are paired with declared ones (compose, k8s) by service name; the
running images' packages are paired with the lock files' (same ecosystem, same name).
"""

from __future__ import annotations

from collections.abc import Iterator

from parity.align.diff import subject_of
from parity.model import Dependency, Image, Kind

from ._display import img
from .interface import Draft, RuleContext, rule

LIVE_TYPES = frozenset({"docker"})


def _live_scopes(ctx: RuleContext, env: str) -> frozenset[str]:
    return frozenset(s.name for s in ctx.snapshots[env].sources if s.type in LIVE_TYPES)


def _same_image(declared: Image, running: Image) -> bool:
    if declared.repository.rsplit("/", 1)[-1] != running.repository.rsplit("/", 1)[-1]:
        return False
    if declared.tag and declared.tag != running.tag:
        return False
    return not (declared.digest and running.digest and declared.digest != running.digest)


@rule(
    "declared-vs-running",
    category="images",
    severity="error",
    levels={"non-production": "warning", "package": "warning"},
    title="Running image differs from the declared one",
    rationale=(
        "The compose file or manifest says one image, the engine runs another; what was reviewed "
        "is not what serves traffic, and the next restart changes behaviour."
    ),
    remedy=(
        "Redeploy from the declaration (or update it to what was validated); never patch running "
        "containers by hand."
    ),
    fires=(
        "a running service's image differs from the one compose/k8s declare for it, or a running "
        "image's package differs from the lock file's pin"
    ),
)
def declared_vs_running(ctx: RuleContext) -> Iterator[Draft]:
    """A running service whose image differs from the one its compose file or manifest
    declares; a running image's package at another version than the lock file pins."""
    for env in ctx.envs:
        live = _live_scopes(ctx, env)
        if not live:
            continue
        images = [r for r in ctx.indexes[env].kind_records(Kind.IMAGE) if isinstance(r, Image)]
        running = [r for r in images if r.workload.split("/", 1)[0] in live]
        declared: dict[str, list[Image]] = {}
        for r in images:
            if r.workload.split("/", 1)[0] not in live:
                declared.setdefault(r.workload.rsplit("/", 1)[-1], []).append(r)
                declared.setdefault(r.container, []).append(r)
        level = None if ctx.production_like[env] else "non-production"
        for r in running:
            candidates = list(dict.fromkeys(declared.get(r.container, [])))
            if not candidates or any(_same_image(d, r) for d in candidates):
                continue
            d = candidates[0]
            yield Draft(
                env,
                subject_of(r) + "#declared",
                f"{r.container} runs {img(r)} in {env}, but {d.workload} declares {img(d)}",
                expected=d.image_ref,
                actual=r.image_ref,
                suggestion=f"deploy what {d.source} declares (or update the declaration to "
                "what was validated); never patch running containers by hand",
                source=r.source,
                level=level,
            )
        yield from _packages(ctx, env, live)


def _packages(ctx: RuleContext, env: str, live: frozenset[str]) -> Iterator[Draft]:
    deps = [r for r in ctx.indexes[env].kind_records(Kind.DEPENDENCY) if isinstance(r, Dependency)]
    pinned = {(d.ecosystem, d.name): d for d in deps if d.ecosystem.split("/", 1)[0] not in live}
    for d in deps:
        scope, sep, ecosystem = d.ecosystem.rpartition(":")
        if not sep or scope.split("/", 1)[0] not in live:
            continue
        lock = pinned.get((ecosystem, d.name))
        if lock is None or lock.version == d.version:
            continue
        yield Draft(
            env,
            subject_of(d) + "#declared",
            f"{d.name} {d.version} runs in {scope} ({env}), but {lock.source} pins {lock.version}",
            expected=lock.version,
            actual=d.version,
            suggestion=f"rebuild and redeploy {scope.rsplit('/', 1)[-1]} from the lock file",
            source=d.source,
            level="package",
        )
