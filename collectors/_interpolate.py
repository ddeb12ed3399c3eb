"""Docker Compose variable interpolation, as Compose documents it.

`${VAR}`, `$VAR`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
`${VAR:?err}` / `${VAR?err}` (required), `${VAR:+alt}` / `${VAR+alt}` (alternative), and `$$`
for a literal `$`. Values come from the project's `.env` and the source's `env`/`env_file`
options — never from parity's own process environment, so a CI runner's variables cannot leak
into a report. A variable that cannot be resolved becomes the visible marker
`<unresolved=VAR>` (never an empty string that would read as "no tag" = `latest`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from parity.align.values import UNRESOLVED, is_unresolved
from parity.inputs.yamlio import Tagged

__all__ = ["UNRESOLVED", "InterpolationError", "interpolate", "interpolate_tree", "is_unresolved"]
_REF = re.compile(r"\$(?:(?P<dollar>\$)|\{(?P<braced>[^{}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")
_BRACED = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>.*))?$", re.S)


def interpolate(text: str, env: Mapping[str, str], unresolved: set[str]) -> str:
    """One string with every reference substituted (unresolved names are collected)."""
    if "$" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        if m.group("dollar"):
            return "$"
        name = m.group("named")
        if name:
            if name in env:
                return env[name]
            unresolved.add(name)
            return UNRESOLVED.format(name)
        b = _BRACED.match(m.group("braced") or "")
        if not b:
            unresolved.add(m.group("braced") or "?")
            return UNRESOLVED.format(m.group("braced") or "?")
        name, op, arg = b.group("name"), b.group("op"), b.group("arg") or ""
        value = env.get(name)
        empty_is_unset = bool(op and op.startswith(":"))
        is_set = value is not None and (value != "" or not empty_is_unset)
        kind = op[-1] if op else ""
        if kind == "-":
            return value if is_set and value is not None else interpolate(arg, env, unresolved)
        if kind == "+":
            return interpolate(arg, env, unresolved) if is_set else ""
        if is_set and value is not None:
            return value
        unresolved.add(name)
        return UNRESOLVED.format(name)

    text = text.replace("$$", "\x00")  # `$$` is a literal `$`, never a reference
    for _ in range(8):  # nested defaults (`${A:-api.${B}}`) resolve inside out
        new = _REF.sub(sub, text)
        if new == text:
            break
        text = new
    if "${" in text:  # Compose refuses it: "invalid interpolation format"
        raise InterpolationError("an unterminated ${ (invalid interpolation format)")
    return text.replace("\x00", "$")


class InterpolationError(ValueError):
    """A reference Compose itself rejects; the caller names the file."""


def interpolate_tree(data: Any, env: Mapping[str, str], unresolved: set[str]) -> Any:
    """Every string (mapping values and list items; not keys) of a parsed document."""
    if isinstance(data, str):
        return interpolate(data, env, unresolved)
    if isinstance(data, dict):
        return {k: interpolate_tree(v, env, unresolved) for k, v in data.items()}
    if isinstance(data, list):
        return [interpolate_tree(v, env, unresolved) for v in data]
    if isinstance(data, Tagged):  # `!override` / `!reset`: the value inside is interpolated
        return Tagged(data.tag, interpolate_tree(data.value, env, unresolved))
    return data
