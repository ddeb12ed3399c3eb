"""Dependency rules: packages installed on one side only, and version mismatches by level."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.align.diff import subject_of
from parity.model import Dependency, Kind

from .interface import Draft, RuleContext, rule


@rule(
    "missing-dependency",
    category="dependencies",
    severity="error",
    # a package only this environment has
    levels={"reverse": "warning"},
    title="Dependency missing in one environment",
    rationale=(
        "A package installed in one environment only means code paths that import it were never "
        "exercised the same way."
    ),
    remedy="Install the same package set everywhere (one lock file), or drop the package.",
    fires="a package is installed in one environment only",
)
def missing_dependency(ctx: RuleContext) -> Iterator[Draft]:
    """Packages installed in one environment only (extra ones at level `reverse`)."""
    for env, diff in ctx.pairs.items():
        for r in diff.missing.get(Kind.DEPENDENCY, []):
            assert isinstance(r, Dependency)
            yield Draft(
                env,
                subject_of(r),
                f"{r.name} {r.version} ({r.ecosystem}) is installed "
                f"in {ctx.reference} but not in {env}",
                expected=r.version,
                suggestion=f"add it to {env}: {pin(r.ecosystem, r.name, r.version)}",
                source=r.source,
            )
        for r in diff.extra.get(Kind.DEPENDENCY, []):
            assert isinstance(r, Dependency)
            yield Draft(
                env,
                subject_of(r),
                f"{r.name} {r.version} ({r.ecosystem}) is installed "
                f"in {env} but not in {ctx.reference}",
                actual=r.version,
                suggestion=f"remove {r.name} from {env}, or add it to {ctx.reference}: "
                f"{pin(r.ecosystem, r.name, r.version)}",
                source=r.source,
                level="reverse",
            )


def pin(ecosystem: str, name: str, version: str) -> str:
    """How this ecosystem pins a version."""
    if ecosystem == "pypi":
        return f"{name}=={version}"
    if ecosystem == "npm":
        return f"npm install {name}@{version} --save-exact"
    if ecosystem == "terraform-module":  # `label:source`
        label, _, source = name.partition(":")
        segments = source.split("//")[0].split("/")
        if "." in segments[0] and len(segments) != 4:  # a git host: pinned by ?ref=
            return f'module "{label}" {{ source = "…{source}?ref={version}" }}'
        return f'module "{label}" {{ version = "{version}" }}'  # a registry module
    if ecosystem == "terraform-provider":
        return f'required_providers {{ {name.rsplit("/", 1)[-1]} = {{ version = "{version}" }} }}'
    return f"{name} {version}"


def _version_advice(b: Dependency, ref_version: str, direction: str, env: str, ref: str) -> str:
    """Upgrade whichever side is behind; suggest changing the reference only when it is."""
    if direction == " behind":
        return f"upgrade {env} to {ref_version}: {pin(b.ecosystem, b.name, ref_version)}"
    if direction == " ahead of":
        return (
            f"ship {b.version} to {ref} once it is validated, or pin {env} back: "
            f"{pin(b.ecosystem, b.name, ref_version)}"
        )
    return f"align both on one version: {pin(b.ecosystem, b.name, ref_version)}"


# Optional alphabetic family prefix (`python3.12`, `nodejs20.x`, `v1.2.3`), then numbers.
_SEMVER = re.compile(r"^([A-Za-z]*)[=^~]*(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?([-+].*)?$")


def version_level(ecosystem: str, a: str, b: str) -> str:
    """major / minor / patch / other (pre-releases, local versions, unparsable specs)."""
    ra: tuple[int, ...] | None = None
    rb: tuple[int, ...] | None = None
    if ecosystem == "pypi":
        from packaging.version import InvalidVersion, Version

        try:
            va, vb = Version(a), Version(b)
        except InvalidVersion:
            return "other"
        ra, rb = (va.epoch, *va.release), (vb.epoch, *vb.release)
        ra, rb = (ra[0] * 10**9 + ra[1], *ra[2:]), (rb[0] * 10**9 + rb[1], *rb[2:])
    else:
        ma, mb = _SEMVER.match(a), _SEMVER.match(b)
        if not (ma and mb) or ma[1].lower().lstrip("v") != mb[1].lower().lstrip("v"):
            return "other"  # unparsable, or another family (python -> nodejs)
        ra = tuple(int(x) if x and x != "x" else 0 for x in ma.groups()[1:4])
        rb = tuple(int(x) if x and x != "x" else 0 for x in mb.groups()[1:4])
    ra = (*ra, 0, 0, 0)[:3]
    rb = (*rb, 0, 0, 0)[:3]
    for level, x, y in zip(("major", "minor", "patch"), ra, rb, strict=True):
        if x != y:
            return level
    return "other"


@rule(
    "version-mismatch",
    category="dependencies",
    severity="warning",
    levels={"major": "error", "minor": "warning", "patch": "info", "other": "warning"},
    title="Dependency version differs",
    rationale="Code tested against one version runs against another; major versions break APIs.",
    remedy="Deploy from one lock file; upgrade production or pin staging to the same version.",
    fires=(
        "major error, minor warning, patch info, other (pre-release, specs) warning — PEP 440 for "
        "Python, semver for npm"
    ),
)
def version_mismatch(ctx: RuleContext) -> Iterator[Draft]:
    """Same package, different version; the level (major/minor/patch/other) sets severity."""
    for env, diff in ctx.pairs.items():
        for a, b in diff.changed.get(Kind.DEPENDENCY, []):
            assert isinstance(a, Dependency) and isinstance(b, Dependency)
            level = version_level(b.ecosystem, a.version, b.version)
            direction = ""
            if level != "other":
                from packaging.version import InvalidVersion, Version

                try:
                    ahead = Version(b.version) > Version(a.version)
                    direction = " ahead of" if ahead else " behind"
                except InvalidVersion:
                    direction = ""
            yield Draft(
                env,
                subject_of(b),
                f"{b.name} is {b.version} in {env}, {a.version} in "
                f"{ctx.reference} ({level} version{direction or ' difference'}"
                f"{' ' + ctx.reference if direction else ''})",
                expected=a.version,
                actual=b.version,
                suggestion=_version_advice(b, a.version, direction, env, ctx.reference),
                source=b.source,
                level=level,
            )
