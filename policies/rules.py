"""Rule implementations, one function per stable rule id, registered in RULES.

A rule reads the aligned environments from a RuleContext and yields Drafts; the engine turns
drafts into findings (severity, id, waivers). Secret values are never compared here: only
fingerprints, references and redacted forms are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from parity.diff import EnvIndex, PairDiff, subject_of
from parity.findings import Severity
from parity.model import (
    SECRET_REF_PREFIXES,
    ConfigEntry,
    DataVolume,
    Dependency,
    Image,
    Kind,
    RequiredKey,
    SecretRef,
    Snapshot,
)
from parity.normalize import EnvNormalizer, containing

from .model import Policy


@dataclass(frozen=True)
class Draft:
    """A finding before policy: what and where, not yet how bad or whether waived."""

    environment: str
    subject: str
    message: str
    expected: str | None = None
    actual: str | None = None
    suggestion: str | None = None
    source: str | None = None
    severity: Severity | None = None


@dataclass
class RuleContext:
    """Everything rules may look at; built once per evaluation."""

    reference: str
    envs: list[str]
    snapshots: dict[str, Snapshot]
    indexes: dict[str, EnvIndex]
    pairs: dict[str, PairDiff]
    policy: Policy
    normalizer: EnvNormalizer
    production_like: dict[str, bool]


Rule = Callable[[RuleContext], Iterator[Draft]]


def show(record: ConfigEntry | None) -> str | None:
    """A config value as it may be displayed: secrets are never shown, references are named."""
    if record is None:
        return None
    if record.value is not None:
        return record.value
    if record.ref:
        return f"<ref {record.ref}>"
    return "<secret: redacted>"


def _short(text: str, limit: int = 40) -> str:
    text = re.sub(r"(sha256:[0-9a-f]{12})[0-9a-f]{52}", r"\1…", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _contrast(a: str, b: str, limit: int = 40) -> tuple[str, str]:
    """Shorten two long values around where they first differ, so the difference shows."""
    if len(a) <= limit and len(b) <= limit:
        return a, b
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    start = max(0, i - 10)
    lead = "…" if start else ""
    return lead + _short(a[start:], limit), lead + _short(b[start:], limit)


def _where(r: ConfigEntry | SecretRef) -> str:
    """`KEY (scope)`: the same key can live in several sources and workloads."""
    return f"{r.key} ({r.scope})"


def _lower(sev: Severity) -> Severity:
    return {Severity.ERROR: Severity.WARNING}.get(sev, Severity.INFO)


def missing_key(ctx: RuleContext) -> Iterator[Draft]:
    """Config keys set in the reference but not in env X, and the reverse (one level lower)."""
    sev = ctx.policy.severity("missing-key")
    for env, diff in ctx.pairs.items():
        for r in diff.missing.get(Kind.CONFIG, []):
            assert isinstance(r, ConfigEntry)
            if r.ref and r.ref.startswith(SECRET_REF_PREFIXES):
                continue  # secret-missing reports the reference itself
            yield Draft(
                env,
                subject_of(r),
                f"{_where(r)} is set in {ctx.reference} but missing in {env}",
                expected=show(r),
                suggestion=f"add {r.key} to {env}",
                source=r.source,
            )
        for r in diff.extra.get(Kind.CONFIG, []):
            assert isinstance(r, ConfigEntry)
            yield Draft(
                env,
                subject_of(r),
                f"{_where(r)} is set in {env} but not in {ctx.reference}",
                actual=show(r),
                suggestion=f"add {r.key} to {ctx.reference} or remove it from {env}",
                source=r.source,
                severity=_lower(sev),
            )


def missing_dependency(ctx: RuleContext) -> Iterator[Draft]:
    """Packages installed in one environment only."""
    sev = ctx.policy.severity("missing-dependency")
    for env, diff in ctx.pairs.items():
        for r in diff.missing.get(Kind.DEPENDENCY, []):
            assert isinstance(r, Dependency)
            yield Draft(
                env,
                subject_of(r),
                f"{r.name} {r.version} ({r.ecosystem}) is installed "
                f"in {ctx.reference} but not in {env}",
                expected=r.version,
                suggestion=f"add {r.name}=={r.version} to {env}",
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
                suggestion=f"remove {r.name} from {env} or ship it to {ctx.reference}",
                source=r.source,
                severity=_lower(sev),
            )


def key_typo(ctx: RuleContext) -> Iterator[Draft]:
    """A key in X that near-misses a reference key X lacks: one finding, with did-you-mean."""
    for env, diff in ctx.pairs.items():
        for want, got in diff.typos:
            yield Draft(
                env,
                subject_of(got),
                f"{got.key} in {env} looks like a typo of "
                f"{want.key} (set in {ctx.reference}); did you mean {want.key}?",
                expected=want.key,
                actual=got.key,
                suggestion=f"rename {got.key} to {want.key}",
                source=got.source,
            )


def _explain(a: object, b: object) -> str:
    from deepdiff import DeepDiff

    paths = sorted(DeepDiff(a, b).affected_paths)
    pretty = [
        re.sub(r"\['([^']*)'\]|\[(\d+)\]", lambda m: "." + (m[1] or m[2]), p)
        .removeprefix("root")
        .lstrip(".")
        or "(root)"
        for p in paths
    ]
    shown = ", ".join(pretty[:5])
    return shown + (f" (+{len(paths) - 5} more)" if len(paths) > 5 else "")


def value_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Values that differ after env-name normalization; secrets are never compared by value."""
    must_equal = ctx.policy.severity("contract-violation")
    for env, diff in ctx.pairs.items():
        for a, b in diff.changed.get(Kind.CONFIG, []):
            assert isinstance(a, ConfigEntry) and isinstance(b, ConfigEntry)
            if (a.fingerprint or b.fingerprint) and (
                a.value is None or b.value is None or a.value == b.value
            ):
                continue  # secret (or secret part) differs: that is expected, not drift
            left, right = show(a) or "", show(b) or ""
            if (a.value is None) != (b.value is None) and (a.ref is None) != (b.ref is None):
                continue  # literal vs reference: plaintext-secret's business
            if ctx.normalizer.same(ctx.reference, left, env, right):
                continue
            subject = subject_of(b)
            contract = ctx.policy.contract_for(b.key, subject)
            if contract and contract.rule in ("may-differ", "must-differ"):
                continue
            severity = must_equal if contract and contract.rule == "must-equal" else None
            if a.structured is not None and b.structured is not None:
                detail = f"changed at {_explain(a.structured, b.structured)}"
            else:
                got, want = _contrast(right, left)
                detail = f"{got!r} vs {want!r} in {ctx.reference}"
            message = f"{_where(b)} differs: {detail}"
            if severity:
                message += " (must-equal contract)"
            yield Draft(
                env,
                subject,
                message,
                expected=left,
                actual=right,
                suggestion=f"set {b.key} as in {ctx.reference}, or declare it may-differ",
                source=b.source,
                severity=severity,
            )


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


def version_mismatch(ctx: RuleContext) -> Iterator[Draft]:
    """Same package, different version; severity by level (policy version_levels)."""
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
                suggestion=f"pin {b.name}=={a.version} in {env} or upgrade {ctx.reference}",
                source=b.source,
                severity=ctx.policy.version_levels[level],
            )  # type: ignore[index]


def image_name(repository: str) -> str:
    """Repository without its registry host: ECR hosts embed the account id, which differs
    between environments while the image is the same."""
    host, sep, rest = repository.partition("/")
    if sep and ("." in host or ":" in host or host == "localhost"):
        return rest
    return repository


def _img(i: Image) -> str:
    """Short image label: registry host dropped, digest abbreviated."""
    out = image_name(i.repository) + (f":{i.tag}" if i.tag else "")
    return out + (f"@{i.digest[:19]}…" if i.digest else "")


def _mutable(img: Image, policy: Policy) -> bool:
    return img.digest is None and (img.tag is None or img.tag in policy.mutable_tags)


def image_drift(ctx: RuleContext) -> Iterator[Draft]:
    """Different tag, same tag with different digest (moved tag), or mutable tag in prod."""
    sev = ctx.policy.severity("image-drift")
    for env, diff in ctx.pairs.items():
        for a, b in diff.changed.get(Kind.IMAGE, []):
            assert isinstance(a, Image) and isinstance(b, Image)
            same_repo = ctx.normalizer.same(
                ctx.reference, image_name(a.repository), env, image_name(b.repository)
            )
            if same_repo and a.tag == b.tag and a.digest and b.digest and a.digest != b.digest:
                msg = (
                    f"{b.workload}/{b.container} uses tag {b.tag} in both, but the digests "
                    "differ: the tag was moved or rebuilt"
                )
                yield Draft(
                    env,
                    subject_of(b),
                    msg,
                    expected=a.ref,
                    actual=b.ref,
                    suggestion="deploy by digest; promote the digest production runs",
                    source=b.source,
                    severity=Severity.ERROR,
                )
            elif not same_repo or a.tag != b.tag:
                yield Draft(
                    env,
                    subject_of(b),
                    f"{b.workload}/{b.container} runs {_img(b)}"
                    f" in {env} but {_img(a)} in {ctx.reference}",
                    expected=a.ref,
                    actual=b.ref,
                    suggestion="promote the same image version",
                    source=b.source,
                )
        for r in diff.missing.get(Kind.IMAGE, []):
            assert isinstance(r, Image)
            yield Draft(
                env,
                subject_of(r),
                f"{r.workload}: {r.container} ({_img(r)}) is in {ctx.reference} but not in {env}",
                expected=r.ref,
                source=r.source,
                severity=sev,
            )
    for env in ctx.envs:
        if not ctx.production_like[env]:
            continue
        for img in ctx.indexes[env].kind_records(Kind.IMAGE):
            assert isinstance(img, Image)
            if _mutable(img, ctx.policy):
                tag = img.tag or "(no tag: latest)"
                yield Draft(
                    env,
                    subject_of(img) + "#mutable-tag",
                    f"{img.workload}/{img.container} in production-like {env} uses the "
                    f"mutable tag {tag} without a digest",
                    actual=img.ref,
                    suggestion="pin a version tag and @sha256 digest",
                    source=img.source,
                    severity=Severity.ERROR,
                )


def secret_missing(ctx: RuleContext) -> Iterator[Draft]:
    """Secret references the reference has and env X lacks."""
    for env, diff in ctx.pairs.items():
        for r in diff.missing.get(Kind.SECRET_REF, []):
            assert isinstance(r, SecretRef)
            exposed = f" (as {r.env_var})" if r.env_var else ""
            yield Draft(
                env,
                subject_of(r),
                f"secret {r.name}{exposed} is referenced in "
                f"{ctx.reference} ({r.backend}) but not in {env}",
                expected=r.name,
                suggestion=f"create {r.name} in {env}'s {r.backend} and reference it",
                source=r.source,
            )


def _fingerprints(index: EnvIndex) -> dict[str, list[ConfigEntry | SecretRef]]:
    out: dict[str, list[ConfigEntry | SecretRef]] = defaultdict(list)
    for kind in (Kind.CONFIG, Kind.SECRET_REF):
        for r in index.kind_records(kind):
            fp = r.fingerprint  # type: ignore[union-attr]
            if fp:
                out[fp].append(r)  # type: ignore[arg-type]
    return out


def secret_shared(ctx: RuleContext) -> Iterator[Draft]:
    """The same keyed fingerprint in two environments: one credential, two environments."""
    ref_fps = _fingerprints(ctx.indexes[ctx.reference])
    for env in ctx.pairs:
        if ctx.production_like[env] and ctx.production_like[ctx.reference]:
            continue  # production-like peers (canary) share production credentials by design
        for fp, records in sorted(_fingerprints(ctx.indexes[env]).items()):
            if fp not in ref_fps:
                continue
            ref_names = ", ".join(sorted({_where(r) for r in ref_fps[fp]}))
            for r in records:
                yield Draft(
                    env,
                    subject_of(r),
                    f"{_where(r)} in {env} holds the same secret value as "
                    f"{ref_names} in {ctx.reference} (fingerprints match)",
                    suggestion=f"rotate the credential so {env} has its own",
                    source=r.source,
                )


def plaintext_secret(ctx: RuleContext) -> Iterator[Draft]:
    """A secret literal where another environment references a secret store."""
    referenced: dict[tuple[str, str], str] = {}
    for env in ctx.envs:
        for r in [r for r in ctx.indexes[env].kind_records(Kind.CONFIG) if r.ref]:  # type: ignore[union-attr]
            if r.value is None:  # type: ignore[union-attr]
                referenced.setdefault((r.scope, r.key), f"{env} ({r.ref})")  # type: ignore[union-attr]
    if not referenced:
        return
    for env in ctx.envs:
        for r in [r for r in ctx.indexes[env].kind_records(Kind.CONFIG) if r.fingerprint]:  # type: ignore[union-attr]
            assert isinstance(r, ConfigEntry)
            if r.secret and r.ref is None and (r.scope, r.key) in referenced:
                yield Draft(
                    env,
                    subject_of(r),
                    f"{r.key} is a literal secret in {env}, while "
                    f"{referenced[(r.scope, r.key)]} references a secret store",
                    actual="<secret: redacted>",
                    suggestion="move the value into the secret store and reference it",
                    source=r.source,
                )


def cross_env_reference(ctx: RuleContext) -> Iterator[Draft]:
    """A value that names another environment (staging pointing at production)."""
    for env in ctx.envs:
        needles = ctx.normalizer.foreign_tokens(env)
        for kind in (Kind.CONFIG, Kind.SECRET_REF):
            records = ctx.indexes[env].kind_records(kind)
            texts = [
                (r.value or r.ref or "") if kind == Kind.CONFIG else r.name  # type: ignore[union-attr]
                for r in records
            ]
            for i in containing(texts, needles):
                r, text = records[i], texts[i]
                hit = ctx.normalizer.foreign(env, text)
                if not hit:
                    continue
                other, token = hit
                if ctx.production_like[env] and ctx.production_like.get(other, False):
                    continue  # canary reading production resources is by design
                yield Draft(
                    env,
                    subject_of(r),
                    f"{r.key} in {env} names {other!r} "
                    f"(token {token!r}): {env} may be using {other}'s resource",
                    actual=text,
                    suggestion=f"point {r.key} at {env}'s own resource",
                    source=r.source,
                )


_TRUTHY = {"1", "true", "yes", "on", "y"}
_DEV_ENVS = {"development", "dev", "local", "test", "testing"}
_ENV_KEYS = {
    "node_env",
    "app_env",
    "flask_env",
    "rails_env",
    "rack_env",
    "django_env",
    "environment",
    "env",
    "go_env",
    "aspnetcore_environment",
}
_DEV_SERVERS = re.compile(
    r"\bflask\b.*\brun\b|manage\.py\s+runserver\b|\bnpm\s+run\s+dev\b|\buvicorn\b.*--reload\b|"
    r"\bnext\s+dev\b|\bnodemon\b|\bvite(\s+dev)?\s*$|\bwebpack-dev-server\b|\brails\s+s(erver)?\b"
    r"|\bhypercorn\b.*--reload\b|\bgunicorn\b.*--reload\b"
)
_LOOPBACK = {"localhost", "127.0.0.1", "0.0.0.0", "::1"}


def unsafe_value(key: str, value: str) -> str | None:
    """Why a value is unsafe for production, or None."""
    leaf = re.split(r"[./]", key)[-1].lower()
    if (leaf == "debug" or leaf.endswith("_debug")) and value.strip().lower() in _TRUTHY:
        return f"{key}={value} turns debug mode on"
    if leaf in _ENV_KEYS and value.strip().lower() in _DEV_ENVS:
        return f"{key}={value} selects a development mode"
    if leaf == "command" and _DEV_SERVERS.search(value):
        return f"command {value!r} runs a development server"
    if "://" in value:
        try:
            host = urlsplit(value).hostname
        except ValueError:
            host = None
        if host in _LOOPBACK:
            return f"{key} points at {host}, which is the container itself in production"
    return None


def unsafe_prod_value(ctx: RuleContext) -> Iterator[Draft]:
    """Debug on, development modes, loopback URLs and dev servers in production-like envs."""
    for env in ctx.envs:
        if not ctx.production_like[env]:
            continue
        records = ctx.indexes[env].kind_records(Kind.CONFIG)
        values = [r.value or "" for r in records]  # type: ignore[union-attr]
        candidates = set(containing(values, _LOOPBACK))
        candidates.update(containing([r.key for r in records], ("debug", "env", "command")))
        for i in sorted(candidates):
            r = records[i]
            assert isinstance(r, ConfigEntry)
            if r.value is None:
                continue
            why = unsafe_value(r.key, r.value)
            if why:
                suffix = "" if env == ctx.reference else f" ({env} is production-like)"
                yield Draft(
                    env,
                    subject_of(r),
                    why + suffix,
                    actual=r.value,
                    suggestion="use the production setting",
                    source=r.source,
                )


def unset_required_key(ctx: RuleContext) -> Iterator[Draft]:
    """Keys the code reads without a default that the environment never sets."""
    for env in ctx.envs:
        if ctx.snapshots[env].errors:
            continue  # a failed source may be what sets the key; collector-failed covers it
        index = ctx.indexes[env]
        required = [
            r
            for r in index.kind_records(Kind.REQUIRED_KEY)
            if isinstance(r, RequiredKey) and not r.has_default
        ]
        if not required:
            continue
        provided = {
            r.key
            for r in index.kind_records(Kind.CONFIG)
            if isinstance(r, ConfigEntry) and r.env_var
        }
        for r in required:
            if r.key not in provided:
                yield Draft(
                    env,
                    subject_of(r),
                    f"the code reads {r.key} (at {r.source}) with no "
                    f"default, but {env} does not set it",
                    suggestion=f"set {r.key} in {env}",
                    source=r.source,
                )


def contract_violation(ctx: RuleContext) -> Iterator[Draft]:
    """must-differ contracts and per-environment regexes."""
    import fnmatch

    contracts = [c for c in ctx.policy.contracts if c.rule == "must-differ" or c.regex]
    if not contracts:
        return
    ref_index = ctx.indexes[ctx.reference]
    for env in ctx.envs:
        for r in ctx.indexes[env].kind_records(Kind.CONFIG):
            assert isinstance(r, ConfigEntry)
            subject = subject_of(r)
            c = ctx.policy.contract_for(r.key, subject)
            if c is None:
                continue
            for env_glob, rx in c.regex.items():
                if (
                    fnmatch.fnmatchcase(env, env_glob)
                    and r.value is not None
                    and not re.search(rx, r.value)
                ):
                    yield Draft(
                        env,
                        subject,
                        f"{r.key}={r.value!r} does not match the contract /{rx}/ for {env}",
                        actual=r.value,
                        expected=f"/{rx}/",
                        source=r.source,
                    )
            if c.rule == "must-differ" and env != ctx.reference:
                other = ref_index.groups.get(r.group, {}).get(r.key)
                if isinstance(other, ConfigEntry) and (
                    (r.fingerprint and r.fingerprint == other.fingerprint)
                    or (r.value is not None and r.value == other.value)
                ):
                    yield Draft(
                        env,
                        subject,
                        f"{r.key} must differ between {env} and {ctx.reference} but is the same",
                        source=r.source,
                        suggestion=f"give {env} its own value",
                    )


def _amount(v: DataVolume) -> str:
    return f"{v.value:,.0f} {v.unit}" + ("" if v.exact else " (estimate)")


def data_volume_ratio(ctx: RuleContext) -> Iterator[Draft]:
    """Env X holds less than policy `data_volume_min_ratio` of the reference's data."""
    threshold = ctx.policy.data_volume_min_ratio
    for env, diff in ctx.pairs.items():
        pairs = [(a, b) for a, b in diff.changed.get(Kind.DATA_VOLUME, [])]
        pairs += [(a, None) for a in diff.missing.get(Kind.DATA_VOLUME, [])]
        for a, b in sorted(pairs, key=lambda p: subject_of(p[0])):
            assert isinstance(a, DataVolume)
            if a.value <= 0:
                continue
            have = b.value if isinstance(b, DataVolume) else 0.0
            ratio = have / a.value
            if ratio >= threshold:
                continue
            resource = (b if isinstance(b, DataVolume) else a).key.rsplit(":", 1)[0]
            actual = _amount(b) if isinstance(b, DataVolume) else "absent"
            yield Draft(
                (env),
                subject_of(b if isinstance(b, DataVolume) else a),
                f"{resource} in {env} holds {actual}, {ratio:.1%} of {ctx.reference}'s "
                f"{_amount(a)} (threshold {threshold:.0%})",
                expected=_amount(a),
                actual=actual,
                suggestion=f"seed {env} with representative data (anonymized production "
                "snapshot or generated volume)",
                source=(b.source if isinstance(b, DataVolume) else a.source),
            )


def duplicate_key(ctx: RuleContext) -> Iterator[Draft]:
    """Keys assigned twice in one file (noticed by the collector)."""
    for env in ctx.envs:
        for n in ctx.snapshots[env].notices:
            if n.code == "duplicate-key":
                yield Draft(
                    env,
                    f"config:{n.source.rsplit(':', 1)[0]}:{n.subject}",
                    n.message,
                    suggestion="delete the earlier assignment",
                    source=n.source,
                )


def collector_failed(ctx: RuleContext) -> Iterator[Draft]:
    """Each failed source: the audit is incomplete and must not pass."""
    for env in ctx.envs:
        for e in ctx.snapshots[env].errors:
            yield Draft(
                env,
                f"source:{e.collector}:{e.source}",
                f"{e.collector} source {e.source} failed: {e.message}",
                suggestion=e.hint,
                source=e.source,
            )


RULES: dict[str, Rule] = {
    "missing-key": missing_key,
    "missing-dependency": missing_dependency,
    "key-typo": key_typo,
    "value-drift": value_drift,
    "version-mismatch": version_mismatch,
    "image-drift": image_drift,
    "secret-missing": secret_missing,
    "secret-shared": secret_shared,
    "plaintext-secret": plaintext_secret,
    "cross-env-reference": cross_env_reference,
    "unsafe-prod-value": unsafe_prod_value,
    "unset-required-key": unset_required_key,
    "contract-violation": contract_violation,
    "duplicate-key": duplicate_key,
    "data-volume-ratio": data_volume_ratio,
    "collector-failed": collector_failed,
}
