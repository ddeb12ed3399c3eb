"""Dotted config keys with identity brackets (`apps[name=web].env`), split into prefixes."""

from __future__ import annotations


def segments(key: str) -> list[str]:
    """`a.b[name=x].c` -> [`a`, `a.b`, `a.b[name=x]`, `a.b[name=x].c`] (dots inside identity
    brackets do not split)."""
    out, depth = [], 0
    for i, ch in enumerate(key):
        if ch == "[":
            if depth == 0 and i:
                out.append(key[:i])
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "." and depth == 0:
            out.append(key[:i])
    out.append(key)
    return out
