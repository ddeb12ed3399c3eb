"""parity.toml loading: one validated settings object, so collectors never see raw dicts.

Settings come from `parity.toml` (or `[tool.parity]` in pyproject.toml) and every top-level
setting can be overridden by a `PARITY_*` variable (nested ones with `__`, e.g.
`PARITY_REFERENCE=prod`). Source paths are relative to the config file; `${VAR}` in source
options is expanded from the process environment.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    PyprojectTomlConfigSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

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


_CONFIG_FILE: ContextVar[Path | None] = ContextVar("parity_config_file", default=None)
_INTERNAL = frozenset({"config_dir", "config_file"})


def _existing(files: Any) -> list[Any]:
    """The chosen file when it exists (a FIFO too: read_input refuses it with a message,
    where pydantic-settings' `is_file` would skip it silently)."""
    return [Path(files)] if isinstance(files, str | Path) and Path(files).exists() else []


class _TomlSource(TomlConfigSettingsSource):
    """`parity.toml`, read as parity reads its own inputs (a FIFO or device refused,
    size-bounded, a byte-order mark accepted); a syntax error names the file."""

    @staticmethod
    def _existing_files(files: Any) -> list[Any]:
        return _existing(files)

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        return _read_toml(Path(str(file_path)))


class _PyprojectSource(PyprojectTomlConfigSettingsSource):
    """`[tool.parity]` in the pyproject.toml that discovery chose (never a search upwards)."""

    @staticmethod
    def _existing_files(files: Any) -> list[Any]:
        return _existing(files)

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        return _read_toml(Path(str(file_path)))

    @staticmethod
    def _pick_pyproject_toml_file(provided: Any, depth: int) -> Any:
        return provided


class _EnvSource(EnvSettingsSource):
    """`PARITY_*` variables (nested with `__`), never the internal fields, and never a crash
    when `PARITY_X` and `PARITY_X__Y` both exist: the nested one wins."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        names = {n.lower() for n in self.env_vars}
        prefix = (self.env_prefix or "").lower()
        delimiter = self.env_nested_delimiter or "__"
        shadowed = {
            f"{prefix}{field}"
            for field in settings_cls.model_fields
            if any(n.startswith(f"{prefix}{field}{delimiter}") for n in names)
        }
        if shadowed:
            self.env_vars = {k: v for k, v in self.env_vars.items() if k.lower() not in shadowed}

    def __call__(self) -> dict[str, Any]:
        found = super().__call__()
        return {k: v for k, v in found.items() if k not in _INTERNAL}


class Settings(BaseSettings):
    """Validated parity configuration: `parity.toml` (or `[tool.parity]` in pyproject.toml),
    overridden by `PARITY_*` variables (nested with `__`: `PARITY_ENVIRONMENTS__STAGING__AWS__
    ENDPOINT_URL`), through pydantic-settings' own TOML, pyproject and environment sources."""

    model_config = SettingsConfigDict(
        extra="forbid",
        frozen=True,
        env_prefix="PARITY_",
        env_nested_delimiter="__",
        case_sensitive=False,
        pyproject_toml_table_header=("tool", "parity"),
    )

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
    workers: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Sources collected at once, across environments (live sources wait on "
        "the network; 1: one after another).",
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

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment over the file over what the caller passed (the file's location)."""
        path = _CONFIG_FILE.get()
        pyproject = path is not None and path.name == "pyproject.toml"
        return (
            _EnvSource(settings_cls),
            _TomlSource(settings_cls, toml_file=None if pyproject else path),
            _PyprojectSource(settings_cls, toml_file=path if pyproject else None),
            init_settings,
        )

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
    from parity.inputs.files import read_input

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
    where = str(path) if path else "settings"
    location: dict[str, Any] = {}
    if path is not None:
        location = {"config_dir": path.parent.resolve(), "config_file": str(path)}
    token = _CONFIG_FILE.set(path)
    try:
        settings = Settings(**location)
    except SettingsError as e:  # a PARITY_* variable that is not the JSON its field needs
        field = str(e).split('"')[1] if '"' in str(e) else "a setting"
        raise ConfigError(
            f"{where}: PARITY_{field.upper()} cannot be read as {field}",
            hint='complex settings take JSON (PARITY_ALIASES=\'{"prod": ["live"]}\'), or set '
            f"PARITY_{field.upper()}__<KEY> variables instead",
        ) from e
    except ValidationError as e:
        applied = [name for name, _ in _setting_vars(os.environ)]
        hint = f"these environment variables override the file: {', '.join(applied)}"
        raise ConfigError(format_validation_error(where, e), hint=hint if applied else None) from e
    finally:
        _CONFIG_FILE.reset(token)
    validate_sources(settings, where)
    return settings


def validate_sources(settings: Settings, where: str) -> None:
    """Every source's options and connection table, checked by the collector family that owns
    them (settings never import collector types at module level)."""
    from parity.collectors import validate_connection, validate_source_options

    for env_name, env in settings.environments.items():
        for i, source in enumerate(env.sources):
            validate_source_options(where, f"environments.{env_name}.sources[{i}]", source)
        for family, raw in env.connections.items():
            validate_connection(where, f"environments.{env_name}.{family}", family, raw)


_ENV_PREFIX = "PARITY_"


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
