"""Whether a key's name says its value is a secret: its own words (`DB_PASSWORD`, `api_key`,
`users[..].pass`), its parents (`credentials.aws.key`), and the words that make it describe or
point at a secret instead (`secretName`, `DB_PASSWORD_FILE`, `TOKEN_EXPIRY_SECONDS`)."""

from __future__ import annotations

import re

from parity.align.values import effective_key
from parity.secrets.shapes import _VARIABLE_NAME, _WORD_SLUG
from parity.secrets.words import (
    _CONTENT_WORDS,
    _DATA_KEY_WORDS,
    _KEY_CONTEXT,
    _KEY_HINT,
    _NOT_SECRET_LAST,
    _SECRET_CONTEXT,
    _SECRET_NAME_MAPS,
    _SECRET_WORDS,
)


def key_words(key: str) -> list[str]:
    """Words of a key's own name: its last segment (identity brackets dropped), split on
    separators and camelCase, lower-cased."""
    path = re.sub(r"\[[^\]]*\]", "", effective_key(key)).rstrip(".")
    segments = [seg for seg in re.split(r"[./:]", path) if seg] or [key]

    def split(seg: str) -> list[str]:
        return [w.lower() for w in re.split(r"[_\-\s]+|(?<=[a-z0-9])(?=[A-Z])", seg) if w]

    words = split(segments[-1])
    if words in (["key"], ["secret"], ["token"]) and len(segments) > 1:
        parent = split(segments[-2])
        if set(parent) & _KEY_CONTEXT:  # `api.key`, `jwt.secret`: the parent says what
            words = parent + words
    return words


def _under_a_secret(key: str) -> bool:
    """`credentials.aws.key`, `nested.secret.inner`: a parent names a secret, so its children
    are secret material whatever they are called (unless they name or point at one)."""
    path = re.sub(r"\[[^\]]*\]", "", effective_key(key))
    segments = [seg for seg in re.split(r"[./:]", path) if seg]
    if len(segments) < 2:
        return False
    for seg in segments[:-1]:
        words = [w.lower() for w in re.split(r"[_\-\s]+|(?<=[a-z0-9])(?=[A-Z])", seg) if w]
        if words and words[-1] in _SECRET_CONTEXT:
            last = key_words(key)  # a bare `key` is the secret here (`credentials.aws.key`)
            return bool(last) and (last[-1] in ("key", "keys") or last[-1] not in _NOT_SECRET_LAST)
    return False


def is_secret_key(key: str) -> bool:
    """DB_PASSWORD, api_key, MAILGUN_KEY, auth.bearer, users[..].pass — but not secretName,
    DB_PASSWORD_FILE, TOKEN_EXPIRY_SECONDS, cache_key."""
    if not _KEY_HINT.search(key.lower()):
        return False
    if _under_a_secret(key):
        return True
    words = key_words(key)
    if not words:
        return False
    joined = "".join(words)
    if len(words) >= 2 and words[-1] == "key":  # api_key, MAILGUN_KEY; not cache_key
        return words[-2] not in _DATA_KEY_WORDS
    if words[-1] in _NOT_SECRET_LAST or joined in _NOT_SECRET_LAST:
        return False
    if any(w in _SECRET_WORDS for w in words) or joined in _SECRET_WORDS:
        return True
    if words[-1] == "auth":  # BASIC_AUTH=user:pw (but not noAuthMetrics, AUTH_MODE)
        return True
    return any(s in joined for s in ("password", "passwd", "secret", "apikey", "privatekey"))


def _describes_content(key: str) -> bool:
    """Keys that name a content identifier (`GIT_SHA`, `IMAGE_TAG`, `CHECKSUM`)."""
    return bool(key) and bool(set(key_words(key)) & _CONTENT_WORDS)


def _secret_store_name(key: str, value: str) -> bool:
    """`namespace_secrets.DB_PASS: database_password`: under a map of secret-store names, a
    name-shaped value names the key holding the secret; it is not the secret."""
    return bool(_SECRET_NAME_MAPS.search(key)) and bool(
        _WORD_SLUG.match(value) or _VARIABLE_NAME.match(value) or re.fullmatch(r"[a-z]+", value)
    )
