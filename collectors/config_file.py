"""Structured config files (JSON, YAML, TOML, INI) flattened to dotted keys for alignment."""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from parity.errors import CollectorError, ParseError

from .interface import Collector, CollectorResult, FileOptions

Format = Literal["json", "yaml", "toml", "ini"]
_SUFFIX: dict[str, Format] = {
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".conf": "ini",
}


class ConfigFileOptions(FileOptions):
    """Options of the config-file collector."""

    format: Format | None = Field(default=None, description="Override detection by suffix.")


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (dotted.key, leaf) pairs; lists are indexed (`hosts.0`), empty containers kept."""
    if isinstance(value, dict) and value:
        for k, v in value.items():
            yield from flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            yield from flatten(v, f"{prefix}.{i}" if prefix else str(i))
    else:
        yield prefix, value


def _yaml_leaves(text: str, path: str) -> list[tuple[str, Any, int]]:
    """YAML leaves with their line numbers, walking nodes so anchors and merges still work."""
    import yaml

    loader = yaml.SafeLoader(text)
    out: list[tuple[str, Any, int]] = []
    try:
        docs = []
        while loader.check_node():
            docs.append(loader.get_node())
        multi = len(docs) > 1

        def walk(node: Any, prefix: str) -> None:
            if isinstance(node, yaml.MappingNode) and node.value:
                loader.flatten_mapping(node)
                for knode, vnode in node.value:
                    key = str(loader.construct_object(knode, deep=True))
                    walk(vnode, f"{prefix}.{key}" if prefix else key)
            elif isinstance(node, yaml.SequenceNode) and node.value:
                for i, item in enumerate(node.value):
                    walk(item, f"{prefix}.{i}" if prefix else str(i))
            else:
                out.append(
                    (prefix, loader.construct_object(node, deep=True), node.start_mark.line + 1)
                )

        for i, doc in enumerate(docs):
            if doc is not None:
                walk(doc, str(i) if multi else "")
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise ParseError(path, mark.line + 1 if mark else None, f"invalid YAML: {e.problem}") from e
    except yaml.YAMLError as e:
        raise ParseError(path, None, f"invalid YAML: {type(e).__name__}") from e
    finally:
        loader.dispose()
    return out


def parse_config(text: str, fmt: Format, path: str) -> list[tuple[str, Any, int | None]]:
    """Parse a config file into (dotted key, leaf value, line or None)."""
    if fmt == "yaml":
        return list(_yaml_leaves(text, path))
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ParseError(path, e.lineno, f"invalid JSON: {e.msg}") from e
    elif fmt == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            m = re.search(r"at line (\d+)", str(e))
            raise ParseError(path, int(m.group(1)) if m else None, f"invalid TOML: {e}") from e
    else:
        parser = configparser.ConfigParser(interpolation=None, strict=True)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        try:
            parser.read_string(text, source=path)
        except configparser.Error as e:
            line = getattr(e, "lineno", None)
            if line is None and getattr(e, "errors", None):
                line = e.errors[0][0]  # type: ignore[attr-defined]
            raise ParseError(path, line, f"invalid INI: {type(e).__name__}") from e
        data = {"DEFAULT": dict(parser.defaults())} if parser.defaults() else {}
        for section in parser.sections():
            data[section] = {k: v for k, v in parser.items(section, raw=True)}
    return [(k, v, None) for k, v in flatten(data)]


class ConfigFileCollector(Collector[ConfigFileOptions]):
    """Reads one structured config file."""

    type_name = "config-file"
    Options = ConfigFileOptions
    summary = "JSON / YAML (multi-document) / TOML / INI, flattened to dotted keys"

    def collect(self) -> CollectorResult:
        opts = self.options
        path = self.ctx.resolve(opts.path)
        shown = self.ctx.display(path)
        fmt = opts.format or _SUFFIX.get(path.suffix.lower())
        if fmt is None:
            raise CollectorError(
                f"cannot tell the format of {shown}", hint="set format = json|yaml|toml|ini"
            )
        leaves = parse_config(self.ctx.read_text(path), fmt, shown)
        result = CollectorResult()
        for key, value, line in leaves:
            where = f"{shown}:{line}" if line else shown
            result.records.append(self.ctx.config_entry(self.scope, key, value, where))
        return result
