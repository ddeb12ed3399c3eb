"""Whether two aligned config values differ in a way that matters, and how to say it.

Equal after: environment names neutralized (replaced, or removed where only one side has
one), spelling (booleans, numbers, URL default ports), endpoint hosts (each environment's own),
identifier keys (per-environment ids), and set semantics for unordered lists.
"""

from __future__ import annotations

import json
import re
from typing import Any

from parity.align.normalize import EnvNormalizer
from parity.align.values import (
    canonical_scalar,
    contrast,
    endpoint_set,
    endpoint_shape,
    ids_only,
    is_identity_key,
)
from parity.model import ConfigEntry

from .delta import structured_delta

# Lists whose order is meaning (a command line), compared as sequences.
_ORDERED = re.compile(r"(^|[._\[])(args|command|entrypoint|cmd)(\]|$)", re.IGNORECASE)


def _norm(normalizer: EnvNormalizer, env: str, x: Any) -> Any:
    """A value with environment names, spellings and endpoint hosts factored out, nested
    lists as sets (host lists, TLS entries): what equality is decided on."""
    if isinstance(x, list):
        return sorted({_key(_norm(normalizer, env, v)) for v in x})
    if isinstance(x, dict):
        return {k: _norm(normalizer, env, v) for k, v in x.items()}
    return _scalar(normalizer, env, x)


def _shape(normalizer: EnvNormalizer, env: str, x: Any) -> Any:
    """The same normalisation keeping the value's shape (lists element by element), so a
    delta found on it points at the original value's paths."""
    if isinstance(x, list):
        return [_shape(normalizer, env, v) for v in x]
    if isinstance(x, dict):
        return {k: _shape(normalizer, env, v) for k, v in x.items()}
    return _scalar(normalizer, env, x)


def _scalar(normalizer: EnvNormalizer, env: str, x: Any) -> Any:
    if isinstance(x, str):
        shape = endpoint_shape(x)
        return shape if shape is not None else canonical_scalar(normalizer.strip(env, x))
    if isinstance(x, bool | int | float):
        return canonical_scalar(str(x).lower() if isinstance(x, bool) else str(x))
    return x


def _key(x: Any) -> str:
    return x if isinstance(x, str) else json.dumps(x, sort_keys=True, separators=(",", ":"))


def _delta(
    normalizer: EnvNormalizer, reference: str, env: str, a: Any, b: Any, ordered: bool
) -> str:
    """How structured `b` differs from `a` (known to differ once normalised)."""
    found = structured_delta(
        a,
        b,
        _shape(normalizer, reference, a),
        _shape(normalizer, env, b),
        ordered=ordered,
        reference=reference,
    )
    return found or f"differs (vs {reference})"


def difference(
    normalizer: EnvNormalizer, reference: str, env: str, a: ConfigEntry, b: ConfigEntry
) -> str | None:
    """A short description of how b differs from a that matters, or None if it does not."""
    left, right = a.value or "", b.value or ""
    if isinstance(a.structured, list) and isinstance(b.structured, list):
        na = [_norm(normalizer, reference, x) for x in a.structured]
        nb = [_norm(normalizer, env, x) for x in b.structured]
        ka, kb = [_key(x) for x in na], [_key(x) for x in nb]
        ordered = bool(_ORDERED.search(b.key))
        if (ka == kb) if ordered else (set(ka) == set(kb)):
            return None
        return _delta(normalizer, reference, env, a.structured, b.structured, ordered)
    if isinstance(a.structured, dict) and isinstance(b.structured, dict):
        if _norm(normalizer, reference, a.structured) == _norm(normalizer, env, b.structured):
            return None
        return _delta(normalizer, reference, env, a.structured, b.structured, False)
    if normalizer.same(reference, left, env, right):
        return None
    if canonical_scalar(normalizer.strip(reference, left)) == canonical_scalar(
        normalizer.strip(env, right)
    ):
        return None
    if is_identity_key(b.key) or (ids_only(left) and ids_only(right)):
        return None  # ids of each environment's own data (`*_ID`, lists of UUIDs)
    ea, eb = endpoint_set(left), endpoint_set(right)
    if ea is not None and eb is not None and ea == eb:
        return None
    la, lb = _items(left), _items(right)
    if la is not None and lb is not None:  # `RSI,LHI,EYI`: a set in one value
        sa = {canonical_scalar(normalizer.strip(reference, x)) for x in la}
        sb = {canonical_scalar(normalizer.strip(env, x)) for x in lb}
        if sa == sb:
            return None
        return _delta(normalizer, reference, env, la, lb, False)
    got, want = contrast(right, left)
    return f"{got!r} vs {want!r} in {reference}"


_ITEM = re.compile(r"^[\w.@:/+-]+$")


def _items(value: str) -> list[str] | None:
    """The items of a comma- (or semicolon-) separated list of plain tokens, else None."""
    if "," not in value and ";" not in value:
        return None
    items = [x.strip() for x in re.split(r"[,;]", value)]
    if len(items) < 2 or not all(x and _ITEM.match(x) for x in items):
        return None
    return items
