"""Flatten nested configuration to dotted keys, aligning lists by identity rather than index.

Why: `apps[23].env[4]` flattened by position turns one inserted element into N "missing",
"drifted" and "typo" findings. Like kubectl's strategic merge and dyff's named-entry lists:

- a list of mappings whose elements carry an identity field is keyed by it:
  `containers[name=web].image`. The field is the Kubernetes strategic-merge key for the list's
  name (`containers`/`env`/`volumes` by `name`, `ports` by `containerPort`, …), else a
  user-configured one (policy `list_keys`, by path glob), else the first of `name`, `id`, `key`,
  `app`, `service` present and unique in every element;
- any other list (scalars, or mappings with no identity) is one value; rules compare it as a set
  unless its path is ordered (command lines, args);
- empty mappings and lists are not keys of their own (a chart's `{}` default sets nothing).

The same walker serves YAML nodes (so every leaf keeps its line) and plain parsed data, and it
is bounded: alias-heavy YAML ("billion laughs") stops with a ParseError instead of expanding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from parity.align.keys import element, join, list_identity
from parity.errors import ParseError
from parity.inputs.yamlio import MAX_NODES, node_count, yaml_error


@dataclass
class Tree:
    """How to read one kind of tree: plain data, or YAML nodes (which carry lines)."""

    kind: Callable[[Any], str]  # "map" | "seq" | "scalar"
    items: Callable[[Any], list[tuple[str, Any]]]
    children: Callable[[Any], list[Any]]
    value: Callable[[Any], Any]  # the plain (constructed) value of any node
    line: Callable[[Any], int | None]
    where: str = ""
    visited: int = field(default=0)

    def count(self, n: int = 1) -> None:
        """Charge the expansion budget; alias bombs stop here, not in memory."""
        self.visited += n
        if self.visited > MAX_NODES:
            raise ParseError(
                self.where,
                None,
                f"expands to more than {MAX_NODES:,} nodes (YAML aliases?); refusing to read it",
            )


def walk(
    tree: Tree, node: Any, prefix: str, list_keys: Mapping[str, str] | None = None
) -> Iterator[tuple[str, Any, int | None]]:
    """(dotted key, leaf value, line) for every leaf under `node`."""
    tree.count()
    kind = tree.kind(node)
    if kind == "map":
        for key, child in tree.items(node):
            yield from walk(tree, child, join(prefix, key), list_keys)
        return
    if kind == "seq":
        children = tree.children(node)
        if not children:
            return
        values = [tree.value(c) for c in children]
        tree.count(sum(node_count(v) for v in values))
        ident = list_identity(prefix, values, list_keys)
        if ident is not None:
            for child, value in zip(children, values, strict=True):
                yield from walk(tree, child, element(prefix, ident, value[ident]), list_keys)
            return
        yield prefix, values, tree.line(node)
        return
    value = tree.value(node)
    if isinstance(value, Mapping | list) and not value:
        return  # `{}` / `[]`: sets nothing
    yield prefix, value, tree.line(node)


def _plain_kind(v: Any) -> str:
    if isinstance(v, Mapping):
        return "map" if v else "scalar"
    if isinstance(v, list):
        return "seq"
    return "scalar"


def plain_tree(where: str = "") -> Tree:
    """A Tree over parsed JSON/TOML/INI data (no line numbers)."""
    return Tree(
        kind=_plain_kind,
        items=lambda v: [(str(k), c) for k, c in v.items()],
        children=lambda v: list(v),
        value=lambda v: v,
        line=lambda v: None,
        where=where,
    )


def flatten(
    data: Any, list_keys: Mapping[str, str] | None = None, where: str = ""
) -> list[tuple[str, Any]]:
    """(dotted key, leaf) pairs of plain data, lists aligned by identity."""
    return [(k, v) for k, v, _ in walk(plain_tree(where), data, "", list_keys)]


def deep_merge(base: Any, override: Any) -> Any:
    """Helm's values merge: maps merge recursively, later wins, lists and scalars replace,
    an explicit null deletes the key."""
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = dict(base)
        for k, v in override.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = deep_merge(out[k], v)
            else:
                out[k] = v
        return out
    return override


def node_tree(loader: Any, shown: str) -> Tree:
    """A Tree over YAML nodes: leaves keep their line numbers."""
    import yaml

    def kind(node: Any) -> str:
        if isinstance(node, yaml.MappingNode):
            return "map"
        if isinstance(node, yaml.SequenceNode):
            return "seq"
        return "scalar"

    def items(node: Any) -> list[tuple[str, Any]]:
        loader.flatten_mapping(node)
        return [(str(loader.construct_object(k, deep=True)), v) for k, v in node.value]

    def value(node: Any) -> Any:
        try:
            return loader.construct_object(node, deep=True)
        except yaml.YAMLError as e:
            raise yaml_error(e, shown) from e

    return Tree(
        kind=kind,
        items=items,
        children=lambda node: list(node.value),
        value=value,
        line=lambda node: node.start_mark.line + 1,
        where=shown,
    )
