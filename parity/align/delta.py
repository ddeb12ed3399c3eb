"""How two structured values differ, in one line: DeepDiff over the environment-normalised
values, shown with the values as written.

A ConfigMap file, a JSON env var, a compose `command`, a Helm sub-map compared as a value: the
delta names each changed path with both values (typed: `3` is not `'3'`), and what one side adds
or lacks. Set-like lists are compared ignoring order; lists whose order is meaning (a command
line) by position. DeepDiff is imported only here, and only once a pair is known to differ (the
record aligner, which decides *whether* anything differs across N environments, stays ours:
README, "How structure is compared").
"""

from __future__ import annotations

from typing import Any

from parity.align.values import short
from parity.secrets.classify import SECRET_SHOWN as REDACTED
from parity.secrets.keys import is_secret_key

_ADDED = ("dictionary_item_added", "iterable_item_added", "attribute_added")
_REMOVED = ("dictionary_item_removed", "iterable_item_removed", "attribute_removed")
_CHANGED = ("values_changed", "type_changes")
_MISSING = object()


def _dotted(path: list[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _at(value: Any, path: list[Any]) -> Any:
    """The original value at a path DeepDiff found on the normalised one (same shape)."""
    for p in path:
        try:
            value = value[p]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return value


def _shown(value: Any, path: list[Any], typed: bool) -> str:
    """A value as a finding may show it: never under a secret-named key (defence in depth: the
    classifier already withholds secret values), abbreviated, its type visible when asked."""
    if any(isinstance(p, str) and is_secret_key(p) for p in path):
        return REDACTED
    if value is _MISSING:
        return "?"
    if isinstance(value, str) and not typed:
        return short(value, 30)
    import json

    text = repr(value) if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return short(text, 30)


def _item(shown: str, path: list[Any], keyed: bool = True) -> str:
    """An added or removed thing: a list's item by value (`z in hosts`), a map's key by path
    (`extra=1` added, `tls` lacking)."""
    if path and isinstance(path[-1], int):
        parent = _dotted(path[:-1])
        return f"{shown} in {parent}" if parent else shown
    return f"{_dotted(path)}={shown}" if keyed else _dotted(path)


def structured_delta(
    a: Any, b: Any, na: Any, nb: Any, *, ordered: bool, reference: str, limit: int = 5
) -> str | None:
    """How `b` differs from the reference's `a` (`na`/`nb`: their normalised forms, the same
    shape, compared), or None when it does not: `x.y is 4 (2 in production); adds z=1; lacks w`.
    Lists compare as sets unless `ordered`."""
    from deepdiff import DeepDiff

    tree = DeepDiff(na, nb, ignore_order=not ordered, view="tree", threshold_to_diff_deeper=0)
    changed: list[str] = []
    added: list[str] = []
    removed: list[str] = []
    for kind, levels in sorted(tree.items()):
        for level in levels:
            p1 = level.path(output_format="list")
            p2 = level.path(output_format="list", use_t2=True)
            where = _dotted(p2 if kind in _ADDED else p1)
            if kind in _CHANGED:
                was, now = _at(a, p1), _at(b, p2)
                typed = kind == "type_changes" or type(was) is not type(now)
                old, new = _shown(was, p1, typed), _shown(now, p2, typed)
                changed.append(f"{where or 'the value'} is {new} ({old} in {reference})")
            elif kind in _ADDED:
                added.append(_item(_shown(_at(b, p2), p2, False), p2))
            elif kind in _REMOVED:
                removed.append(_item(_shown(_at(a, p1), p1, False), p1, keyed=False))
    total = len(changed) + len(added) + len(removed)
    if not total:
        return None
    changed = changed[:limit]
    added = added[: max(limit - len(changed), 0)]
    removed = removed[: max(limit - len(changed) - len(added), 0)]
    parts = [*changed]
    parts += ["adds " + ", ".join(added)] if added else []
    parts += ["lacks " + ", ".join(removed)] if removed else []
    more = total - len(changed) - len(added) - len(removed)
    tail = f" (+{more} more)" if more > 0 else ""
    return "; ".join(parts) + tail + ("" if changed else f" (vs {reference})")
