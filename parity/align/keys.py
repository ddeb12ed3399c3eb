"""The grammar of record keys: how collectors write them and rules read them back, in one place.

A key is dotted (`database.pool.size`); an element of a list of named things is written by its
identity, not its index (`containers[name=web].image`), like kubectl's strategic merge and
dyff's named-entry lists, so one inserted element is one finding and nothing after it shifts.
Dots inside an identity bracket do not split (`hosts[name=a.b].port`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

# kubectl strategic-merge patch keys, by list field name.
MERGE_KEYS: dict[str, str] = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
    "services": "name",
}
COMMON_IDS = ("name", "id", "key", "app", "service")


def list_identity(
    path: str, items: list[Any], list_keys: Mapping[str, str] | None = None
) -> str | None:
    """The field that identifies the elements of a list of mappings, or None."""
    if not items or not all(isinstance(i, Mapping) for i in items):
        return None
    candidates: list[str] = []
    for glob, key in (list_keys or {}).items():
        if fnmatch.fnmatchcase(path, glob):
            candidates.append(key)
    leaf = path.rsplit(".", 1)[-1].split("[", 1)[0]
    if leaf in MERGE_KEYS:
        candidates.append(MERGE_KEYS[leaf])
    candidates.extend(COMMON_IDS)
    for key in candidates:
        values = [i.get(key) for i in items]
        if all(isinstance(v, str | int) and v != "" for v in values) and len(
            {str(v) for v in values}
        ) == len(values):
            return key
    return None


def join(prefix: str, key: str) -> str:
    """`a.b` + `c` -> `a.b.c`."""
    return f"{prefix}.{key}" if prefix else key


def element(prefix: str, field: str, value: object) -> str:
    """The key of a list element by its identity: `containers` + name=web ->
    `containers[name=web]`."""
    return f"{prefix}[{field}={value}]"


# One identity bracket (`[name=web]`), wherever it is in a key.
ELEMENT = re.compile(r"\[[^\]=]+=[^\]]*\]")


def is_identity_field(key: str) -> bool:
    """`env[name=WEB_CONCURRENCY].name`: the element's own identity field, which goes with
    the element rather than being a setting of its own."""
    m = re.search(r"\[([^\]=]+)=[^\]]*\]\.([^.\[\]]+)$", key)
    return m is not None and m.group(1) == m.group(2)


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


class Part(NamedTuple):
    """One part of a key: its name (the identity for list elements) and where it ends."""

    name: str
    end: int  # key[:end] is the key up to and including this part
    element: bool  # an identity-keyed list element (`[name=x]`)


def key_parts(key: str) -> list[Part]:
    """`a.b[name=x].c` -> a, b, x (element), c. Dots inside identity brackets do not split."""
    out: list[Part] = []
    depth, start = 0, 0
    for i, ch in enumerate(key):
        if ch == "[":
            if depth == 0 and i > start:
                out.append(Part(key[start:i], i, False))
            if depth == 0:
                start = i
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                inner = key[start + 1 : i]
                out.append(Part(inner.split("=", 1)[-1], i + 1, True))
                start = i + 1
        elif ch == "." and depth == 0:
            if i > start:
                out.append(Part(key[start:i], i, False))
            start = i + 1
    if start < len(key):
        out.append(Part(key[start:], len(key), False))
    return out
