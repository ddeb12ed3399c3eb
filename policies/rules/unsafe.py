"""Unsafe production values: debug modes, dev servers, loopback, TLS checks off."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from parity.align.diff import subject_of
from parity.align.values import canonical_scalar, url_host
from parity.model import ConfigEntry, Image, Kind, RefBackend

from ..vocabulary import vocabulary
from ._display import once_per_source
from .interface import Draft, RuleContext, rule

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
    "mix_env",
    "golang_env",
}
_DEV_SERVERS = re.compile(
    r"\bflask\b.*\brun\b|manage\.py\s+runserver\b|\bnpm\s+run\s+dev\b|\buvicorn\b.*--reload\b|"
    r"\bnext\s+dev\b|\bnodemon\b|\bvite(\s+dev)?\s*$|\bwebpack-dev-server\b|\brails\s+s(erver)?\b"
    r"|\bhypercorn\b.*--reload\b|\bgunicorn\b.*--reload\b"
)
_LOOPBACK = {"localhost", "127.0.0.1", "0.0.0.0", "::1"}


_INSECURE_ON = re.compile(
    r"(^|_)(insecure|skip_tls_verify|tls_skip_verify|insecure_skip_verify|allow_insecure)(_|$)"
)
_VERIFY_OFF = re.compile(r"(^|_)(ssl_verify|verify_ssl|tls_verify|verify_tls|ssl_verification)$")
_FALSY = {"0", "false", "no", "off", "n"}
_DATASTORES = re.compile(
    r"(^|/)(postgres|postgis|mysql|mariadb|mongo|mongodb|redis|valkey|memcached|elasticsearch|"
    r"opensearch|rabbitmq|cassandra|couchdb|influxdb|clickhouse|etcd|zookeeper|kafka)(:|$|-)"
)


def supplied_at_run_time(r: ConfigEntry) -> bool:
    """A file default that an environment variable replaces at run time (node-config's env
    map): not what production runs, so never judged as production's value."""
    return r.value_ref is not None and r.value_ref.backend == RefBackend.ENV


_LEVEL_LEAF = re.compile(r"(^|_)(log_?level|level)$")
_SQL_LOG = re.compile(r"(^|[._-])(show[_-]?sql|format[_-]?sql|sql[_-]?echo|echo)$")


def _verbose(key: str, leaf: str, flag: str) -> str | None:
    """Development aids that production must not run with: debug/trace logging (Spring's
    `logging.level.*` included), Spring devtools, every actuator endpoint exposed, SQL
    statement and bind-parameter logging."""
    low = key.lower()
    spring = low.replace("_", ".").replace("-", "")
    if flag in ("debug", "trace", "all") and (
        _LEVEL_LEAF.search(leaf) or "logging.level" in spring
    ):
        what = "SQL statement" if "hibernate" in spring or ".sql" in spring else "debug"
        return f"{key}={flag.upper()} turns {what} logging on (it leaks data and costs)"
    if "devtools" in spring and flag in _TRUTHY:
        return f"{key}={flag} runs Spring devtools (remote restart, no caching)"
    if "exposure.include" in spring and "*" in flag:
        return f"{key}={flag} exposes every actuator endpoint (env, heapdump, …)"
    if _SQL_LOG.search(leaf) and flag in _TRUTHY and ("sql" in low or "jpa" in low):
        return f"{key}={flag} logs every SQL statement"
    return None


def _source_binds(value: str) -> list[str]:
    """Bind mounts of a relative host path (`./src:/app`, `.:/code`): the repository's files
    replace what the image was built with, so production runs untested, unbuilt code."""
    import json

    try:
        items = json.loads(value)
    except ValueError:
        return []
    binds = [str(v).split(":", 1)[0] for v in items if isinstance(v, str) and ":" in v]
    return [b for b in binds if _source_dir(b)]


# A relative bind whose first directory is one of these is the repository's code (a mounted
# `./configuration` or `./certs` directory is configuration, not the code under test).
_SOURCE_DIRS = {"", ".", "..", "src", "app", "lib", "code", "source"}


def _source_dir(bind: str) -> bool:
    if not (bind in (".", "..") or bind.startswith(("./", "../"))):
        return False
    parts = [p for p in bind.split("/") if p not in (".", "..")]
    return not parts or parts[0] in _SOURCE_DIRS


def unsafe_value(key: str, value: str, mode_keys: Iterable[str] = ()) -> str | None:
    """Why a value is unsafe for production, or None."""
    leaf = re.split(r"[./]", key)[-1].lower()
    flag = value.strip().lower()
    if _INSECURE_ON.search(leaf) and flag in _TRUTHY:
        return f"{key}={value} turns off transport security"
    negated = _INSECURE_ON.search(leaf) or "skip" in leaf or "disable" in leaf
    if (
        (_VERIFY_OFF.search(leaf) and not negated) or leaf == "node_tls_reject_unauthorized"
    ) and flag in _FALSY:  # `SKIP_TLS_VERIFY=false` keeps verification on
        return f"{key}={value} turns off certificate verification"
    env_keys = _ENV_KEYS | {k.lower() for k in mode_keys}
    if (leaf == "debug" or leaf.endswith("_debug")) and value.strip().lower() in _TRUTHY:
        return f"{key}={value} turns debug mode on"
    if leaf in env_keys and value.strip().lower() in _DEV_ENVS:
        return f"{key}={value} selects a development mode"
    if leaf == "command" and _DEV_SERVERS.search(value):
        return f"command {value!r} runs a development server"
    if leaf == "privileged" and flag in _TRUTHY:
        return f"{key}={value} runs the container privileged (the host's devices and kernel)"
    if leaf == "volumes" and (binds := _source_binds(value)):
        return f"volumes bind-mount the source tree ({', '.join(binds)}) over the image's code"
    if why := _verbose(key, leaf, flag):
        return why
    if "://" in value:
        host = url_host(value)
        if host in _LOOPBACK:
            return f"{key} points at {host}, which is the container itself in production"
    return None


@rule(
    "unsafe-prod-value",
    category="config",
    severity="error",
    subsumes=("value-drift",),
    title="Unsafe value in a production-like environment",
    rationale=(
        "Debug mode, development settings, loopback URLs and dev servers are fine locally and "
        "dangerous in production."
    ),
    remedy="Use the production setting (debug off, real hostnames, a production server command).",
    fires=(
        "production-like env: debug on, DEBUG/TRACE log levels (Spring `logging.level.*` "
        "included), Spring devtools, every actuator endpoint exposed, SQL statement logging, "
        "development `*_ENV`, loopback URL (unless a second container or sidecar of the unit "
        "serves it), dev server command (`flask run`, `manage.py runserver`, `npm run dev`, "
        "`uvicorn --reload`, `next dev`, …), TLS verification off / `*_INSECURE=true`, a datastore"
        " publishing its port on the host, a privileged container, the source tree bind-mounted"
        " over the image's code (`./src:/app`)"
    ),
)
def unsafe_prod_value(ctx: RuleContext) -> Iterator[Draft]:
    """Debug on, development modes, loopback URLs and dev servers in production-like envs;
    once per source line (an env_file three services read is one finding)."""
    yield from once_per_source(_unsafe(ctx))


def _unsafe(ctx: RuleContext) -> Iterator[Draft]:
    for env in ctx.envs:
        if not ctx.production_like[env]:
            continue
        records, values, keys = ctx.config(env)
        candidates = set(values.find(_LOOPBACK))
        candidates.update(
            keys.find(
                (
                    "debug",
                    "env",
                    "command",
                    "insecure",
                    "verify",
                    "tls",
                    "ports",
                    "level",
                    "devtools",
                    "exposure",
                    "sql",
                    "echo",
                    "privileged",
                    "volumes",
                )
            )
        )
        sidecars = _Sidecars(ctx, env)
        datastores = _datastore_workloads(ctx, env)
        for i in sorted(candidates):
            r = records[i]
            assert isinstance(r, ConfigEntry)
            if r.value is None or supplied_at_run_time(r):
                continue
            if r.key == "ports" and r.scope in datastores and isinstance(r.structured, list):
                why: str | None = (
                    f"{r.scope} ({datastores[r.scope]}) publishes {', '.join(r.structured)} on "
                    "the host: the datastore is reachable from outside its network"
                )
            else:
                why = unsafe_value(r.key, r.value, ctx.policy.mode_keys)
            if why and "points at" in why and sidecars.serve(r):
                continue  # a sidecar in the same pod/service listens there (Envoy, SQL proxy)
            if why:
                suffix = "" if env == ctx.reference else f" ({env} is production-like)"
                yield Draft(
                    env,
                    subject_of(r),
                    why + suffix,
                    actual=r.value,
                    suggestion=_remedy(why, r.key, env),
                    source=r.source,
                )


# What fixes each kind of unsafe value: (words of the reason, the fix) — never "copy another
# environment's setting". `{key}` and `{env}` are filled in.
_REMEDIES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("debug mode",), "turn debug off in {env} ({key}=false or unset)"),
    (("development mode",), "set {key} to its production mode in {env}"),
    (
        ("development server",),
        "run a production server (gunicorn/uvicorn without --reload, next start, …)",
    ),
    (("points at",), "point {key} at the real service's host, or run that service as a sidecar"),
    (("logging on", "logs every SQL"), "log at INFO or above in {env} ({key})"),
    (("devtools",), "leave spring-boot-devtools out of production builds"),
    (("actuator",), "expose only health and info in {env}"),
    (
        ("transport security", "certificate verification"),
        "remove {key} and fix the certificate or CA bundle instead",
    ),
    (("publishes",), "stop publishing the port; reach the datastore over the internal network"),
    (
        ("privileged",),
        "drop privileged in {env}; grant the one capability needed (cap_add) instead",
    ),
    (("bind-mount",), "ship the code in the image: remove the source bind mount in {env}"),
)


def _remedy(why: str, key: str, env: str) -> str:
    """The fix for this kind of unsafe value."""
    for words, fix in _REMEDIES:
        if any(w in why for w in words):
            return fix.format(key=key, env=env)
    return f"change {key} in {env}"


class _Sidecars:
    """Units where loopback reaches another process than the container itself: a workload
    running more than one container (a proxy, a Cloud SQL connector, a mesh sidecar), and a
    values file or service whose settings switch a sidecar on (the policy's sidecar_keys,
    `mesh.enabled: true`). A ConfigMap key is served by them when every workload reading it
    is such a unit."""

    def __init__(self, ctx: RuleContext, env: str) -> None:
        self.ctx, self.env = ctx, env
        neutral = ctx.normalizer.neutral
        self.pods = {
            group[1]
            for group, images in ctx.indexes[env].groups.items()
            if group[0] == Kind.IMAGE and len(images) > 1
        }
        marker = vocabulary(tuple(ctx.policy.sidecar_keys))
        records, _, keys = ctx.config(env)
        self.scopes = {
            neutral(r.scope)
            for i in keys.find(["enabled", "sidecar", "mesh", "proxy"])
            if marker.matches((r := records[i]).key)
            and canonical_scalar(r.value or "") not in ("false", "0", "")
        }

    def _unit(self, scope: str) -> bool:
        neutral = self.ctx.normalizer.neutral(scope)
        if any(neutral == s or neutral.startswith(s + "/") for s in self.scopes):
            return True
        return any(neutral == w or neutral.startswith(w + "/") for w in self.pods)

    def serve(self, r: ConfigEntry) -> bool:
        if "/ConfigMap/" in r.scope:
            users = self.ctx.consumers(self.env, r.scope, r.key)
            return bool(users) and all(self._unit(u) for u in users)
        return self._unit(r.scope)


def _datastore_workloads(ctx: RuleContext, env: str) -> dict[str, str]:
    """Workload scope -> image, for workloads that run a datastore."""
    out: dict[str, str] = {}
    for r in ctx.indexes[env].kind_records(Kind.IMAGE):
        if isinstance(r, Image) and _DATASTORES.search(r.repository.lower()):
            out[r.workload] = r.repository.rsplit("/", 1)[-1]
    return out
