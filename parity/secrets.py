"""Secret detection and keyed fingerprints: a secret value never leaves the collector in clear.

A fingerprint is HMAC-SHA256 under a key only the operator holds, so two environments sharing a
credential are detectable without storing it, and a leaked snapshot does not allow offline
guessing. The key id travels with every fingerprint so ones made under different keys are never
compared.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from parity.errors import ConfigError

FINGERPRINT_PREFIX = "hmac-sha256"
_KEY_WORDS = re.compile(
    r"(secret|token|passw(or)?d|passwd|\bpwd\b|_pwd\b|api[_.-]?key|apikey|private[_.-]?key|"
    r"access[_.-]?key|credential|signing[_.-]?key|session[_.-]?key|encryption[_.-]?key|"
    r"client[_.-]?secret|\bsalt\b|_salt\b|\bdsn\b|_dsn\b|auth[_.-]?key)",
    re.IGNORECASE,
)
# Keys that merely point at or describe a secret: their values are not themselves secret.
_NOT_SECRET_SUFFIX = re.compile(
    r"[_.-](file|path|arn|ref|name|id|enabled|ttl|expiry|expires|length|header|url_path|"
    r"rotation|version|backend|kms[_.-]?key)$",
    re.IGNORECASE,
)
_URL_CREDENTIALS = re.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<user>[^:/@\s]*):(?P<password>[^@\s]+)@(?P<rest>\S*)$"
)
_TOKEN_SHAPES = re.compile(
    r"^(AKIA|ASIA)[0-9A-Z]{16}$|^gh[pousr]_[A-Za-z0-9]{20,}$|^github_pat_|^xox[abprs]-|"
    r"^sk_(live|test)_|^sk-[A-Za-z0-9_-]{20,}$|-----BEGIN [A-Z ]*PRIVATE KEY-----|"
    r"^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\."
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_PLAIN_WORDISH = re.compile(r"[\s/.:]")


# Cheap literal prefilter: a key containing none of these cannot match _KEY_WORDS.
_KEY_HINT = re.compile(r"secret|token|pass|pwd|key|credential|salt|dsn")
_TOKEN_PREFIXES = ("AKIA", "ASIA", "gh", "github_pat_", "xox", "sk_", "sk-", "eyJ")


def is_secret_key(key: str) -> bool:
    """Name-based detection: DB_PASSWORD, api_key, stripe.secret... but not DB_PASSWORD_FILE."""
    if not _KEY_HINT.search(key.lower()):
        return False
    return bool(_KEY_WORDS.search(key)) and not _NOT_SECRET_SUFFIX.search(key)


def _entropy(value: str) -> float:
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def is_secret_value(value: str) -> bool:
    """Value-based detection: known token shapes and long high-entropy literals."""
    if len(value) < 20:
        return value.startswith(_TOKEN_PREFIXES) and bool(_TOKEN_SHAPES.search(value))
    if (value.startswith(_TOKEN_PREFIXES) or "PRIVATE KEY-----" in value) and _TOKEN_SHAPES.search(
        value
    ):
        return True
    if _PLAIN_WORDISH.search(value) or _UUID.match(value):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    if not (has_digit and has_alpha):
        return False
    threshold = 3.0 if re.fullmatch(r"[0-9a-fA-F]+", value) else 3.8
    return _entropy(value) >= threshold


def split_url_credentials(value: str) -> tuple[str, str] | None:
    """`postgres://u:PW@h/db` -> (`postgres://u:***@h/db`, `PW`); None when no password."""
    if "@" not in value or "://" not in value:
        return None
    m = _URL_CREDENTIALS.match(value)
    if not m:
        return None
    redacted = f"{m['scheme']}://{m['user']}:***@{m['rest']}"
    return redacted, m["password"]


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
        """Return (storable value, fingerprint): at most one side ever holds secret material."""
        if value == "":
            return value, None
        # Hot path (a million calls on large envs): cheap C-level prefilters before regexes.
        url = "@" in value and "://" in value
        if _KEY_HINT.search(key.lower()) and is_secret_key(key):
            split = split_url_credentials(value) if url else None
            if split:
                return split[0], self.fingerprint(split[1])
            return None, self.fingerprint(value)
        if url:
            split = split_url_credentials(value)
            if split:
                return split[0], self.fingerprint(split[1])
        if (len(value) >= 20 or value.startswith(_TOKEN_PREFIXES)) and is_secret_value(value):
            return None, self.fingerprint(value)
        return value, None
