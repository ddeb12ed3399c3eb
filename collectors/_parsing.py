"""Parsing helpers shared by collectors, so every malformed file yields the same ParseError."""

from __future__ import annotations

from typing import Any

from parity.errors import ParseError


def load_yaml_documents(text: str, shown: str) -> list[Any]:
    """All non-empty YAML documents; syntax errors carry file:line."""
    import yaml

    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise ParseError(
            shown, mark.line + 1 if mark else None, f"invalid YAML: {e.problem}"
        ) from e
    except yaml.YAMLError as e:
        raise ParseError(shown, None, f"invalid YAML: {type(e).__name__}") from e
