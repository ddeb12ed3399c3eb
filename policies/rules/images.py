"""Image rules: another tag, a moved tag (same tag, other digest), a mutable tag in production."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.align.diff import subject_of
from parity.align.imageref import parse_image_ref
from parity.align.values import is_unresolved
from parity.model import ConfigEntry, Image, Kind

from ..model import Policy
from ._display import image_name, img
from .interface import Draft, RuleContext, rule


def _mutable(image: Image, policy: Policy) -> bool:
    if build_placeholder(image):
        return False
    return image.digest is None and (image.tag is None or image.tag in policy.mutable_tags)


def build_placeholder(image: Image) -> bool:
    """`image: frontend` in a manifest that skaffold, ko or Tilt renders: a bare name (no
    registry, tag or digest) that is the container's or workload's own name is the build
    tool's artifact name, replaced by a pinned image at deploy time — not a mutable tag.
    (`image: busybox` in a container named `init` is Docker Hub's busybox:latest.)"""
    if image.tag or image.digest or "/" in image.repository or ":" in image.repository:
        return False
    names = {image.container, image.workload.rsplit("/", 1)[-1]}
    return image.repository in names or image.repository.startswith("ko://")


def _image_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Different tag; same tag with another digest (level `moved-tag`); a mutable tag without a
    digest in a production-like env (level `mutable-tag`); an image on one side only."""
    for env, diff in ctx.pairs.items():
        for a, b in diff.changed.get(Kind.IMAGE, []):
            assert isinstance(a, Image) and isinstance(b, Image)
            if is_unresolved(a.image_ref) or is_unresolved(b.image_ref):
                continue  # unknown until deploy time: unresolved-variable says so
            same_repo = ctx.normalizer.same(
                ctx.reference, image_name(a.repository), env, image_name(b.repository)
            )
            if same_repo and a.tag == b.tag and a.digest and b.digest and a.digest != b.digest:
                yield Draft(
                    env,
                    subject_of(b),
                    f"{b.workload}/{b.container} uses tag {b.tag} in both, but the digests "
                    "differ: the tag was moved or rebuilt",
                    expected=a.image_ref,
                    actual=b.image_ref,
                    suggestion=f"deploy by digest: promote the digest {ctx.reference} runs",
                    source=b.source,
                    level="moved-tag",
                )
            elif not same_repo or a.tag != b.tag:
                yield Draft(
                    env,
                    subject_of(b),
                    f"{b.workload}/{b.container} runs {img(b)}"
                    f" in {env} but {img(a)} in {ctx.reference}",
                    expected=a.image_ref,
                    actual=b.image_ref,
                    suggestion=f"promote the image {ctx.reference} runs ({img(a)}), or ship "
                    f"this one to {ctx.reference} once validated",
                    source=b.source,
                )
        for r in diff.missing.get(Kind.IMAGE, []):
            assert isinstance(r, Image)
            if ctx.in_missing_workload(env, r.workload):
                continue  # missing-workload says it
            yield Draft(
                env,
                subject_of(r),
                f"{r.workload}: {r.container} ({img(r)}) is in {ctx.reference} but not in {env}",
                expected=r.image_ref,
                suggestion=f"add the {r.container} container to {env}'s {r.workload}",
                source=r.source,
            )
    for env in ctx.envs:
        if not ctx.production_like[env]:
            continue
        for image in ctx.indexes[env].kind_records(Kind.IMAGE):
            assert isinstance(image, Image)
            if _mutable(image, ctx.policy) and not is_unresolved(image.image_ref):
                tag = image.tag or "(no tag: latest)"
                yield Draft(
                    env,
                    subject_of(image) + "#mutable-tag",
                    f"{image.workload}/{image.container} in production-like {env} uses the "
                    f"mutable tag {tag} without a digest",
                    actual=image.image_ref,
                    suggestion="pin a version tag and @sha256 digest",
                    source=image.source,
                    level="mutable-tag",
                )


@rule(
    "missing-workload",
    category="images",
    severity="error",
    # a workload only this environment runs
    levels={"reverse": "warning"},
    title="Workload runs in one environment only",
    rationale=(
        "A service deployed in one environment only is a code path the other never exercises; "
        "reported once, not as an image finding plus one missing key per variable."
    ),
    remedy="Deploy the workload to both environments, or remove it where it does not belong.",
    fires="a workload/service runs in one environment only (one finding, not one per variable)",
)
def missing_workload(ctx: RuleContext) -> Iterator[Draft]:
    """A workload or service present on one side only: one finding (level `reverse` when only
    this environment runs it), instead of an image finding plus one per variable."""
    for env in ctx.pairs:
        missing, extra = ctx.workload_gaps(env)
        for side, names, level in ((ctx.reference, missing, None), (env, extra, "reverse")):
            index = ctx.indexes[side]
            for name in sorted(names):
                images = [
                    r
                    for r in index.groups.get((Kind.IMAGE, name), {}).values()
                    if isinstance(r, Image)
                ]
                if not images:
                    continue
                first = images[0]
                shown = ", ".join(img(i) for i in images)
                other = env if side == ctx.reference else ctx.reference
                yield Draft(
                    env,
                    f"workload:{first.workload}",
                    f"{first.workload} ({shown}) runs in {side} but not in {other}",
                    expected=shown if level is None else None,
                    actual=shown if level else None,
                    suggestion=f"deploy {first.workload} to {other}, or remove it from {side}",
                    source=first.source,
                    level=level,
                )


_IMAGE_LEAF = re.compile(r"(^|[_.-])image$|Image$", re.IGNORECASE)
_TAG_LEAF = re.compile(r"(^|_)(image_?)?tag$|ImageTag$|^imageTag$", re.IGNORECASE)
# An upper-case `*_TAG` variable holds an image tag only when its name says whose (a
# TERRAFORM_MODULES_TAG is a git ref, an ENV_TAG a label).
_IMAGE_WORDS = re.compile(r"(^|_)(IMAGE|DOCKER|CONTAINER|ECR|GCR|REGISTRY)(_|$)")
# Keys beside an `image` key that carry its tag (`image` + `version`, Helm's `image.tag`).
_SIBLING_TAGS = ("tag", "version", "imageTag", "image_tag", "appVersion")
_REF_SHAPE = re.compile(r"^[\w.\-/:@]+$")
_VARIABLE_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def config_image(r: ConfigEntry) -> tuple[str | None, str | None, str | None] | None:
    """(repository, tag, digest) of an image held in a config value (`SNUBA_IMAGE`,
    `image.tag`, `image.repository` in Helm values), else None."""
    low = r.key.lower()
    if "image" not in low and "tag" not in low and "repository" not in low:
        return None  # the common case, decided without a regex
    if not r.value or not _REF_SHAPE.match(r.value) or _VARIABLE_NAME.match(r.value):
        return None  # `DOCKER_TAG=API_DOCKER_TAG`: a variable's name, not an image
    parts = r.key.split(".")
    leaf, parent = parts[-1], (parts[-2] if len(parts) > 1 else "")
    if _IMAGE_LEAF.search(leaf) and ("/" in r.value or ":" in r.value):
        repo, tag, digest = parse_image_ref(r.value)
        return repo, tag, digest
    if _TAG_LEAF.search(leaf) and (
        "image" in parent.lower()
        or "image" in leaf.lower()
        or (leaf.isupper() and _IMAGE_WORDS.search(leaf) is not None)
    ):
        return None, r.value, None
    if leaf == "repository" and "image" in parent.lower():
        return r.value, None, None
    return None


def _sibling_tag(ctx: RuleContext, env: str, r: ConfigEntry) -> bool:
    """Whether a key beside r's image key holds its tag (`main_app.image` + `main_app.version`)."""
    parent = r.key.rsplit(".", 1)[0] + "." if "." in r.key else ""
    keys = ctx.indexes[env].groups.get((Kind.CONFIG, ctx.normalizer.neutral(r.scope)), {})
    for name in _SIBLING_TAGS:
        other = keys.get(parent + name)
        if isinstance(other, ConfigEntry) and other.value:
            return True
    return False


def is_config_image(r: ConfigEntry) -> bool:
    """Whether image-drift (not value-drift) speaks for this config entry."""
    return config_image(r) is not None


def config_image_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Images held in configuration values get image semantics: tag vs digest, mutable tags."""
    for env, diff in ctx.pairs.items():
        for a, b in diff.changed.get(Kind.CONFIG, []):
            if not (isinstance(a, ConfigEntry) and isinstance(b, ConfigEntry)):
                continue
            ia, ib = config_image(a), config_image(b)
            if ia is None or ib is None or is_unresolved(a.value) or is_unresolved(b.value):
                continue
            moved = ia[1] == ib[1] and ia[2] and ib[2] and ia[2] != ib[2]
            if not moved and ctx.normalizer.same(ctx.reference, a.value or "", env, b.value or ""):
                continue
            yield Draft(
                env,
                subject_of(b),
                f"{b.key} ({b.scope}) "
                + (
                    "keeps the tag but the digest differs: the tag was moved"
                    if moved
                    else f"is {b.value} in {env} but {a.value} in {ctx.reference}"
                ),
                expected=a.value,
                actual=b.value,
                suggestion=f"promote the image {ctx.reference} runs, by digest",
                source=b.source,
                level="moved-tag" if moved else None,
            )
    for env in ctx.envs:
        if not ctx.production_like[env]:
            continue
        records, _, keys = ctx.config(env)
        for i in keys.find(("image", "tag", "repository")):
            r = records[i]
            if not isinstance(r, ConfigEntry) or is_unresolved(r.value):
                continue
            parsed = config_image(r)
            if parsed is None or parsed[2] or (parsed[0] and not parsed[1] and "tag" in r.key):
                continue
            repo, tag = parsed[0], parsed[1]
            if repo and not tag and _sibling_tag(ctx, env, r):
                continue  # one image split across keys: the tag sits beside it
            if tag in ctx.policy.mutable_tags or (repo and not tag and _IMAGE_LEAF.search(r.key)):
                yield Draft(
                    env,
                    subject_of(r) + "#mutable-tag",
                    f"{r.key} ({r.scope}) in production-like {env} uses the mutable tag "
                    f"{tag or '(none: latest)'} without a digest",
                    actual=r.value,
                    suggestion="pin a version tag and @sha256 digest",
                    source=r.source,
                    level="mutable-tag",
                )


@rule(
    "image-drift",
    category="images",
    severity="warning",
    levels={"moved-tag": "error", "mutable-tag": "error"},
    title="Container image differs or is not pinned",
    rationale=(
        "A different tag is different code; the same tag with a different digest means a tag "
        "moved; a mutable tag in production means the next restart may run something untested."
    ),
    remedy="Promote the exact digest that was tested; pin production to a version tag plus digest.",
    fires=(
        "different tag; same tag with a different digest; `latest`/no tag without a digest in a "
        "production-like env — for workloads and for images held in config values (`*_IMAGE`, "
        "`image.tag`, `image.repository`)"
    ),
)
def image_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Images of workloads, and images held in configuration values."""
    yield from _image_drift(ctx)
    yield from config_image_drift(ctx)
