"""Environment variables the code reads: the keys a deploy must set or the app breaks at runtime."""

from __future__ import annotations

import ast
import bisect
import fnmatch
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import Field

from parity.errors import CollectorError, ParseError
from parity.model import RequiredKey

from .interface import BaseOptions, Collector, CollectorResult

_JS_DOT = re.compile(r"process\.env\.([A-Za-z_][A-Za-z0-9_]*)")
_JS_INDEX = re.compile(r"process\.env\[\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\s*\]")
_JS_DESTRUCT = re.compile(r"\{([^{}]*)\}\s*=\s*process\.env\b")
_JS_DEFAULT = re.compile(r"\s*(\|\||\?\?)")
_GO = re.compile(r"os\.(Getenv|LookupEnv)\(\s*\"([A-Za-z_][A-Za-z0-9_]*)\"\s*\)")


class SourceCodeOptions(BaseOptions):
    """Options of the source-code collector."""

    path: str = Field(description="Source tree root, relative to the config file.")
    exclude: list[str] = Field(
        default_factory=lambda: [
            "node_modules",
            ".venv",
            "venv",
            ".git",
            "__pycache__",
            "dist",
            "build",
            "vendor",
            "tests",
            "test",
        ],
        description="Directory names or path globs to skip.",
    )


Read = tuple[str, int, bool]  # key, line, has_default


def _const_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _settings_prefix(cls: ast.ClassDef) -> str:
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "model_config" for t in stmt.targets)
            and isinstance(stmt.value, ast.Call)
        ):
            for kw in stmt.value.keywords:
                if kw.arg == "env_prefix" and _const_str(kw.value) is not None:
                    return _const_str(kw.value) or ""
    return ""


def python_reads(text: str, shown: str) -> Iterator[Read]:
    """os.environ[...], os.environ.get, os.getenv, setdefault and pydantic BaseSettings fields."""
    try:
        tree = ast.parse(text, filename=shown)
    except SyntaxError as e:
        raise ParseError(shown, e.lineno, f"Python syntax error: {e.msg}") from e
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            key = _const_str(node.slice)
            if key and isinstance(node.ctx, ast.Load):
                yield key, node.lineno, False
        elif isinstance(node, ast.Call):
            f = node.func
            name = (
                f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            )
            key = _const_str(node.args[0]) if node.args else None
            if not key:
                continue
            has_default = len(node.args) > 1 or any(k.arg == "default" for k in node.keywords)
            if name == "getenv" or (
                isinstance(f, ast.Attribute) and _is_environ(f.value) and name == "get"
            ):
                yield key, node.lineno, has_default
            elif isinstance(f, ast.Attribute) and _is_environ(f.value) and name == "setdefault":
                yield key, node.lineno, True
        elif isinstance(node, ast.ClassDef) and any(
            (isinstance(b, ast.Name) and b.id == "BaseSettings")
            or (isinstance(b, ast.Attribute) and b.attr == "BaseSettings")
            for b in node.bases
        ):
            prefix = _settings_prefix(node)
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    if stmt.target.id == "model_config":
                        continue
                    yield (prefix + stmt.target.id).upper(), stmt.lineno, stmt.value is not None


def _line_of(starts: list[int], pos: int) -> int:
    return bisect.bisect_right(starts, pos)


def js_reads(text: str, shown: str) -> Iterator[Read]:
    """process.env.X, process.env["X"], and `const {X} = process.env`."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for rx in (_JS_DOT, _JS_INDEX):
        for m in rx.finditer(text):
            yield m.group(1), _line_of(starts, m.start()), bool(_JS_DEFAULT.match(text, m.end()))
    for m in _JS_DESTRUCT.finditer(text):
        for part in m.group(1).split(","):
            name = part.split(":")[0].split("=")[0].strip()
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                yield name, _line_of(starts, m.start()), "=" in part


def go_reads(text: str, shown: str) -> Iterator[Read]:
    """os.Getenv("X") (required) and os.LookupEnv("X") (the code handles absence)."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for m in _GO.finditer(text):
        yield m.group(2), _line_of(starts, m.start()), m.group(1) == "LookupEnv"


READERS: dict[str, Callable[[str, str], Iterator[Read]]] = {
    ".py": python_reads,
    **dict.fromkeys((".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx"), js_reads),
    ".go": go_reads,
}


class SourceCodeCollector(Collector[SourceCodeOptions]):
    """Scans a source tree for environment variable reads."""

    type_name = "source-code"
    Options = SourceCodeOptions
    summary = "env vars read by Python (AST), JS/TS and Go code → required keys"

    def _files(self, root: Path) -> list[Path]:
        opts = self.options
        out = []
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.suffix not in READERS or not p.is_file():
                continue
            parts = rel.split("/")[:-1]
            if any(part in opts.exclude for part in parts) or any(
                fnmatch.fnmatch(rel, g) for g in opts.exclude
            ):
                continue
            out.append(p)
        return out

    def collect(self) -> CollectorResult:
        root = self.ctx.resolve(self.options.path)
        if not root.is_dir():
            raise CollectorError(
                f"source tree {self.ctx.display(root)} is not a directory",
                hint="point path at the application's source root",
            )
        first: dict[str, tuple[str, bool]] = {}
        for file in self._files(root):
            shown = self.ctx.display(file)
            text = self.ctx.read_text(file)
            reads = READERS[file.suffix](text, shown)
            for key, line, has_default in sorted(reads, key=lambda r: r[1]):
                if key in first:
                    where, all_default = first[key]
                    first[key] = (where, all_default and has_default)
                else:
                    first[key] = (f"{shown}:{line}", has_default)
        return CollectorResult(
            records=[RequiredKey(k, where, d) for k, (where, d) in sorted(first.items())]
        )
