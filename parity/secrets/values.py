"""Whether a value is secret material by its shape: known token families, private-key blocks,
long high-entropy literals; and the shapes that never are (booleans, numbers, paths, flags,
placeholders, public keys and certificates, public Sentry DSNs)."""

from __future__ import annotations

import math
import re
from collections import Counter

from parity.align.values import is_placeholder
from parity.secrets.shapes import (
    _BOOLISH,
    _DATEISH,
    _DOMAIN_PATH,
    _FILEISH,
    _FLAG_NUMERIC,
    _NUMBERISH,
    _PATHISH,
    _PEM,
    _PLACEHOLDER,
    _PREFIXES,
    _PUBLIC_BLOCK,
    _SSH_PUBLIC,
    _TOKEN,
    _TOKEN_CHARS,
    _UUID_LIST,
    _VARIABLE_NAME,
    _VERSIONISH,
    _WEBHOOK,
    _WORD_SLUG,
)


def _entropy(value: str) -> float:
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _harmless(value: str) -> bool:
    """Shapes that are never secret material, whatever the key says."""
    v = value.strip()
    return (
        not v
        or v.lower() in _BOOLISH
        or bool(_NUMBERISH.match(v))
        or bool(_FILEISH.match(v))
        or bool(_PATHISH.match(v))
        or bool(_FLAG_NUMERIC.match(v))
        or v.startswith(("${", "$(", "{{", "<", "arn:", "projects/"))
        or bool(_PLACEHOLDER.match(v))
        or bool(_DOMAIN_PATH.match(v))
        or is_placeholder(v)
        or is_public_key_material(v)
    )


def is_public_key_material(value: str) -> bool:
    """A certificate, public key or SSH public key, alone or several in a bundle: published
    by design, never secret (the private key it pairs with is)."""
    v = value.strip()
    if _SSH_PUBLIC.match(v):
        return True
    return "-----BEGIN" in v and not _PUBLIC_BLOCK.sub("", v).strip()


def _high_entropy(v: str) -> bool:
    if len(v) < 20 or not _TOKEN_CHARS.match(v):
        return False  # tokens are base64/hex/url-safe runs, not structured text
    if _UUID_LIST.match(v) or _VERSIONISH.match(v) or _DATEISH.match(v):
        return False
    if re.search(r"[\s:]", v) or v.startswith(("/", "--", "http")) or "." in v.strip(".")[:-4]:
        return False
    if not (any(c.isdigit() for c in v) and any(c.isalpha() for c in v)):
        return False
    if re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", v):  # slugs: value-timeout-100236
        return False
    if _WORD_SLUG.match(v) or _VARIABLE_NAME.match(v):  # words, not random characters
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", v):
        return len(v) >= 32 and _entropy(v) >= 3.0
    return _entropy(v) >= 3.8


def is_secret_value(value: str) -> bool:
    """Known token shapes, private-key blocks and long high-entropy literals."""
    v = value.strip()
    if v.startswith(_PREFIXES) and (_TOKEN.match(v) or _PEM.search(v)):
        return True
    if "PRIVATE KEY" in v and _PEM.search(v):
        return True
    if v.startswith("https://") and _WEBHOOK.match(v):
        return True
    return _high_entropy(v)


def _public_dsn(value: str) -> bool:
    """Sentry DSNs carry a *public* key by design (sent to browsers)."""
    return bool(re.match(r"^https?://[0-9a-f]{16,}@[\w.-]*sentry\.io/\d+$", value.strip()))
