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
from dataclasses import dataclass
from pathlib import Path

from parity.classify import classify, is_secret_key, is_secret_value
from parity.errors import ConfigError

__all__ = ["Fingerprinter", "SecretGuard", "is_secret_key", "is_secret_value"]

FINGERPRINT_PREFIX = "hmac-sha256"


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


def load_fingerprinter() -> Fingerprinter:
    """Key from PARITY_FINGERPRINT_KEY, else from the key file, created 0600 on first use."""
    env_key = os.environ.get("PARITY_FINGERPRINT_KEY")
    if env_key:
        return Fingerprinter(env_key.encode("utf-8"))
    path = default_key_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:
                raise ConfigError(
                    f"fingerprint key file {path} is readable by others (mode {mode:o})",
                    hint=f"chmod 600 {path}",
                ) from None
            key = path.read_bytes().strip()
        else:
            key = os.urandom(32).hex().encode("ascii")
            with os.fdopen(fd, "wb") as fh:
                fh.write(key + b"\n")
    except OSError as e:
        raise ConfigError(
            f"cannot read or create the fingerprint key file {path}: {e.strerror}",
            hint="set PARITY_FINGERPRINT_KEY, or PARITY_FINGERPRINT_KEY_FILE to a writable path",
        ) from e
    if not key:
        raise ConfigError(f"fingerprint key file {path} is empty", hint="delete it to regenerate")
    return Fingerprinter(key)


class SecretGuard:
    """Turns a (key, value) pair into what may be stored: a comparable value and/or fingerprint."""

    def __init__(self) -> None:
        self._fp: Fingerprinter | None = None

    def fingerprint(self, value: str) -> str:
        """Fingerprint a secret; the key is loaded only the first time a secret is seen."""
        if self._fp is None:
            self._fp = load_fingerprinter()
        return self._fp(value)

    def classify(self, key: str, value: str) -> tuple[str | None, str | None]:
        """Return (storable value, fingerprint): at most one side ever holds secret material.
        The one classifier (parity.classify) decides; the secret parts are fingerprinted."""
        verdict = classify(key, value)
        if not verdict.secrets:
            return value, None
        return verdict.value, self.fingerprint("\x00".join(verdict.secrets))
