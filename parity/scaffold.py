"""`parity init`: a commented, valid parity.toml guessed from what a repository holds.

Environments are guessed from names that carry an environment token (`.env.staging`,
`config/production.json`, `values-prod.yaml`, `overlays/staging/`, `docker-compose.prod.yml`);
each file kind maps to the collector that reads it. Everything found is listed in comments, so
the user sees what was guessed and why.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from parity.settings import DEFAULT_ALIASES

_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".parity", "vendor", "dist"}
_MAX_FILES = 20_000
_K8S_DIRS = {"overlays", "k8s", "kubernetes", "deploy", "manifests"}
_ALIASES = {a for v in DEFAULT_ALIASES.values() for a in v}


@dataclass(frozen=True)
class Found:
    """A file or directory that belongs to one environment."""

    env: str
    source_type: str
    path: str
    layered_on: str | None = None  # a base file merged under it (Helm values.yaml, default.json)


def _token_env(name: str) -> str | None:
    """The canonical environment a file or directory name is about, if any."""
    tokens = re.split(r"[^a-z0-9]+", name.lower())
    for canonical, aliases in DEFAULT_ALIASES.items():
        if canonical == "development" and "local" in tokens and len(tokens) > 2:
            continue
        if any(t in aliases for t in tokens):
            return canonical
    return None


def _walk(root: Path) -> list[Path]:
    out: list[Path] = []
    stack = [root]
    while stack and len(out) < _MAX_FILES:
        d = stack.pop()
        try:
            children = sorted(d.iterdir())
        except OSError:
            continue
        for p in children:
            if p.is_symlink():
                continue
            if p.is_dir():
                if p.name not in _SKIP_DIRS:
                    stack.append(p)
            else:
                out.append(p)
    return out


def scan(root: Path) -> list[Found]:
    """What the repository holds per environment."""
    found: list[Found] = []
    k8s_dirs: set[tuple[str, str]] = set()
    for p in _walk(root):
        rel = p.relative_to(root).as_posix()
        name = p.name
        if name.startswith(".env.") and not name.endswith((".example", ".sample", ".template")):
            env = _token_env(name[len(".env.") :])
            if env:
                found.append(Found(env, "dotenv", rel))
            continue
        if p.suffix in (".yml", ".yaml") and re.match(r"(docker-)?compose[.-]", name):
            env = _token_env(name)
            if env:
                found.append(Found(env, "compose", rel))
            continue
        if p.suffix in (".yml", ".yaml") and re.match(r"values[.-]", name):
            env = _token_env(name[len("values") :])
            if env:
                base = p.parent / "values.yaml"
                layered = base.relative_to(root).as_posix() if base.is_file() else None
                found.append(Found(env, "config-file", rel, layered))
            continue
        parts = rel.split("/")
        if p.suffix in (".yml", ".yaml") and any(d in _K8S_DIRS for d in parts[:-1]):
            for i, d in enumerate(parts[:-1]):
                env = _token_env(d)
                if env:
                    k8s_dirs.add((env, "/".join(parts[: i + 1])))
                    break
            continue
        in_config_dir = len(parts) > 1 and parts[-2] in ("config", "configs", "settings")
        if in_config_dir and p.suffix in (".json", ".yaml", ".yml", ".toml"):
            env = _token_env(p.stem) if p.stem.lower() in _ALIASES else None
            if env:
                base = p.parent / f"default{p.suffix}"
                layered = base.relative_to(root).as_posix() if base.is_file() else None
                found.append(Found(env, "config-file", rel, layered))
    for env, d in sorted(k8s_dirs):
        files = sorted(
            q.relative_to(root).as_posix()
            for q in (root / d).rglob("*")
            if q.suffix in (".yml", ".yaml") and q.name != "kustomization.yaml" and q.is_file()
        )
        for f in files:
            found.append(Found(env, "k8s", f))
    return found


def _toml(value: object) -> str:
    return json.dumps(value)  # a JSON string or list is a valid TOML value


def render(root: Path, found: list[Found]) -> str:
    """The parity.toml text."""
    by_env: dict[str, list[Found]] = defaultdict(list)
    for f in found:
        by_env[f.env].append(f)
    order = [e for e in ("production", "staging", "canary", "qa", "development") if e in by_env]
    reference = order[0] if order else "production"
    lines = [
        "# parity configuration, scaffolded by `parity init` from what this repository holds.",
        "# Review every source: names and paths were guessed from file names. Then run",
        "#   parity check            (the gate)   and   parity baseline   (accept today's drift)",
        f'reference = "{reference}"',
        "",
    ]
    if not order:
        lines += [
            "# No per-environment files were found (.env.<env>, config/<env>.json,",
            "# values-<env>.yaml, overlays/<env>/, docker-compose.<env>.yml).",
            "# Describe one environment per table:",
            "[environments.production]",
            'sources = [{ type = "dotenv", path = ".env.production", name = "app-env" }]',
            "",
        ]
        return "\n".join(lines) + "\n"
    for env in order:
        lines.append(f"[environments.{env}]")
        lines.append("sources = [")
        k8s = [f.path for f in by_env[env] if f.source_type == "k8s"]
        for f in sorted(by_env[env], key=lambda f: (f.source_type, f.path)):
            if f.source_type == "k8s":
                continue
            name = _source_name(f)
            where = (
                f"paths = {_toml([f.layered_on, f.path])}"
                if f.layered_on
                else f"path = {_toml(f.path)}"
            )
            lines.append(f'  {{ type = "{f.source_type}", {where}, name = "{name}" }},')
        if k8s:
            lines.append(f'  {{ type = "k8s", paths = {_toml(sorted(k8s))}, name = "k8s" }},')
        lines.append("]")
        lines.append("")
    return "\n".join(lines) + "\n"


def _source_name(f: Found) -> str:
    """The file's path without its environment token, so the same file of every environment
    gets the same name and aligns (`.env.staging` -> `env`, `config/prod.json` -> `config`)."""
    tokens = re.split(
        r"([^A-Za-z0-9]+)",
        f.path.rsplit(".", 1)[0] if "/" in f.path or not f.path.startswith(".") else f.path,
    )
    kept = [t for t in tokens if t.lower() not in _ALIASES]
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(kept).lower()).strip("-")
    return slug or f.source_type
