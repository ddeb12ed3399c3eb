"""The collector contract: every source type implements Collector and returns records.

Collectors are split into *get* (reading the source) and *transform* (pure functions from parsed
data to records) so transforms can be unit-tested on canned data.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from parity.errors import CollectorError
from parity.model import ConfigEntry, Notice, Record
from parity.secrets import SecretGuard
from parity.settings import AwsConfig


class BaseOptions(BaseModel):
    """Options every source accepts; subclasses add their own and forbid unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, description="Scope name; defaults to the type.")


class FileOptions(BaseOptions):
    """Options of a collector reading one file."""

    path: str = Field(description="File to read, relative to the config file.")


@dataclass
class CollectContext:
    """What a collector may use: environment name, path resolution and the secret guard."""

    environment: str
    base_dir: Path
    guard: SecretGuard = field(default_factory=SecretGuard)
    aws: AwsConfig | None = None
    shared: dict[str, Any] = field(default_factory=dict)  # per-env caches (one AWS session)

    def resolve(self, path: str) -> Path:
        """Config-relative path to an absolute one."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    def display(self, path: Path) -> str:
        """Path as shown in records: relative to the config dir so output is machine-stable."""
        try:
            return path.resolve().relative_to(self.base_dir.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def read_text(self, path: Path, collector: str) -> str:
        """Read a UTF-8 file, translating OS errors into an actionable CollectorError."""
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError as e:
            raise CollectorError(
                f"{self.display(path)} does not exist", hint="check the source path in parity.toml"
            ) from e
        except IsADirectoryError as e:
            raise CollectorError(f"{self.display(path)} is a directory, expected a file") from e
        except PermissionError as e:
            raise CollectorError(
                f"{self.display(path)} is not readable (permission denied)",
                hint="run parity as a user that can read it",
            ) from e
        except UnicodeDecodeError as e:
            raise CollectorError(f"{self.display(path)} is not UTF-8 text (byte {e.start})") from e
        except OSError as e:
            raise CollectorError(f"cannot read {self.display(path)}: {e.strerror}") from e

    def config_entry(
        self, scope: str, key: str, raw: Any, source: str, *, env_var: bool = False
    ) -> ConfigEntry:
        """Build a config entry, fingerprinting whatever looks secret before it is stored."""
        structured = None
        if raw.__class__ is str and raw[:1] not in ("[", "{"):
            value, fingerprint = self.guard.classify(key, raw)
            return ConfigEntry(scope, key, value, source, fingerprint, None, env_var)
        if isinstance(raw, dict | list):
            structured = raw
            text = json.dumps(raw, sort_keys=True, separators=(",", ":"))
        elif raw is None:
            text = ""
        elif isinstance(raw, bool):
            text = "true" if raw else "false"
        else:
            text = str(raw)
            if text[:1] in "[{" and len(text) > 1:
                try:
                    structured = json.loads(text)
                except ValueError:
                    structured = None
        value, fingerprint = self.guard.classify(key, text)
        if value is None:
            structured = None
        return ConfigEntry(
            scope=scope,
            key=key,
            value=value,
            source=source,
            fingerprint=fingerprint,
            env_var=env_var,
            structured=structured,
        )


@dataclass
class CollectorResult:
    """What one source produced."""

    records: list[Record] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


class Collector(ABC):
    """One source type. Subclasses set `type_name`, `Options`, and implement `collect`."""

    type_name: ClassVar[str]
    Options: ClassVar[type[BaseOptions]] = FileOptions
    summary: ClassVar[str] = ""

    def __init__(self, options: BaseOptions, ctx: CollectContext) -> None:
        self.options = options
        self.ctx = ctx

    @property
    def scope(self) -> str:
        """Alignment scope of this source's records."""
        return self.options.name or self.type_name

    def location(self) -> str:
        """What is read, for error messages and the snapshot's source list (no credentials)."""
        path = getattr(self.options, "path", None)
        return self.ctx.display(self.ctx.resolve(path)) if path else self.type_name

    @abstractmethod
    def collect(self) -> CollectorResult:
        """Read the source; raise CollectorError (never return partial silence) on failure."""
