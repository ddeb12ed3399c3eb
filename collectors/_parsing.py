"""YAML reading shared by collectors: one loader, one error shape, bounded expansion.

- Redefining an anchor is legal YAML 1.2 (Helm accepts it); the later definition wins.
- Errors carry file:line and what was wrong, never the input's text (a malformed line may be
  a secret): quoted fragments of the parser's message are elided.
- Construction shares aliased objects, so expansion is charged when data is walked
  (see _flatten.MAX_NODES).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from parity.errors import ParseError

from ._flatten import MAX_NODES, Tree, _size


class Loader(yaml.SafeLoader):
    """SafeLoader that lets an anchor be redefined (the later definition wins)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if event.anchor is not None:
                self.anchors.pop(event.anchor, None)
        return super().compose_node(parent, index)


def _safe_problem(problem: str | None) -> str:
    """The parser's complaint with quoted input elided: it may quote a secret."""
    return re.sub(r"(['\"]).*?\1", "…", problem or "syntax error")


def yaml_error(e: yaml.YAMLError, shown: str) -> ParseError:
    """A ParseError naming file:line and the kind of problem, never the text."""
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        return ParseError(
            shown, mark.line + 1 if mark else None, f"invalid YAML: {_safe_problem(e.problem)}"
        )
    return ParseError(shown, None, f"invalid YAML ({type(e).__name__})")


def yaml_nodes(text: str, shown: str) -> tuple[Loader, list[Any]]:
    """The loader (to construct values later) and every document's root node."""
    loader = Loader(text)
    try:
        docs = []
        while loader.check_node():
            docs.append(loader.get_node())
        return loader, docs
    except yaml.YAMLError as e:
        loader.dispose()
        raise yaml_error(e, shown) from e


def node_tree(loader: Loader, shown: str) -> Tree:
    """A _flatten.Tree over YAML nodes: leaves keep their line numbers."""

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


def load_yaml_documents(text: str, shown: str) -> list[Any]:
    """All non-empty YAML documents as plain data; syntax errors carry file:line."""
    loader, nodes = yaml_nodes(text, shown)
    try:
        docs = [loader.construct_document(n) for n in nodes]
    except yaml.YAMLError as e:
        raise yaml_error(e, shown) from e
    finally:
        loader.dispose()
    for doc in docs:
        if _size(doc) > MAX_NODES:
            raise ParseError(
                shown, None, f"expands to more than {MAX_NODES:,} nodes (YAML aliases?)"
            )
    return [d for d in docs if d is not None]
