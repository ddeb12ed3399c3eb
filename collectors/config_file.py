"""Structured config files (JSON/JSONC, YAML, TOML, INI) flattened to dotted keys.

Lists are aligned by identity (see _flatten). A source may list several files merged in order,
Helm-style (`paths = ["values.yaml", "values-prod.yaml"]`), so base + override is compared as
the deployed result; each value's source names the file (and line) that set it.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from parity.align.keys import join
from parity.errors import CollectorError, ParseError
from parity.inputs.yamlio import yaml_errors, yaml_nodes
from parity.model import ConfigEntry, RefBackend, ValueRef

from ._flatten import deep_merge, flatten, node_tree, walk
from .interface import BaseOptions, Collector, CollectorResult

Format = Literal["json", "yaml", "toml", "ini", "hcl"]
_SUFFIX: dict[str, Format] = {
    ".json": "json",
    ".jsonc": "json",
    ".json5": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".conf": "ini",
    ".tf": "hcl",
    ".tfvars": "hcl",
    ".hcl": "hcl",
}
Leaf = tuple[str, Any, int | None]


class ConfigFileOptions(BaseOptions):
    """Options of the config-file collector: one file, or several layered in order."""

    path: str | None = Field(default=None, description="File to read.")
    paths: list[str] = Field(
        default_factory=list, description="Files merged in order (later wins), Helm-style."
    )
    format: Format | None = Field(default=None, description="Override detection by suffix.")
    env_map: str | bool | None = Field(
        default=None,
        description="Keys supplied by environment variables at run time: node-config's "
        "custom-environment-variables file (`__name`/`__format` leaves) or a plain "
        "`{dotted.key: VAR}` map. Unset: node-config's own file beside a `default.*` layer "
        "is used, as node-config does; false: none.",
    )

    @model_validator(mode="after")
    def _need_a_path(self) -> ConfigFileOptions:
        if not self.path and not self.paths:
            raise ValueError("set path or paths")
        return self


def strip_json_comments(text: str) -> str:
    """JSONC/JSON5-style `//` and `/* */` comments and trailing commas removed, outside
    strings; comments become spaces so line numbers still point at the original text."""
    out: list[str] = []
    i, n = 0, len(text)
    in_str = False
    while i < n:
        ch = text[i]
        if in_str:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_str = False
            i += 1
        elif ch == '"':
            in_str = True
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        else:
            out.append(ch)
            i += 1
    return re.sub(r",(\s*[}\]])", r" \1", "".join(out))


def _doc_key(doc: Any, index: int) -> str:
    """Multi-document YAML: Kubernetes objects by kind/namespace/name, else by position."""
    if isinstance(doc, Mapping) and doc.get("kind"):
        raw = doc.get("metadata")
        meta: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        parts = [str(doc["kind"]), str(meta.get("namespace") or ""), str(meta.get("name") or "")]
        return "/".join(p for p in parts if p) or str(index)
    return str(index)


def _yaml(text: str, shown: str, list_keys: Mapping[str, str]) -> tuple[Any, list[Leaf]]:
    loader, nodes = yaml_nodes(text, shown)
    if not nodes:
        loader.dispose()
        return None, []
    try:
        with yaml_errors(shown):
            tree = node_tree(loader, shown)
            docs = [tree.value(n) for n in nodes]
            keys = [_doc_key(d, i) for i, d in enumerate(docs)] if len(nodes) > 1 else [""]
            leaves: list[Leaf] = []
            for key, node in zip(keys, nodes, strict=True):
                leaves.extend(walk(tree, node, key, list_keys))
    finally:
        loader.dispose()
    data = docs[0] if len(docs) == 1 else dict(zip(keys, docs, strict=True))
    return data, leaves


def _plain(text: str, fmt: Format, path: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(strip_json_comments(text))
        except json.JSONDecodeError as e:
            raise ParseError(path, e.lineno, f"invalid JSON: {e.msg}") from e
        except RecursionError as e:
            raise ParseError(path, None, "invalid JSON: nested too deeply") from e
    if fmt == "toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            m = re.search(r"at line (\d+)", str(e))
            msg = re.sub(r"\s*\(at line.*", "", str(e))
            raise ParseError(path, int(m.group(1)) if m else None, f"invalid TOML: {msg}") from e
    import configparser  # INI only: not every gate pays for it

    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text, source=path)
    except configparser.Error as e:
        line = getattr(e, "lineno", None)
        if line is None and getattr(e, "errors", None):
            line = e.errors[0][0]  # type: ignore[attr-defined]
        raise ParseError(path, line, f"invalid INI: {type(e).__name__}") from e
    data: dict[str, Any] = {"DEFAULT": dict(parser.defaults())} if parser.defaults() else {}
    for section in parser.sections():
        data[section] = dict(parser.items(section, raw=True))
    return data


def parse_config(
    text: str, fmt: Format, path: str, list_keys: Mapping[str, str] | None = None
) -> tuple[Any, list[Leaf]]:
    """Parse one file: (plain data, [(dotted key, leaf value, line or None)])."""
    if fmt == "yaml":
        return _yaml(text, path, list_keys or {})
    if fmt == "hcl":  # layered with other formats: its blocks as plain data, unresolved
        from . import _hcl

        data = _hcl.blocks(_hcl.parse_hcl(text, path))
        return data, [(k, v, None) for k, v in flatten(data, list_keys, path)]
    data = _plain(text, fmt, path)
    return data, [(k, v, None) for k, v in flatten(data, list_keys, path)]


class ConfigFileCollector(Collector[ConfigFileOptions]):
    """Reads one structured config file, or several layered in order."""

    type_name = "config-file"
    Options = ConfigFileOptions
    summary = "JSON(C) / YAML (multi-document) / TOML / INI, layered, lists by identity"

    def _paths(self) -> list[str]:
        return ([self.options.path] if self.options.path else []) + list(self.options.paths)

    def location(self) -> str:
        return ", ".join(self.ctx.display(self.ctx.resolve(p)) for p in self._paths())

    def collect(self) -> CollectorResult:
        paths = [self.ctx.resolve(p) for p in self._paths()]
        if self.options.format == "hcl" or all(
            _SUFFIX.get(p.suffix.lower()) == "hcl" for p in paths
        ):
            return self._terraform(paths)
        layers: list[tuple[str, Any, dict[str, tuple[Any, int | None]]]] = []
        for p in self._paths():
            path = self.ctx.resolve(p)
            shown = self.ctx.display(path)
            fmt = self.options.format or _SUFFIX.get(path.suffix.lower())
            if fmt is None:
                raise CollectorError(
                    f"cannot tell the format of {shown}",
                    hint="set format = json|yaml|toml|ini|hcl",
                )
            data, leaves = parse_config(self.ctx.read_text(path), fmt, shown, self.ctx.list_keys)
            layers.append((shown, data, {k: (v, line) for k, v, line in leaves}))
        result = CollectorResult()
        env_map = self._env_map()
        if len(layers) == 1:
            shown, _, leaves_by_key = layers[0]
            items = [
                (key, value, f"{shown}:{line}" if line else shown)
                for key, (value, line) in leaves_by_key.items()
            ]
        else:
            merged: Any = None
            for _, data, _ in layers:
                merged = data if merged is None else deep_merge(merged, data)
            items = [
                (key, value, _setter(layers, key, value))
                for key, value in flatten(merged, self.ctx.list_keys, self.location())
            ]
        for key, value, where in items:
            entry = self.ctx.config_entry(self.scope, key, value, where)
            var = _mapped(env_map, key) if env_map else None
            if var is not None:
                entry = supplied_by(entry, var)
            result.records.append(entry)
        return result

    def _terraform(self, paths: list[Path]) -> CollectorResult:
        """HCL files are one Terraform module: `.tf`/`.hcl` blocks by label, `.tfvars` files
        the variable values, in the order given (see _terraform.py)."""
        from ._terraform import Module

        module = Module()
        for path in paths:
            shown, text = self.ctx.display(path), self.ctx.read_text(path, allow_empty=True)
            if path.name.endswith((".tfvars", ".tfvars.json")):
                module.add_tfvars(shown, text)
            else:
                module.add_tf(shown, text)
        return CollectorResult(records=module.records(self.ctx, self.scope, per_kind=False))

    def _env_map(self) -> dict[str, str]:
        """dotted key -> environment variable, from the configured or node-config's file."""
        option = self.options.env_map
        if option is False:
            return {}
        found = (
            self.ctx.resolve(option)
            if isinstance(option, str)
            else _node_config_map(self.ctx.resolve(p) for p in self._paths())
        )
        if found is None:
            return {}
        path = found
        shown = self.ctx.display(path)
        fmt = _SUFFIX.get(path.suffix.lower(), "json")
        data, _ = parse_config(self.ctx.read_text(path), fmt, shown)
        return env_map_of(data, shown)


def _node_config_map(paths: Iterable[Path]) -> Path | None:
    """node-config's custom-environment-variables file beside a `default.*` layer: node-config
    applies it on top of every layer, so parity does too."""
    for p in paths:
        if p.stem == "default":
            for suffix in (".json", ".json5", ".yaml", ".yml", ".jsonc"):
                candidate = p.with_name("custom-environment-variables" + suffix)
                if candidate.is_file():
                    return candidate
    return None


def env_map_of(data: Any, shown: str) -> dict[str, str]:
    """node-config's map (nested, leaves are variable names or `{__name, __format}`) or a
    plain `{dotted.key: VAR}` map, as dotted key -> variable."""
    out: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, str):
            out[prefix] = node
        elif isinstance(node, Mapping) and "__name" in node:
            out[prefix] = str(node["__name"])
        elif isinstance(node, Mapping):
            for k, v in node.items():
                walk(v, f"{prefix}.{k}" if prefix else str(k))
        else:
            raise ParseError(shown, None, f"{prefix or 'the map'}: expected a variable name")

    if not isinstance(data, Mapping):
        raise ParseError(shown, None, "expected a mapping of keys to environment variables")
    walk(data, "")
    return out


def _mapped(env_map: Mapping[str, str], key: str) -> str | None:
    """The variable supplying key, or an ancestor of it (a `__format: json` subtree)."""
    if key in env_map:
        return env_map[key]
    parts = key.split(".")
    for i in range(len(parts) - 1, 0, -1):
        var = env_map.get(".".join(parts[:i]))
        if var is not None:
            return var
    return None


def supplied_by(entry: ConfigEntry, var: str) -> ConfigEntry:
    """A key an environment variable supplies at run time: the file's value is only a default,
    kept to compare defaults (never a secret: those are dropped, not fingerprinted)."""
    default = None if entry.fingerprint is not None else entry.value
    return entry._replace(
        value=default,
        fingerprint=None,
        structured=None if default is None else entry.structured,
        value_ref=ValueRef(RefBackend.ENV, var),
    )


def _setter(
    layers: list[tuple[str, Any, dict[str, tuple[Any, int | None]]]], key: str, value: Any
) -> str:
    """The file (and line) that set a merged value: the last layer holding it."""
    for shown, _, leaves in reversed(layers):
        hit = leaves.get(key)
        if hit is not None and hit[0] == value:
            return f"{shown}:{hit[1]}" if hit[1] else str(shown)
    for shown, _, leaves in reversed(layers):
        if any(k == key or k.startswith(join(key, "")) for k in leaves):
            return str(shown)
    return str(layers[-1][0])
