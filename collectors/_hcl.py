"""HCL2 (Terraform / OpenTofu) read as Terraform reads it.

Blocks become keys by their labels, as YAML documents are keyed by kind/name:
`resource.aws_db_instance.main.instance_class`, `module.rds.source`, `variable.x.default`,
`locals.y`, `provider.aws.region`, `terraform.required_providers.aws.version`. Several files of
one module are one configuration (Terraform reads every `.tf` of a directory). Expressions that
refer to other values (`var.x`, `local.y`, `module.a.b`, `"${var.env}-db"`) are references, not
literal values: they are resolved where the environment's own variable values (`*.tfvars`,
defaults) make them known, and otherwise kept as written — never classified as secrets.

python-hcl2 parses (a maintained, pure-Python parser); it gives no line numbers, so a light
scan of the text (`_Lines`) maps each attribute's path to the line that sets it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from parity.errors import ParseError

META = "__is_block__"
# Block types and how many labels they take (Terraform's language; unknown types: by shape).
LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}
_REF = re.compile(r"\$\{([^{}]*)\}")
_WHOLE_REF = re.compile(r"^\$\{([^{}]*)\}$")
_VAR = re.compile(r"^var\.([\w-]+)$")
_LOCAL = re.compile(r"^local\.([\w-]+)$")


def parse_hcl(text: str, shown: str) -> dict[str, Any]:
    """A file's blocks and attributes as python-hcl2 serializes them (strings unquoted, block
    markers kept); a syntax error names the line and the grammar, never the text."""
    import hcl2
    from hcl2.utils import SerializationOptions
    from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken

    options = SerializationOptions(
        with_comments=False, strip_string_quotes=True, preserve_heredocs=False
    )
    try:
        data: dict[str, Any] = hcl2.loads(text, serialization_options=options)
    except UnexpectedToken as e:
        expected = ", ".join(sorted(e.expected)[:6]) if e.expected else "something else"
        raise ParseError(
            shown, e.line, f"invalid HCL: unexpected {e.token.type} (expected {expected})"
        ) from e
    except UnexpectedInput as e:
        raise ParseError(shown, getattr(e, "line", None), "invalid HCL: unexpected input") from e
    except (LarkError, RecursionError, ValueError) as e:
        raise ParseError(shown, None, f"invalid HCL ({type(e).__name__})") from e
    return data


def _body(node: Any) -> Any:
    """A block body or value without python-hcl2's markers; nested blocks of one type become
    a mapping when there is one, a list when it repeats (`ingress {}` twice)."""
    if isinstance(node, Mapping):
        return {k: _body(v) for k, v in node.items() if k != META}
    if isinstance(node, list):
        if node and all(isinstance(x, Mapping) and x.get(META) for x in node):
            items = [_body(x) for x in node]
            return items[0] if len(items) == 1 else items
        return [_body(x) for x in node]
    return node


def _labelled(node: Any, depth: int) -> Iterator[tuple[list[str], Any]]:
    """(labels, body) of the blocks under one block type's entry."""
    if not isinstance(node, Mapping):
        return
    if node.get(META) or depth == 0:
        yield [], node
        return
    for label, inner in node.items():
        if label == META:
            continue
        for labels, body in _labelled(inner, depth - 1):
            yield [str(label), *labels], body


def blocks(data: Mapping[str, Any]) -> dict[str, Any]:
    """The file as nested plain data keyed by block type and labels: what `flatten` turns
    into `resource.aws_db_instance.main.instance_class`. `locals` blocks merge; a provider
    repeated with an `alias` is keyed `name.alias`."""
    out: dict[str, Any] = {}
    for block_type, entries in data.items():
        for entry in entries if isinstance(entries, list) else [entries]:
            depth = LABELS.get(block_type, _depth(entry))
            for labels, body in _labelled(entry, depth):
                plain = _body(body)
                if block_type == "provider" and isinstance(plain, dict) and "alias" in plain:
                    labels = [f"{labels[0]}.{plain['alias']}"] if labels else labels
                node = out.setdefault(block_type, {})
                for label in labels[:-1]:
                    node = node.setdefault(label, {})
                if labels:
                    node[labels[-1]] = plain
                elif isinstance(plain, dict):
                    node.update(plain)
    return out


def _depth(entry: Any) -> int:
    depth = 0
    while isinstance(entry, Mapping) and not entry.get(META) and len(entry) == 1:
        entry = next(iter(entry.values()))
        depth += 1
    return depth


def tfvars(data: Mapping[str, Any]) -> dict[str, Any]:
    """A `.tfvars` file: variable name -> value (top-level attributes only)."""
    return {k: _body(v) for k, v in data.items() if k != META}


def references(value: str) -> list[str]:
    """The expressions a string refers to (`"${var.env}-db"` -> ["var.env"])."""
    return [m.group(1).strip() for m in _REF.finditer(value)]


def resolve(value: Any, variables: Mapping[str, Any], local: Mapping[str, Any]) -> Any:
    """A value with `var.x` / `local.y` references replaced where known: a whole-string
    reference takes the referenced value (any type), an interpolation its text."""
    if isinstance(value, dict):
        return {k: resolve(v, variables, local) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, variables, local) for v in value]
    if not isinstance(value, str) or "${" not in value:
        return value
    whole = _WHOLE_REF.match(value)
    if whole:
        found = _lookup(whole.group(1).strip(), variables, local)
        return value if found is _UNKNOWN else found

    def sub(m: re.Match[str]) -> str:
        found = _lookup(m.group(1).strip(), variables, local)
        if found is _UNKNOWN or isinstance(found, dict | list):
            return m.group(0)
        return str(found).lower() if isinstance(found, bool) else str(found)

    return _REF.sub(sub, value)


_UNKNOWN = object()


def _lookup(expr: str, variables: Mapping[str, Any], local: Mapping[str, Any]) -> Any:
    m = _VAR.match(expr)
    if m and m.group(1) in variables:
        return variables[m.group(1)]
    m = _LOCAL.match(expr)
    if m and m.group(1) in local:
        found = local[m.group(1)]
        return _UNKNOWN if isinstance(found, str) and "${" in found else found
    return _UNKNOWN


def is_expression(value: Any) -> bool:
    """A value still referring to something unknown here (a resource attribute, an unset
    variable, a function call): a reference, not a literal."""
    return isinstance(value, str) and "${" in value


class Lines:
    """Which line sets each attribute: a scan of block headers, attributes and braces (the
    parser keeps no positions). Paths are the labelled keys `blocks` produces."""

    _HEADER = re.compile(r'^\s*([\w-]+)((?:\s+(?:"[^"]*"|[\w-]+))*)\s*\{\s*(?:#.*)?$')
    _ONE_LINE = re.compile(r'^\s*([\w-]+)((?:\s+(?:"[^"]*"|[\w-]+))*)\s*\{(.*)\}\s*(?:#.*)?$')
    _ATTR = re.compile(r"^\s*([\w-]+|\"[^\"]+\")\s*=\s*(.*)$")
    _LABEL = re.compile(r'"([^"]*)"|([\w-]+)')

    def __init__(self, text: str) -> None:
        self.at: dict[tuple[str, ...], int] = {}
        stack: list[tuple[tuple[str, ...], int]] = []  # (path, brace depth it opened at)
        depth = 0
        heredoc: str | None = None
        for n, line in enumerate(text.splitlines(), 1):
            if heredoc is not None:
                if line.strip() == heredoc:
                    heredoc = None
                continue
            path = stack[-1][0] if stack else ()
            one = self._ONE_LINE.match(line)
            if one:  # `variable "x" { default = 1 }`: the block and its attributes
                labels = [x or y for x, y in self._LABEL.findall(one.group(2))]
                block = (*path, one.group(1), *labels)
                self.at.setdefault(block, n)
                for name in re.findall(r"([\w-]+)\s*=", _strip_strings(one.group(3))):
                    self.at.setdefault((*block, name), n)
                continue
            m = self._HEADER.match(line)
            a = self._ATTR.match(line) if not m else None
            if m:
                labels = [x or y for x, y in self._LABEL.findall(m.group(2))]
                kind = m.group(1)
                new = (*path, kind, *labels)
                self.at.setdefault(new, n)
                depth += 1
                stack.append((new, depth))
                continue
            if a:
                name = a.group(1).strip('"')
                self.at.setdefault((*path, name), n)
                rest = _strip_strings(a.group(2))
                h = re.search(r"<<-?(\w+)\s*$", a.group(2))
                if h:
                    heredoc = h.group(1)
                    continue
                opened = rest.count("{") + rest.count("[") - rest.count("}") - rest.count("]")
                if opened > 0:
                    depth += opened
                    stack.append(((*path, name), depth))
                    continue
                depth += opened
            else:
                clean = _strip_strings(line)
                depth += clean.count("{") + clean.count("[") - clean.count("}") - clean.count("]")
            while stack and depth < stack[-1][1]:
                stack.pop()

    def line(self, key: str) -> int | None:
        """The line of a flattened key, or of its nearest ancestor the scan saw."""
        parts = tuple(p for p in re.split(r"\.(?![^\[]*\])", re.sub(r"\[[^\]]*\]", "", key)) if p)
        for end in range(len(parts), 0, -1):
            found = self.at.get(parts[:end])
            if found is not None:
                return found
        return None


def _strip_strings(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', text.split("#", 1)[0])
