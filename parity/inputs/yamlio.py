"""YAML reading shared by collectors and the policy: one loader, one error shape, bounded
expansion.

- Redefining an anchor is legal YAML 1.2 (Helm accepts it); the later definition wins.
- Errors carry file:line and what was wrong, never the input's text (a malformed line may be
  a secret): quoted fragments of the parser's message are elided.
- Construction shares aliased objects, so expansion is charged when data is walked
  (see MAX_NODES).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from parity.errors import ParseError

if TYPE_CHECKING:
    import yaml


MAX_NODES = 2_000_000  # per file: far above real configs, far below an alias bomb


def node_count(value: Any, budget: int = MAX_NODES) -> int:
    """Nodes in a plain value, counting shared (aliased) objects each time they are reached;
    stops counting past the budget."""
    n, stack = 0, [value]
    while stack and n <= budget:
        v = stack.pop()
        n += 1
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return n


@cache
def fast_loader_class() -> Any:
    """libyaml's loader (PyYAML's CSafeLoader, 8-9x faster, same nodes and line numbers), or
    None when PyYAML was built without libyaml (then a one-line notice says why it is slow)."""
    import yaml

    found = getattr(yaml, "CSafeLoader", None)
    if found is None:
        import sys

        sys.stderr.write(
            "parity: notice: PyYAML has no libyaml here; YAML is read by the slower Python "
            "parser (pip install --force-reinstall pyyaml from a wheel)\n"
        )
    return found


@cache
def loader_class() -> Any:
    """SafeLoader that lets an anchor be redefined (the later definition wins). Built on first
    use: PyYAML is imported only when a YAML file is read. libyaml refuses a redefined anchor,
    so files that redefine one are read by this (pure-Python) loader."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if not self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                if event.anchor is not None:
                    self.anchors.pop(event.anchor, None)
            return super().compose_node(parent, index)

    return Loader


# What the parser quotes that is its own vocabulary, never the input's text: a punctuation
# token it expected or found (`','`, `']'`), a token class (`'<block end>'`, `'<scalar>'`).
_STRUCTURE = re.compile(r"[^\w\s]{1,3}|<[a-z ]+>")


def _safe_problem(problem: str | None) -> str:
    """The parser's complaint in its own words (`expected ',' or ']'`) with any quoted input
    elided: a quote holding a word or a value may be a secret."""

    def quoted(m: re.Match[str]) -> str:
        return m.group(0) if _STRUCTURE.fullmatch(m.group(2)) else "…"

    return re.sub(r"(['\"])(.*?)\1", quoted, problem or "syntax error")


def yaml_error(e: yaml.YAMLError, shown: str) -> ParseError:
    """A ParseError naming file:line and the kind of problem, never the text."""
    import yaml

    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        problem = _safe_problem(e.problem)
        if e.context:  # `while parsing a flow sequence`: the parser's words, no input
            problem = f"{problem} ({_safe_problem(e.context)})"
        return ParseError(shown, mark.line + 1 if mark else None, f"invalid YAML: {problem}")
    return ParseError(shown, None, f"invalid YAML ({type(e).__name__})")


@contextmanager
def yaml_errors(shown: str) -> Iterator[None]:
    """Building values from nodes can fail late (bad tags, deep nesting); both callers
    need the same secret-free file:line translation."""
    import yaml

    try:
        yield
    except yaml.YAMLError as e:
        raise yaml_error(e, shown) from e
    except RecursionError as e:
        raise ParseError(shown, None, "invalid YAML: nested too deeply") from e


class Tagged(NamedTuple):
    """A node carrying an application tag the file's own tool defines (Compose's `!reset`,
    `!override`): the tag and the value as written."""

    tag: str
    value: Any


@cache
def _tagged(base: Any, tags: tuple[str, ...]) -> Any:
    """A subclass of a loader that constructs these application tags as `Tagged` values
    (PyYAML copies the constructor table on the subclass: the shared loaders stay plain)."""
    import yaml

    def construct(loader: Any, node: Any) -> Tagged:
        if isinstance(node, yaml.MappingNode):
            value: Any = loader.construct_mapping(node, deep=True)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_scalar(node)
        return Tagged(node.tag, value)

    cls: Any = type(f"Tagged{base.__name__}", (base,), {})
    for tag in tags:
        cls.add_constructor(tag, construct)
    return cls


def yaml_nodes(text: str, shown: str, tags: tuple[str, ...] = ()) -> tuple[Any, list[Any]]:
    """The loader (to construct values later) and every document's root node: through libyaml
    when it is there, else (or for a redefined anchor, which libyaml refuses) in Python.
    `tags`: application tags constructed as `Tagged` values instead of refused."""
    import yaml

    fast = fast_loader_class()
    if fast is not None and tags:
        fast = _tagged(fast, tags)
    if fast is not None:
        try:
            loader = fast(text)
        except UnicodeError:  # libyaml cannot take lone surrogates: the Python reader says why
            return _python_nodes(text, shown, tags)
        try:
            docs = []
            while loader.check_node():
                docs.append(loader.get_node())
            return loader, docs
        except yaml.composer.ComposerError as e:
            loader.dispose()
            if "duplicate anchor" not in str(e.context or "") + str(e.problem or ""):
                raise yaml_error(e, shown) from e
        except yaml.YAMLError as e:
            loader.dispose()
            raise yaml_error(e, shown) from e
        except RecursionError as e:
            loader.dispose()
            raise ParseError(shown, None, "nested too deeply") from e
        except UnicodeError:
            loader.dispose()
    return _python_nodes(text, shown, tags)


def _python_nodes(text: str, shown: str, tags: tuple[str, ...] = ()) -> tuple[Any, list[Any]]:
    import yaml

    cls = _tagged(loader_class(), tags) if tags else loader_class()
    try:
        loader = cls(text)
    except yaml.YAMLError as e:  # the reader refuses non-printable input up front
        raise yaml_error(e, shown) from e
    try:
        docs = []
        while loader.check_node():
            docs.append(loader.get_node())
        return loader, docs
    except yaml.YAMLError as e:
        loader.dispose()
        raise yaml_error(e, shown) from e
    except RecursionError as e:
        loader.dispose()
        raise ParseError(shown, None, "nested too deeply") from e


def load_yaml_documents(text: str, shown: str, tags: tuple[str, ...] = ()) -> list[Any]:
    """All non-empty YAML documents as plain data; syntax errors carry file:line; `tags` are
    application tags read as `Tagged` values."""
    loader, nodes = yaml_nodes(text, shown, tags)
    try:
        with yaml_errors(shown):
            docs = [loader.construct_document(n) for n in nodes]
    finally:
        loader.dispose()
    for doc in docs:
        if node_count(doc) > MAX_NODES:
            raise ParseError(
                shown, None, f"expands to more than {MAX_NODES:,} nodes (YAML aliases?)"
            )
    return [d for d in docs if d is not None]
