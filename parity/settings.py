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
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from parity.errors import ConfigError

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


class AwsConfig(BaseModel):
    """How one environment reaches AWS (overridable: PARITY_ENVIRONMENTS__<ENV>__AWS__<FIELD>)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile: str | None = Field(default=None, description="Named profile (~/.aws/config).")
    regions: list[str] = Field(
        default_factory=list, description="Regions to collect; default: the profile's region."
    )
    role_arn: str | None = Field(default=None, description="Role to assume for this env.")
    external_id: str | None = Field(default=None, description="External id for the role.")
    endpoint_url: str | None = Field(default=None, description="LocalStack / moto endpoint.")
    max_attempts: int = Field(
        default=5, ge=0, le=20, description="Adaptive retries after the first attempt."
    )
    max_workers: int = Field(default=8, ge=1, le=64, description="Concurrent API calls.")
    connect_timeout: float = Field(default=5.0, gt=0, description="Seconds to connect.")
    read_timeout: float = Field(default=30.0, gt=0, description="Seconds to read a response.")


class EnvironmentConfig(BaseModel):
    """One environment: its sources and, optionally, whether it is production-like."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: list[SourceConfig] = Field(default_factory=list, description="What to collect.")
    production_like: bool | None = Field(
        default=None, description="Override the policy's production-like role for this env."
    )
    aws: AwsConfig | None = Field(default=None, description="AWS access for aws-* sources.")


class Settings(BaseSettings):
    """Validated parity configuration; PARITY_* environment variables override the file."""

    model_config = SettingsConfigDict(
        env_prefix="PARITY_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    reference: str = Field(default="production", description="Environment compared against.")
    policy: str | None = Field(default=None, description="Policy file; built-in pack if unset.")
    aliases: dict[str, list[str]] = Field(
        default_factory=dict, description="Extra environment-name aliases (merged with defaults)."
    )
    environments: dict[str, EnvironmentConfig] = Field(
        default_factory=dict, description="Environments by name."
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
        """Environment variables win over the file, so CI can override one setting."""
        return (env_settings, init_settings)

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

    def resolve_path(self, path: str) -> Path:
        """Make a config-relative path absolute."""
        p = Path(os.path.expanduser(path))
        return p if p.is_absolute() else self.config_dir / p


def find_config(explicit: str | None) -> Path | None:
    """--config, else PARITY_CONFIG, else ./parity.toml, else [tool.parity] in pyproject.toml."""
    chosen = explicit or os.environ.get("PARITY_CONFIG")
    if chosen:
        p = Path(chosen)
        if not p.is_file():
            raise ConfigError(f"config file {p} does not exist", hint="check --config")
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
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from e
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror}") from e


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def format_validation_error(where: str, err: ValidationError) -> str:
    """One line per problem, naming the file and dotted key: users fix configs from this."""
    lines = []
    for e in err.errors():
        key = _loc(e["loc"])
        msg = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
        lines.append(f"{where}: {key}: {msg}" if key else f"{where}: {msg}")
    return "\n".join(lines)


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
    try:
        settings = Settings(**data)
    except ValidationError as e:
        raise ConfigError(format_validation_error(where, e)) from e
    from parity.collectors import validate_source_options

    for env_name, env in settings.environments.items():
        for i, source in enumerate(env.sources):
            validate_source_options(where, f"environments.{env_name}.sources[{i}]", source)
    return settings


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
