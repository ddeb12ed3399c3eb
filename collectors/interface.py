"""The collector contract: every source type implements Collector and returns records.

Collectors are split into *get* (reading the source) and *transform* (pure functions from parsed
data to records) so transforms can be unit-tested on canned data. Live collectors (AWS, Docker,
SQL) get what they all need from the contract rather than from each other: a declared optional
extra (a clear "pip install 'parity[x]'" failure when it is missing), an error-translation hook
(library errors become actionable CollectorErrors) and a typed per-environment connection cache
(one session/client per environment, shared by that environment's sources).

This module must not import `parity.settings`: settings validate sources through the registry,
and connection settings are owned by the collector family that uses them.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import stat
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from parity.errors import CollectorError, ConfigError
from parity.model import ConfigEntry, Notice, Record
from parity.secrets.guard import SecretGuard

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class BaseOptions(BaseModel):
    """Options every source accepts; subclasses add their own and forbid unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, description="Scope name; defaults to the type.")


class FileOptions(BaseOptions):
    """Options of a collector reading one file."""

    path: str = Field(description="File to read, relative to the config file.")


OptionsT = TypeVar("OptionsT", bound=BaseOptions)


Hints = tuple[tuple[tuple[str, ...], str], ...]


def hint_for(message: str, hints: Hints, **values: str) -> str | None:
    """The first hint whose fragments occur in a library's message (case-insensitive), with
    `{name}` placeholders filled: live collectors map driver errors to what to do."""
    lowered = message.lower()
    for fragments, hint in hints:
        if any(f in lowered for f in fragments):
            return hint.format(**values)
    return None


@functools.lru_cache(maxsize=64)
def _real_dir(path: Path) -> str:
    """The config directory's real path: asked once per displayed file, resolved once."""
    return os.path.realpath(path)


class ConnectionCache:
    """Per-environment cache of live connections (an AWS session, a Docker client), keyed by
    type, so every source of one environment shares one connection and none is made at import."""

    def __init__(self) -> None:
        self._items: dict[type[Any], Any] = {}
        self._lock = threading.Lock()  # an environment's sources run concurrently

    def get(self, kind: type[T], factory: Callable[[], T]) -> T:
        """The cached instance of `kind`, made by `factory` on first use (once)."""
        with self._lock:
            if kind not in self._items:
                self._items[kind] = factory()
            item: T = self._items[kind]
        return item


@dataclass
class CollectContext:
    """What a collector may use: environment name, path resolution, the secret guard, the
    environment's connection settings (raw tables such as `[environments.X.aws]`, validated
    by the family that owns them) and its connection cache."""

    environment: str
    base_dir: Path
    guard: SecretGuard = field(default_factory=SecretGuard)
    connections: Mapping[str, Any] = field(default_factory=dict)
    cache: ConnectionCache = field(default_factory=ConnectionCache)
    list_keys: Mapping[str, str] = field(default_factory=dict)  # policy: list path -> id field
    root: Path | None = None  # files may only point inside it (default: base_dir)
    max_file_bytes: int = 50 * 1024 * 1024
    # display() per path, for this collection pass: a file is named by every record it yields
    _shown: dict[Path, str] = field(default_factory=dict, repr=False, compare=False)

    def connection_settings(self, family: str, model: type[M]) -> M | None:
        """This environment's settings table for a collector family, validated; None if unset."""
        raw = self.connections.get(family)
        if raw is None:
            return None
        if isinstance(raw, model):
            return raw
        try:
            return model.model_validate(raw)
        except ValidationError as e:
            raise ConfigError(
                f"environments.{self.environment}.{family}: {e.errors()[0]['msg']}"
            ) from e

    def resolve(self, path: str) -> Path:
        """Config-relative path to an absolute one."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    def display(self, path: Path) -> str:
        """Path as shown in records: relative to the config dir so output is machine-stable."""
        shown = self._shown.get(path)
        if shown is None:
            try:  # realpath never raises (a symlink loop stays as written)
                real = Path(os.path.realpath(path))
                shown = real.relative_to(_real_dir(self.base_dir)).as_posix()
            except ValueError:
                shown = path.as_posix()
            self._shown[path] = shown
        return shown

    def confined(self, path: Path, what: str) -> Path:
        """A path a collected file points to (`env_file:`, `extends: file:`, `-r`), refused
        unless it stays inside the project root: a hostile repository must not make parity
        read `/proc/self/environ` or `../../etc/shadow` into a report."""
        root = (self.root or self.base_dir).resolve()
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as e:  # symlink loop
            raise CollectorError(f"{what} {self.display(path)} cannot be resolved ({e})") from e
        if not real.is_relative_to(root):
            raise CollectorError(
                f"{what} {path} is outside the project root {root}",
                hint="keep referenced files inside the project, or set root = in parity.toml",
            )
        return real

    def read_text(self, path: Path, *, allow_empty: bool = False) -> str:
        """Read a UTF-8 regular file, bounded in size; OS errors become CollectorErrors that
        name the file and the fix. A FIFO, device or socket fails at once (never blocks)."""
        shown = self.display(path)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError as e:
            dangling = path.is_symlink()
            raise CollectorError(
                f"{shown} is a dangling symlink" if dangling else f"{shown} does not exist",
                hint="check the source path in parity.toml",
            ) from e
        except PermissionError as e:
            raise CollectorError(
                f"{shown} is not readable (permission denied)",
                hint="run parity as a user that can read it",
            ) from e
        except OSError as e:
            raise CollectorError(f"cannot open {shown}: {e.strerror}") from e
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise CollectorError(f"{shown} is a directory, expected a file")
            if not stat.S_ISREG(st.st_mode):
                raise CollectorError(f"{shown} is not a regular file (FIFO, device or socket)")
            if st.st_size > self.max_file_bytes:
                raise CollectorError(
                    f"{shown} is {st.st_size:,} bytes, over the {self.max_file_bytes:,}-byte limit",
                    hint="raise max_file_mb in parity.toml if this file is really that large",
                )
            with os.fdopen(fd, "rb", closefd=True) as fh:
                fd = -1
                data = fh.read(self.max_file_bytes + 1)
        except OSError as e:
            raise CollectorError(f"cannot read {shown}: {e.strerror}") from e
        finally:
            if fd >= 0:
                os.close(fd)
        if b"\x00" in data:
            line = data.count(b"\n", 0, data.index(b"\x00")) + 1
            raise CollectorError(f"{shown}:{line} is binary, not a text file")
        try:
            text = data.decode("utf-8-sig")  # a byte-order mark is accepted, as editors write it
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            raise CollectorError(f"{shown}:{line} is not UTF-8 text (byte {e.start})") from e
        if "\r" in text:  # CRLF and old CR-only endings are line breaks, as Python reads text
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not allow_empty and not text.strip():
            raise CollectorError(
                f"{shown} is empty", hint="check the source path (an empty source is not a pass)"
            )
        return text

    def env_entries(self, scope: str, items: Iterable[tuple[str, str, str]]) -> list[Record]:
        """Environment variables (key, text value, source) as config entries, in bulk: the
        same classification as `config_entry`, without a call chain per record (a 1M-line
        .env spends most of its collection time here). `items` may be a generator, so no
        list of a million intermediate tuples is held beside the records."""
        classify = self.guard.classify
        make = ConfigEntry
        out: list[Record] = []
        append = out.append
        for key, value, source in items:
            if value[:1] in ("[", "{"):
                append(self.config_entry(scope, key, value, source, env_var=True))
                continue
            stored, fingerprint = classify(key, value)
            append(make(scope, key, stored, source, fingerprint, None, True))
        return out

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
        if fingerprint is not None:  # keep only the redacted structure, never the parsed secret
            structured = None
            if value is not None and value[:1] in "[{":
                try:
                    structured = json.loads(value)
                except ValueError:
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
    # Parts of the source that could not be read while the rest could (a service's missing
    # env_file): (sub-scope, error). The audit is incomplete; the rest is still compared.
    partial: list[tuple[str, CollectorError]] = field(default_factory=list)


class Collector(ABC, Generic[OptionsT]):
    """One source type. Subclasses set `type_name` and `Options` and implement `collect`.

    The pipeline calls `run()`, which checks the optional extra, then translates library
    errors through `translate_error` so a failure always names what to do.
    """

    type_name: ClassVar[str]
    Options: ClassVar[type[BaseOptions]] = FileOptions
    summary: ClassVar[str] = ""
    requires_extra: ClassVar[str | None] = None  # the pyproject extra providing the modules
    requires_modules: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: OptionsT, ctx: CollectContext) -> None:
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

    def run(self) -> CollectorResult:
        """Collect with the contract's checks; the only entry point the pipeline uses."""
        missing = [m for m in self.requires_modules if importlib.util.find_spec(m) is None]
        if missing:
            raise CollectorError(
                f"{self.type_name} needs {', '.join(missing)}, which is not installed",
                hint=f"pip install 'parity[{self.requires_extra}]'"
                if self.requires_extra
                else f"pip install {' '.join(missing)}",
            )
        deadline = self.deadline()
        if deadline is None:
            return self._collect()
        return self._within(deadline)

    def _collect(self) -> CollectorResult:
        try:
            return self.collect()
        except CollectorError:
            raise
        except Exception as e:
            translated = self.translate_error(e)
            if translated is None:
                raise  # not a library error this collector knows: reported as internal
            raise translated from e

    def _within(self, deadline: float) -> CollectorResult:
        """Collect in a worker thread and give up at the deadline: an endpoint that accepts
        connections and never answers fails the source in bounded time, not after minutes
        of retries (the abandoned call ends with the process)."""
        outcome: list[CollectorResult | BaseException] = []

        def work() -> None:
            try:
                outcome.append(self._collect())
            except BaseException as e:  # noqa: BLE001 (re-raised in the caller's thread)
                outcome.append(e)

        worker = threading.Thread(target=work, name=f"parity-{self.type_name}", daemon=True)
        worker.start()
        worker.join(deadline)
        if worker.is_alive():
            raise CollectorError(
                f"{self.location()} did not answer within {deadline:g} s",
                hint="the endpoint accepts connections but does not reply: check it, or raise "
                "this environment's deadline if it is only slow",
            )
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def deadline(self) -> float | None:
        """Seconds the whole source may take (live sources: an endpoint that never answers
        must not hold the audit); None for files."""
        return None

    def translate_error(self, error: Exception) -> CollectorError | None:
        """Map a library's exception to an actionable CollectorError; None if unknown."""
        return None

    @abstractmethod
    def collect(self) -> CollectorResult:
        """Read the source; raise CollectorError (never return partial silence) on failure."""
