"""Secret detection and keyed fingerprints: a secret value never leaves the collector in clear.

A fingerprint is HMAC-SHA256 under a key only the operator holds, so two environments sharing a
credential are detectable without storing it, and a leaked snapshot does not allow offline
guessing. The key id travels with every fingerprint so ones made under different keys are never
compared.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from parity.errors import ConfigError
from parity.model import Snapshot
from parity.secrets.classify import classify
from parity.secrets.keys import is_secret_key
from parity.secrets.shapes import _PREFIXES, _SIMPLE
from parity.secrets.values import is_secret_value
from parity.secrets.words import _KEY_HINT

__all__ = ["Fingerprinter", "SecretGuard", "is_secret_key", "is_secret_value"]

FINGERPRINT_PREFIX = "hmac-sha256"


def key_ids(records: Iterable[object]) -> set[str]:
    """Ids of the keys the fingerprints among these records were made with."""
    from parity.model import ConfigEntry, SecretRef

    fps = {
        r.fingerprint
        for r in records
        if (type(r) is ConfigEntry or type(r) is SecretRef) and r.fingerprint
    }
    return {key_id_of(fp) for fp in fps}


def key_mismatch(
    snapshots: Mapping[str, Snapshot], reference: str, ids_of: Mapping[str, set[str]] | None = None
) -> dict[str, set[str]]:
    """Environments whose fingerprints were all made under other keys than the reference's:
    secret-shared cannot see anything there, so the secret audit is incomplete."""
    ids_of = ids_of or {env: key_ids(s.records) for env, s in snapshots.items()}
    ref_ids = ids_of[reference]
    out = {}
    for env in snapshots:
        ids = ids_of[env]
        if env != reference and ids and ref_ids and not ids & ref_ids:
            out[env] = ids
    return out


def key_id_of(fingerprint: str) -> str:
    """The key id part of a fingerprint string, to refuse comparing across keys."""
    return fingerprint.split(":", 2)[1]


@dataclass(frozen=True)
class Fingerprinter:
    """Keyed HMAC-SHA256 over secret values; holds the key, never exposes it."""

    key: bytes

    @property
    def key_id(self) -> str:
        """Short public id of the key (a hash of it), recorded beside each fingerprint."""
        return hashlib.sha256(b"parity-key-id\0" + self.key).hexdigest()[:8]

    def __call__(self, value: str) -> str:
        digest = hmac.new(self.key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
        return f"{FINGERPRINT_PREFIX}:{self.key_id}:{digest}"

    def __repr__(self) -> str:  # never print the key
        return f"Fingerprinter(key_id={self.key_id!r})"


def default_key_file() -> Path:
    """Where the generated key lives when PARITY_FINGERPRINT_KEY is not set."""
    explicit = os.environ.get("PARITY_FINGERPRINT_KEY_FILE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "parity" / "fingerprint.key"


MIN_KEY_BYTES = 16


def load_fingerprinter() -> Fingerprinter:
    """Key from PARITY_FINGERPRINT_KEY, else from the key file, created 0600 on first use.

    Every problem is a ConfigError naming the file and the fix (exit 2): an empty or short key,
    a key file readable by others, a symlink where the key file should be (a planted link
    could point parity at a key an attacker knows), a parent that is not a directory.
    """
    if "PARITY_FINGERPRINT_KEY" in os.environ:
        env_key = os.environ["PARITY_FINGERPRINT_KEY"].encode("utf-8")
        if len(env_key) < MIN_KEY_BYTES:
            raise ConfigError(
                f"PARITY_FINGERPRINT_KEY is {'empty' if not env_key else 'too short'} "
                f"(at least {MIN_KEY_BYTES} bytes)",
                hint="use a long random value, e.g. `openssl rand -hex 32`, or unset it",
            )
        return Fingerprinter(env_key)
    path = default_key_file()
    fix = "set PARITY_FINGERPRINT_KEY, or PARITY_FINGERPRINT_KEY_FILE to a writable path"
    if path.is_symlink():
        raise ConfigError(
            f"fingerprint key file {path} is a symbolic link"
            + ("" if path.exists() else " to nothing"),
            hint=f"replace it with the key file itself, or {fix}",
        )
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as e:
        raise ConfigError(
            f"cannot create the fingerprint key directory {path.parent}: a file is in the way",
            hint=f"check XDG_CONFIG_HOME, or {fix}",
        ) from e
    except OSError as e:
        raise ConfigError(
            f"cannot create the fingerprint key directory {path.parent}: {e.strerror}", hint=fix
        ) from e
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
    except FileExistsError:
        key = _read_key_file(path, flags)
    except OSError as e:
        raise ConfigError(
            f"cannot create the fingerprint key file {path}: {e.strerror}", hint=fix
        ) from e
    else:
        key = os.urandom(32).hex().encode("ascii")
        with os.fdopen(fd, "wb") as fh:
            fh.write(key + b"\n")
        sys.stderr.write(
            f"parity: created fingerprint key at {path}; back it up to compare snapshots later\n"
        )
    return Fingerprinter(key)


def _read_key_file(path: Path, flags: int) -> bytes:
    try:
        fd = os.open(path, flags | os.O_NONBLOCK)  # a FIFO is refused below, never waited on
    except OSError as e:
        raise ConfigError(
            f"cannot read the fingerprint key file {path}: {e.strerror}",
            hint="fix its permissions, or set PARITY_FINGERPRINT_KEY",
        ) from e
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise ConfigError(f"fingerprint key file {path} is not a regular file")
        if mode & 0o077:
            raise ConfigError(
                f"fingerprint key file {path} is readable by others (mode {mode & 0o777:o})",
                hint=f"chmod 600 {path}",
            )
        key = fh.read(4096).strip()
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(
            f"fingerprint key file {path} is {'empty' if not key else 'too short'}",
            hint="delete it to have a new one generated (old fingerprints will not match)",
        )
    return key


class SecretGuard:
    """Turns a (key, value) pair into what may be stored: a comparable value and/or fingerprint."""

    def __init__(self) -> None:
        self._fp: Fingerprinter | None = None
        self._lock = threading.Lock()  # sources run concurrently: one key, loaded once

    def fingerprint(self, value: str) -> str:
        """Fingerprint a secret; the key is loaded only the first time a secret is seen."""
        if self._fp is None:
            with self._lock:
                if self._fp is None:
                    self._fp = load_fingerprinter()
        return self._fp(value)

    def classify(self, key: str, value: str) -> tuple[str | None, str | None]:
        """Return (storable value, fingerprint): at most one side ever holds secret material.
        The one classifier (parity.secrets.classify) decides; the secret parts are fingerprinted."""
        if (  # the hot path, inlined: a million plain values must not pay for a call chain
            value
            and (len(value) < 20 or "." in value or ":" in value)
            and not _KEY_HINT.search(key.lower())
            and _SIMPLE.match(value)
            and not value.startswith(_PREFIXES)
            and not value.startswith("https://")
        ):
            return value, None
        verdict = classify(key, value)
        if not verdict.secrets:
            return value, None
        return verdict.value, self.fingerprint("\x00".join(verdict.secrets))
