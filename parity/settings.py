"""parity.toml loading: one validated settings object, so collectors never see raw dicts.

Settings come from `parity.toml` (or `[tool.parity]` in pyproject.toml) and every top-level
setting can be overridden by a `PARITY_*` variable (nested ones with `__`, e.g.
`PARITY_REFERENCE=prod`). Source paths are relative to the config file; `${VAR}` in source
options is expanded from the process environment.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from parity.errors import ConfigError, format_validation_error

DEFAULT_ALIASES: dict[str, list[str]] = {
    "production": ["production", "prod", "prd", "live"],
    "staging": ["staging", "stg", "stage"],
    "development": ["development", "dev", "local"],
    "canary": ["canary"],
    "qa": ["qa", "test"],
}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class SourceConfig(BaseModel):
    """One source of an environment: a collector type plus its options (checked per type)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = Field(description="Collector type, a key of the collector registry.")
    name: str | None = Field(
        default=None, description="Scope name records align under; defaults to the type."
    )

    @property
    def options(self) -> dict[str, Any]:
        """The collector-specific options (everything but type)."""
        return dict(self.model_extra or {}) | {"name": self.name}

    @property
    def scope_name(self) -> str:
        """The alignment scope for this source's records."""
        return self.name or self.type


class EnvironmentConfig(BaseModel):
    """One environment: its sources, optionally its role, and connection tables.

    Connection tables (`[environments.X.aws]`…) belong to the collector family that uses them:
    they are kept raw here and validated by that family (see `parity.collectors.CONNECTIONS`),
    so settings never import collector types.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    sources: list[SourceConfig] = Field(default_factory=list, description="What to collect.")
    production_like: bool | None = Field(
        default=None, description="Override the policy's production-like role for this env."
    )

    @property
    def connections(self) -> dict[str, Any]:
        """Connection tables by family name (`aws`), raw."""
        return dict(self.model_extra or {})


class Settings(BaseModel):
    """Validated parity configuration; PARITY_* environment variables override the file.

    The overrides are merged by `env_overrides` before validation rather than by
    pydantic-settings, whose import (asyncio, dataclasses, cloud providers) cost more than a
    whole file-only gate.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str = Field(default="production", description="Environment compared against.")
    policy: str | None = Field(default=None, description="Policy file; built-in pack if unset.")
    aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="Extra environment-name aliases (merged with defaults)."
    )
    environments: dict[str, EnvironmentConfig] = Field(
        default_factory=dict, description="Environments by name."
    )
    root: str | None = Field(
        default=None,
        description="Files that collected files point to (env_file, extends, -r) must stay "
        "inside this directory; default: the config file's directory.",
    )
    max_file_mb: float = Field(
        default=50, gt=0, le=1_000_000, allow_inf_nan=False, description="Largest file read."
    )
    store: str = Field(
        default=".parity",
        description="Snapshot history: a directory (relative to the config) or s3://bucket/prefix.",
    )
    baseline: str | None = Field(
        default=None, description="Baseline file (`parity baseline`) honoured by check and audit."
    )
    config_dir: Path = Field(default=Path("."), description="Directory paths are relative to.")
    config_file: str = Field(default="<defaults>", description="Where settings were read from.")

    @model_validator(mode="after")
    def _check_reference(self) -> Settings:
        if self.environments and self.reference not in self.environments:
            raise ValueError(
                f"reference {self.reference!r} is not a configured environment "
                f"(have: {', '.join(sorted(self.environments))})"
            )
        return self

    def env_aliases(self) -> dict[str, list[str]]:
        """Aliases per canonical env name: defaults, then the file's, lower-cased."""
        merged = {k: list(v) for k, v in DEFAULT_ALIASES.items()}
        for name, extra in self.aliases.items():
            merged[name.lower()] = sorted({name.lower(), *[a.lower() for a in extra]})
        return merged

    def environment(self, name: str) -> EnvironmentConfig:
        """A configured environment; the one place an unknown name becomes an error."""
        if name not in self.environments:
            known = ", ".join(sorted(self.environments)) or "none"
            raise ConfigError(f"unknown environment {name!r}", hint=f"configured: {known}")
        return self.environments[name]

    def select(self, names: list[str] | None) -> list[str]:
        """Configured environments narrowed to `names` (the reference always stays)."""
        for name in names or []:
            self.environment(name)
        every = list(self.environments)
        if not names:
            return every
        return [n for n in every if n in names or n == self.reference]

    def resolve_path(self, path: str) -> Path:
        """Make a config-relative path absolute."""
        p = Path(os.path.expanduser(path))
        return p if p.is_absolute() else self.config_dir / p


def find_config(explicit: str | None) -> Path | None:
    """--config, else PARITY_CONFIG, else ./parity.toml, else [tool.parity] in pyproject.toml."""
    chosen = explicit or os.environ.get("PARITY_CONFIG")
    if chosen:
        p = Path(chosen)
        if not p.exists():
            raise ConfigError(
                f"config file {p} does not exist",
                hint="check --config, or run `parity init` to scaffold one",
            )
        return p
    for candidate in (Path("parity.toml"), Path("pyproject.toml")):
        if candidate.is_file():
            if candidate.name == "pyproject.toml" and "parity" not in _read_toml(candidate).get(
                "tool", {}
            ):
                continue
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    from parity.inputs import read_input

    text = read_input(path, "config file")
    if "\r" in text.replace("\r\n", ""):
        raise ConfigError(f"{path}: has CR-only line endings; save it with LF (or CRLF) endings")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from e
    except RecursionError as e:
        raise ConfigError(f"{path}: nested too deeply") from e


def load_settings(explicit: str | None = None) -> Settings:
    """Find, read and validate the configuration; every problem is a ConfigError (exit 2)."""
    path = find_config(explicit)
    data: dict[str, Any] = {}
    if path is not None:
        raw = _read_toml(path)
        data = raw.get("tool", {}).get("parity", {}) if path.name == "pyproject.toml" else raw
        data = dict(data)
        data["config_dir"] = path.parent.resolve()
        data["config_file"] = str(path)
    where = str(path) if path else "settings"
    data = merge(data, env_overrides(os.environ))
    try:
        settings = Settings(**data)
    except ValidationError as e:
        applied = [name for name, _ in _setting_vars(os.environ)]
        hint = f"these environment variables override the file: {', '.join(applied)}"
        raise ConfigError(format_validation_error(where, e), hint=hint if applied else None) from e
    from parity.collectors import validate_connection, validate_source_options

    for env_name, env in settings.environments.items():
        for i, source in enumerate(env.sources):
            validate_source_options(where, f"environments.{env_name}.sources[{i}]", source)
        for family, raw in env.connections.items():
            validate_connection(where, f"environments.{env_name}.{family}", family, raw)
    return settings


_ENV_PREFIX = "PARITY_"
_INTERNAL = frozenset({"config_dir", "config_file"})


def env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """`PARITY_A__B__C=v` as `{"a": {"b": {"c": v}}}`, for top-level settings only.

    Names are matched case-insensitively, as in the README's `PARITY_ENVIRONMENTS__STAGING__…`;
    other `PARITY_*` variables (`PARITY_FAIL_ON`, `PARITY_FINGERPRINT_KEY`) belong to other
    parts and are not settings. A value that is a JSON object or array (`PARITY_ALIASES=
    '{"prod": ["live"]}'`) is used as that structure; anything else stays a string, which the
    model coerces to the field's type.
    """
    out: dict[str, Any] = {}
    for name, path in _setting_vars(environ):
        node = out
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):  # `PARITY_X=1` and `PARITY_X__Y=2`:
                node[part] = {}  # the nested one wins (names are taken in sorted order)
            node = node[part]
        node[path[-1]] = _structured(environ[name])
    return out


def _setting_vars(environ: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """(variable, setting path) of the PARITY_* variables that override a setting."""
    fields = set(Settings.model_fields) - _INTERNAL
    out = []
    for name in sorted(environ):
        if name.upper().startswith(_ENV_PREFIX):
            path = [p.lower() for p in name[len(_ENV_PREFIX) :].split("__")]
            if path[0] in fields and all(path):
                out.append((name, path))
    return out


def _structured(value: str) -> Any:
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge `override` into a copy of `base`: maps merge, anything else replaces."""
    out = dict(base)
    for key, value in override.items():
        current = out.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            out[key] = merge(current, value)
        else:
            out[key] = value
    return out


def expand_vars(value: Any, where: str) -> Any:
    """Expand ${VAR} in strings (recursively); a missing variable is a ConfigError."""
    if isinstance(value, str):

        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in os.environ:
                raise ConfigError(
                    f"{where}: environment variable {name} is not set",
                    hint=f"export {name}=... before running parity",
                )
            return os.environ[name]

        return _VAR.sub(sub, value)
    if isinstance(value, list):
        return [expand_vars(v, where) for v in value]
    if isinstance(value, dict):
        return {k: expand_vars(v, where) for k, v in value.items()}
    return value
