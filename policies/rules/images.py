"""Image rules: another tag, a moved tag (same tag, other digest), a mutable tag in production."""

from __future__ import annotations

from collections.abc import Iterator

from parity.diff import subject_of
from parity.model import Image, Kind
from parity.values import is_unresolved

from ..model import Policy
from ._display import image_name, img
from .interface import Draft, RuleContext, rule


def _mutable(image: Image, policy: Policy) -> bool:
    return image.digest is None and (image.tag is None or image.tag in policy.mutable_tags)


@rule("image-drift")
def image_drift(ctx: RuleContext) -> Iterator[Draft]:
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


@rule("missing-workload")
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
