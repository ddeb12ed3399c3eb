"""`parity init`: a commented, valid parity.toml guessed from what a repository holds.

A file belongs to an environment when its path names exactly one (a directory such as
`staging/` or `overlays/prod/`, or the file name: `.env.staging`, `config/production.json`,
`values-prod.yaml`, `docker-compose.prod.yml`); its kind picks the collector (YAML holding
`kind:` and `apiVersion:` is Kubernetes, compose files are compose, `.env*` dotenv, other
YAML/JSON/TOML/INI config files, layered on `values.yaml` / `default.<ext>` beside them).
Sources get the same name in every environment so they align.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from parity.settings import DEFAULT_ALIASES

_SKIP_DIRS = {
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    ".parity",
    "vendor",
    "dist",
    ".terraform",  # providers and modules `terraform init` downloaded
}
_MAX_FILES = 20_000
_ALIASES = {a for v in DEFAULT_ALIASES.values() for a in v}


@dataclass(frozen=True)
class Found:
    """A file or directory that belongs to one environment."""

    env: str
    source_type: str
    path: str
    layered_on: str | None = None  # a base file merged under it (Helm values.yaml, default.json)
    var_file: str | None = None  # terraform: the environment's tfvars applied to the module


def env_of(name: str) -> str | None:
    """The environment a file name names (`.env.staging`, `values-prod.yaml`), if one."""
    if name.startswith(".env"):
        name = name[len(".env") :]
    return _token_env(name)


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


_CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".ini")
_KIND = re.compile(r"^kind:\s*\S", re.MULTILINE)
_API_VERSION = re.compile(r"^apiVersion:\s*\S", re.MULTILINE)


def _envs_in(rel: str) -> set[str]:
    """Environments named by a path's directories and file name (`staging/api-prod.yml`
    names two: ambiguous, left out)."""
    parts = rel.split("/")
    name = parts[-1]
    if name.startswith(".env"):
        name = name[len(".env") :]
    found = {_token_env(p) for p in [*parts[:-1], name]}
    found.discard(None)
    return found  # type: ignore[return-value]


_PY_DEPS = re.compile(r"^(requirements[\w.-]*\.txt|poetry\.lock|uv\.lock|pipfile\.lock)$", re.I)
_SQLITE = (".db", ".sqlite", ".sqlite3")


def kind_of(p: Path) -> str | None:
    """Which collector reads a file (or a source tree), by name and, for YAML, by content:
    what `parity init` and a config-less `parity diff` infer."""
    if p.is_dir():
        if _terraform_module(p):
            return "terraform"
        return "source-code" if _source_tree(p) else None
    if p.suffix in (".tf", ".tfvars", ".hcl"):
        return "config-file"  # read as HCL
    return _kind_of(p, p.name)


def _terraform_module(d: Path) -> bool:
    """A Terraform root (or child) module: a directory holding `.tf` files."""
    try:
        return any(c.suffix == ".tf" and c.is_file() for c in d.iterdir())
    except OSError:
        return False


def _source_tree(d: Path) -> bool:
    """A directory of Python, JavaScript/TypeScript or Go sources (read for env var reads)."""
    try:
        return any(
            c.suffix in (".py", ".js", ".ts", ".go") for c in d.iterdir() if c.is_file()
        ) or any((d / n).is_dir() and kind_of(d / n) for n in ("src", "app"))
    except OSError:
        return False


def _kind_of(p: Path, rel: str) -> str | None:
    """Which collector reads a file, by name and (for YAML) by content."""
    name = p.name
    if name.startswith(".env") or (p.suffix == ".env" and not name.startswith(".")):
        if name.endswith((".example", ".sample", ".template", ".dist")):
            return None
        return "dotenv"
    if _PY_DEPS.match(name):
        return "python-deps"
    if name == "package-lock.json":
        return "node-deps"
    if p.suffix.lower() in _SQLITE:
        return "sql"
    if p.suffix not in _CONFIG_SUFFIXES:
        return None
    if re.match(r"(docker-)?compose[.-]", name):
        return "compose"
    if p.suffix in (".yml", ".yaml"):
        try:
            head = p.read_text(encoding="utf-8", errors="replace")[:200_000]
        except OSError:
            return None
        if _KIND.search(head) and _API_VERSION.search(head):
            return "k8s"
    return "config-file"


def _base_of(p: Path, root: Path) -> str | None:
    """A file every environment's file is layered on: Helm's values.yaml beside
    values-<env>.yaml, node-config's default.json beside <env>.json."""
    for base in (p.parent / "values.yaml", p.parent / f"default{p.suffix}"):
        if (
            base != p
            and base.is_file()
            and (p.name.startswith("values") == (base.name == "values.yaml"))
        ):
            return base.relative_to(root).as_posix()
    return None


def _empty(p: Path) -> bool:
    """An empty file is a placeholder: a source made of it would fail (empty is no pass)."""
    try:
        return not p.read_bytes().strip()
    except OSError:
        return True


def scan(root: Path) -> list[Found]:
    """What the repository holds per environment: every file whose path names exactly one
    environment (a directory such as `staging/` or `overlays/prod/`, or the file name such as
    `.env.production`, `values-prod.yaml`, `config/staging.json`)."""
    found: list[Found] = []
    files = _walk(root)
    found += _terraform(root, files)
    for p in files:
        rel = p.relative_to(root).as_posix()
        kind = _kind_of(p, rel)
        envs = _envs_in(rel) if kind else set()
        if kind is None or len(envs) != 1 or _empty(p):
            continue
        (env,) = envs
        layered = _base_of(p, root) if kind == "config-file" else None
        found.append(Found(env, kind, rel, layered))
    return found


def _terraform(root: Path, files: list[Path]) -> list[Found]:
    """Terraform as teams lay it out per environment: a module directory per environment
    (`envs/prod/*.tf`), or one module applied with a tfvars file per environment
    (`prod.tfvars`, `env/staging.tfvars`) — the module is the nearest directory above it
    holding `.tf` files."""
    out: list[Found] = []
    dirs = sorted({p.parent for p in files if p.suffix == ".tf"})
    for d in dirs:
        envs = _envs_in(d.relative_to(root).as_posix() + "/x") if d != root else set()
        if len(envs) == 1:
            out.append(Found(next(iter(envs)), "terraform", d.relative_to(root).as_posix()))
    for p in files:
        if not p.name.endswith((".tfvars", ".tfvars.json")) or ".auto." in p.name:
            continue
        rel = p.relative_to(root).as_posix()
        envs = _envs_in(rel)
        module = next((d for d in (p.parent, p.parent.parent) if d in dirs), None)
        if len(envs) != 1 or module is None or _empty(p):
            continue
        (env,) = envs
        mod = module.relative_to(root).as_posix() or "."
        if any(f.path == mod and f.env == env and f.var_file is None for f in out):
            continue  # the environment's own module directory reads its tfvars itself
        out.append(Found(env, "terraform", mod, None, rel))
    return out


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
        "# `parity audit` keeps its history in .parity/ here (store = ...): add it to .gitignore.",
        f'reference = "{reference}"',
        "",
    ]
    if not order:
        lines += [
            "# No per-environment files were found (.env.<env>, config/<env>.json,",
            "# values-<env>.yaml, overlays/<env>/, docker-compose.<env>.yml).",
            "# Describe one environment per table, for example:",
            "# [environments.production]",
            '# sources = [{ type = "dotenv", path = ".env.production", name = "app-env" }]',
            "",
        ]
        return "\n".join(lines) + "\n"
    # A type every environment has exactly one file of gets one name everywhere, however the
    # files are named (compose.main.yaml in production, compose.staging.yaml in staging).
    single = {
        t
        for t in _TYPE_NAMES
        if all(sum(1 for f in by_env[e] if f.source_type == t) == 1 for e in order)
    }
    for env in order:
        lines.append(f"[environments.{env}]")
        lines.append("sources = [")
        k8s = [f.path for f in by_env[env] if f.source_type == "k8s"]
        for f in sorted(by_env[env], key=lambda f: (f.source_type, f.path)):
            if f.source_type == "k8s":
                continue
            name = _TYPE_NAMES[f.source_type] if f.source_type in single else _source_name(f)
            if f.source_type == "sql":
                where = f"dsn = {_toml('sqlite:///' + f.path)}"
            elif f.var_file:
                where = f"path = {_toml(f.path)}, var_files = {_toml([f.var_file])}"
            elif f.layered_on:
                where = f"paths = {_toml([f.layered_on, f.path])}"
                env_map = _node_config_map(root, f.layered_on)
                if env_map:  # what node-config reads from the environment at run time
                    where += f", env_map = {_toml(env_map)}"
            else:
                where = f"path = {_toml(f.path)}"
            lines.append(f'  {{ type = "{f.source_type}", {where}, name = "{name}" }},')
        if k8s:
            lines.append(f'  {{ type = "k8s", paths = {_toml(sorted(k8s))}, name = "k8s" }},')
        for tree in _source_trees(root):  # the code every environment runs
            lines.append(f'  {{ type = "source-code", path = {_toml(tree)} }},')
        lines.append("]")
        lines.append("")
    return "\n".join(lines) + "\n"


_TYPE_NAMES = {
    "dotenv": "app-env",
    "compose": "compose",
    "config-file": "config",
    "python-deps": "python-deps",
    "node-deps": "node-deps",
    "sql": "db",
    "terraform": "terraform",
}


def _node_config_map(root: Path, base: str) -> str | None:
    """node-config's custom-environment-variables file beside a `default.*` layer."""
    base_path = root / base
    if not base_path.name.startswith("default."):
        return None
    for suffix in (".json", ".yaml", ".yml", ".json5"):
        found = base_path.parent / f"custom-environment-variables{suffix}"
        if found.is_file():
            return found.relative_to(root).as_posix()
    return None


def _source_trees(root: Path) -> list[str]:
    """Top-level source directories (`src/`, `app/`) whose code reads the variables."""
    return [n for n in ("src", "app") if (root / n).is_dir() and _source_tree(root / n)]


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
