"""Load a Compose project as Compose does: `include`, `extends`, interpolation, env_files.

Kept apart from the collector so the merge rules are testable on their own. Every file a
project points to is confined to the project root (see CollectContext.confined).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parity.errors import CollectorError, ParseError
from parity.inputs.yamlio import load_yaml_documents

from ._interpolate import InterpolationError, interpolate_tree
from .dotenv import parse_dotenv
from .interface import CollectContext

# Compose's merge rules for `extends`: mappings merged by key, these sequences appended.
_MAPPINGS = {"environment", "labels", "extra_hosts", "sysctls", "ulimits", "healthcheck"}
_APPENDED = {
    "ports",
    "expose",
    "volumes",
    "dns",
    "dns_search",
    "env_file",
    "secrets",
    "configs",
    "devices",
    "cap_add",
    "cap_drop",
    "tmpfs",
}
MAX_EXTENDS_DEPTH = 20


@dataclass
class Service:
    """One resolved service: its definition and the file each relative path is relative to."""

    name: str
    spec: dict[str, Any]
    file: Path
    env_files: list[tuple[Path, bool]] = field(default_factory=list)  # (path, required)


@dataclass
class Project:
    """A loaded compose project."""

    services: dict[str, Service]
    top_secrets: dict[str, Any]
    unresolved: dict[str, str]  # variable -> where it was used


def _as_map(value: Any) -> dict[str, Any]:
    """`environment`/`labels` in list form (`KEY=v`, `KEY`) as a mapping."""
    if isinstance(value, dict):
        return dict(value)
    out: dict[str, Any] = {}
    for item in value or []:
        key, sep, val = str(item).partition("=")
        out[key] = val if sep else None
    return out


def merge_service(base: dict[str, Any], local: dict[str, Any]) -> dict[str, Any]:
    """Compose's `extends` merge: local wins; mappings merge; some sequences append."""
    out = dict(base)
    for key, value in local.items():
        if key == "extends":
            continue
        if key in _MAPPINGS and key in out:
            out[key] = {**_as_map(out[key]), **_as_map(value)}
        elif key in _APPENDED and key in out and isinstance(value, list):
            prior = out[key] if isinstance(out[key], list) else [out[key]]
            out[key] = prior + [v for v in value if v not in prior]
        else:
            out[key] = value
    out.pop("extends", None)
    return out


class Loader:
    """Reads compose files of one project with a shared interpolation environment."""

    def __init__(self, ctx: CollectContext, env: Mapping[str, str]) -> None:
        self.ctx = ctx
        self.env = env
        self.docs: dict[Path, dict[str, Any]] = {}
        self.unresolved: dict[str, str] = {}

    def doc(self, path: Path) -> dict[str, Any]:
        path = self.ctx.confined(path, "compose file")
        if path not in self.docs:
            shown = self.ctx.display(path)
            docs = load_yaml_documents(self.ctx.read_text(path), shown)
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
            self.docs[path] = doc
        return self.docs[path]

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


def load_project(
    ctx: CollectContext, main: Path, extra_env: Mapping[str, str], env_files: list[Path]
) -> Project:
    """The project rooted at `main`: its `.env`, the source's env/env_file, `include`s."""
    env: dict[str, str] = {}
    for ef in [main.parent / ".env", *env_files]:
        if ef == main.parent / ".env" and not ef.exists():
            continue
        ef = ctx.confined(ef, "env file")
        text = ctx.read_text(ef, allow_empty=True)
        env.update({e.key: e.value for e in parse_dotenv(text, ctx.display(ef))})
    env.update(extra_env)
    loader = Loader(ctx, env)
    files = [main]
    for inc in loader.doc(main).get("include") or []:
        paths = inc.get("path") if isinstance(inc, dict) else inc
        for p in [paths] if isinstance(paths, str) else paths or []:
            files.append(main.parent / str(p))
    services: dict[str, Service] = {}
    top_secrets: dict[str, Any] = {}
    for f in files:
        top_secrets.update(loader.doc(f).get("secrets") or {})
        for name in loader.services(f):
            if name in services:
                raise CollectorError(f"service {name} is defined by two included files")
            spec, svc_env_files = loader.resolve(f, name)
            services[name] = Service(name, spec, f, svc_env_files)
    return Project(services, top_secrets, loader.unresolved)
