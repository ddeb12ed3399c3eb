"""Load a Compose project as Compose does: a set of files merged, `include`, `extends`,
profiles, interpolation, env_files.

Kept apart from the collector so the merge rules are testable on their own. Every file a
project points to is confined to the project root (see CollectContext.confined).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parity.errors import CollectorError, ParseError
from parity.inputs.yamlio import Tagged, load_yaml_documents

from ._interpolate import InterpolationError, interpolate_tree
from .dotenv import parse_dotenv
from .interface import CollectContext

# The Compose specification's merge rules (compose-spec `merge.md`), for `extends` and for a
# set of files (`-f a -f b`, COMPOSE_FILE) alike: mappings merge, sequences append, except
# these, replaced whole:
_REPLACED = {"command", "entrypoint"}
# mappings that may be written as `KEY=value` lists: merged as mappings
_MAPPINGS = {"environment", "labels", "extra_hosts", "sysctls", "ulimits", "annotations"}
MAX_EXTENDS_DEPTH = 20


@dataclass
class Service:
    """One resolved service: its definition and the file each relative path is relative to."""

    name: str
    spec: dict[str, Any]
    file: Path
    env_files: list[tuple[Path, bool]] = field(default_factory=list)  # (path, required)
    # attribute -> the file of a set that last set it (`restart` from compose.override.yaml)
    origins: dict[str, Path] = field(default_factory=dict)


@dataclass
class Project:
    """A loaded compose project."""

    services: dict[str, Service]
    top_secrets: dict[str, Any]
    unresolved: dict[str, str]  # variable -> where it was used
    inactive: list[str] = field(default_factory=list)  # services of profiles not active


def _as_map(value: Any) -> dict[str, Any]:
    """`environment`/`labels` in list form (`KEY=v`, `KEY`) as a mapping."""
    if isinstance(value, dict):
        return dict(value)
    out: dict[str, Any] = {}
    for item in value or []:
        key, sep, val = str(item).partition("=")
        out[key] = val if sep else None
    return out


def _port_key(p: Any) -> tuple[str, str, str, str]:
    """A port's identity: (host ip, published, target, protocol)."""
    if isinstance(p, dict):
        return (
            str(p.get("host_ip", "")),
            str(p.get("published", "")),
            str(p.get("target", "")),
            str(p.get("protocol", "tcp")),
        )
    text, _, protocol = str(p).partition("/")
    parts = text.rsplit(":", 2)
    parts = [""] * (3 - len(parts)) + parts
    return (parts[0], parts[1], parts[2], protocol or "tcp")


def _target_key(item: Any, default_dir: str) -> str:
    """A volume's, secret's or config's identity: where it lands in the container."""
    if isinstance(item, dict):
        return str(item.get("target") or f"{default_dir}{item.get('source', '')}")
    text = str(item)
    if default_dir:  # a secret or config by name
        return f"{default_dir}{text}"
    parts = text.split(":")
    return parts[1] if len(parts) > 1 else parts[0]  # `src:target[:mode]`, or `target`


def _volume_key(v: Any) -> str:
    return _target_key(v, "")


def _secret_key(v: Any) -> str:
    return _target_key(v, "/run/secrets/")


def _config_key(v: Any) -> str:
    return _target_key(v, "/")


_UNIQUE: dict[str, Callable[[Any], object]] = {
    "ports": _port_key,
    "volumes": _volume_key,
    "secrets": _secret_key,
    "configs": _config_key,
}


def plain(value: Any) -> Any:
    """A value with its Compose tags resolved as a single file reads them (`!override x` is
    x; `!reset` is nothing)."""
    if isinstance(value, Tagged):
        return None if value.tag == "!reset" else plain(value.value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if not _is_reset(v)}
    if isinstance(value, list):
        return [plain(v) for v in value if not _is_reset(v)]
    return value


def _is_reset(value: Any) -> bool:
    return isinstance(value, Tagged) and value.tag == "!reset"


def merge(base: Any, override: Any, key: str = "") -> Any:
    """`override` merged onto `base` by the specification's rules (`key`: the attribute both
    are the value of, which decides how a sequence merges)."""
    if isinstance(override, Tagged):
        return None if override.tag == "!reset" else plain(override.value)  # `!override`
    if key in _REPLACED or base is None:
        return plain(override)
    if key in _MAPPINGS:
        return {**_as_map(base), **_as_map(plain(override))}
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for k, v in override.items():
            if _is_reset(v):
                out.pop(k, None)
            else:
                out[k] = merge(out.get(k), v, k)
        if key == "healthcheck" and "test" in override:  # a shell command: replaced
            out["test"] = plain(override["test"])
        return out
    if isinstance(base, list) and isinstance(override, list):
        ident = _UNIQUE.get(key)
        new = plain(override)
        if ident is not None:  # unique resources: an entry with the same identity replaces
            keys = {ident(v) for v in new}
            return [v for v in base if ident(v) not in keys] + new
        return base + [v for v in new if v not in base]
    return plain(override)


def merge_service(base: dict[str, Any], local: dict[str, Any]) -> dict[str, Any]:
    """`extends`: the local service merged onto the one it extends, by the same rules."""
    out = merge(base, {k: v for k, v in local.items() if k != "extends"})
    assert isinstance(out, dict)
    out.pop("extends", None)
    return out


class Loader:
    """Reads compose files of one project with a shared interpolation environment."""

    def __init__(self, ctx: CollectContext, env: Mapping[str, str]) -> None:
        self.ctx = ctx
        self.env = env
        self.docs: dict[Path, dict[str, Any]] = {}
        self.raw: dict[Path, dict[str, Any]] = {}  # as written: `!reset`/`!override` kept
        self.unresolved: dict[str, str] = {}

    def doc(self, path: Path) -> dict[str, Any]:
        path = self.ctx.confined(path, "compose file")
        if path not in self.docs:
            shown = self.ctx.display(path)
            docs = load_yaml_documents(self.ctx.read_text(path), shown, ("!reset", "!override"))
            doc = docs[0] if len(docs) == 1 else None
            if not isinstance(doc, dict):
                raise ParseError(shown, None, "not a compose file (expected one mapping)")
            names: set[str] = set()
            try:
                doc = interpolate_tree(doc, self.env, names)
            except InterpolationError as e:
                raise ParseError(shown, None, str(e)) from e
            for n in names:
                self.unresolved.setdefault(n, shown)
            self.docs[path] = plain(doc)
            self.raw[path] = doc
        return self.docs[path]

    def merged(self, paths: list[Path]) -> dict[str, Any]:
        """A set of files (`-f a -f b`) as one model, by the specification's merge rules; it
        is the first file's, whose directory relative paths are resolved from."""
        doc = self.doc(paths[0])
        for p in paths[1:]:
            self.doc(p)
            out = merge(doc, self.raw[p])
            assert isinstance(out, dict)
            doc = out
        self.docs[self.ctx.confined(paths[0], "compose file")] = doc
        return doc

    def services(self, path: Path) -> dict[str, Any]:
        services = self.doc(path).get("services") or {}
        if not isinstance(services, dict):
            raise ParseError(self.ctx.display(path), None, "services must be a mapping")
        return services

    def resolve(
        self, path: Path, name: str, depth: int = 0
    ) -> tuple[dict[str, Any], list[tuple[Path, bool]]]:
        """A service with its `extends` chain applied, and its env_files (resolved paths)."""
        if depth > MAX_EXTENDS_DEPTH:
            raise ParseError(self.ctx.display(path), None, f"extends of {name} is circular")
        spec = self.services(path).get(name)
        if not isinstance(spec, dict):
            raise ParseError(self.ctx.display(path), None, f"services.{name} is not defined")
        env_files = _env_files(spec, path)
        ext = spec.get("extends")
        if ext is None:
            return dict(spec), env_files
        target_file = path
        if isinstance(ext, str):
            target_name = ext
        elif isinstance(ext, dict) and ext.get("service"):
            target_name = str(ext["service"])
            if ext.get("file"):
                target_file = path.parent / str(ext["file"])
        else:
            raise ParseError(self.ctx.display(path), None, f"services.{name}.extends is malformed")
        base, base_files = self.resolve(target_file, target_name, depth + 1)
        merged = merge_service(base, spec)
        merged.pop("env_file", None)
        return merged, base_files + [f for f in env_files if f not in base_files]


def _env_files(spec: dict[str, Any], declared_in: Path) -> list[tuple[Path, bool]]:
    raw = spec.get("env_file") or []
    out = []
    for ef in [raw] if isinstance(raw, str | dict) else raw:
        path = ef.get("path") if isinstance(ef, dict) else ef
        required = bool(ef.get("required", True)) if isinstance(ef, dict) else True
        out.append((declared_in.parent / str(path), required))
    return out


def _origins(loader: Loader, files: list[Path], service: str) -> dict[str, Path]:
    """Which file of a set last set each attribute of a service."""
    out: dict[str, Path] = {}
    for f in files:
        path = loader.ctx.confined(f, "compose file")
        spec = ((loader.raw.get(path) or {}).get("services") or {}).get(service)
        if isinstance(spec, dict):
            out.update(dict.fromkeys(spec, f))
    return out


def load_project(
    ctx: CollectContext,
    files: list[Path],
    extra_env: Mapping[str, str],
    env_files: list[Path],
    profiles: list[str] | None = None,
) -> Project:
    """The project of a set of compose files (the first one its base): its `.env`, the
    source's env/env_file, the files merged, `include`s, and only the services that run with
    the active `profiles` (none active by default, as `docker compose up` runs)."""
    main = files[0]
    env: dict[str, str] = {}
    for ef in [main.parent / ".env", *env_files]:
        if ef == main.parent / ".env" and not ef.exists():
            continue
        ef = ctx.confined(ef, "env file")
        text = ctx.read_text(ef, allow_empty=True)
        env.update({e.key: e.value for e in parse_dotenv(text, ctx.display(ef))})
    env.update(extra_env)
    loader = Loader(ctx, env)
    sources = [main]
    for inc in loader.merged(files).get("include") or []:
        paths = inc.get("path") if isinstance(inc, dict) else inc
        for p in [paths] if isinstance(paths, str) else paths or []:
            sources.append(main.parent / str(p))
    services: dict[str, Service] = {}
    top_secrets: dict[str, Any] = {}
    inactive: list[str] = []
    active = set(profiles or ())
    for f in sources:
        top_secrets.update(loader.doc(f).get("secrets") or {})
        for name in loader.services(f):
            if name in services:
                raise CollectorError(f"service {name} is defined by two included files")
            spec, svc_env_files = loader.resolve(f, name)
            wanted = spec.get("profiles") or []
            if wanted and not active & {str(p) for p in wanted}:
                inactive.append(name)
                continue
            origins = _origins(loader, files, name) if f == main else {}
            services[name] = Service(name, spec, f, svc_env_files, origins)
    return Project(services, top_secrets, loader.unresolved, sorted(inactive))
