"""Environment variables the code reads: the keys a deploy must set or the app breaks at runtime."""

from __future__ import annotations

import ast
import bisect
import fnmatch
import os
import re
import warnings
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


# key, line, how: "required" (absence raises), "optional" (absence is handled: None/undefined),
# "default" (the code supplies a default)
Read = tuple[str, int, str]


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
        with warnings.catch_warnings():  # a SyntaxWarning would print (and quote) the line
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=shown)
    except SyntaxError as e:
        raise ParseError(shown, e.lineno, f"Python syntax error: {e.msg}") from e
    except (ValueError, RecursionError, MemoryError) as e:
        raise ParseError(shown, None, f"cannot parse as Python ({type(e).__name__})") from e
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            key = _const_str(node.slice)
            if key and isinstance(node.ctx, ast.Load):
                yield key, node.lineno, "required"
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
                yield key, node.lineno, "default" if has_default else "optional"
            elif isinstance(f, ast.Attribute) and _is_environ(f.value) and name == "setdefault":
                yield key, node.lineno, "default"
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
                    how = "default" if stmt.value is not None else "required"
                    yield (prefix + stmt.target.id).upper(), stmt.lineno, how


def _line_of(starts: list[int], pos: int) -> int:
    return bisect.bisect_right(starts, pos)


def js_reads(text: str, shown: str) -> Iterator[Read]:
    """process.env.X, process.env["X"], and `const {X} = process.env`."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for rx in (_JS_DOT, _JS_INDEX):
        for m in rx.finditer(text):
            default = bool(_JS_DEFAULT.match(text, m.end()))
            yield m.group(1), _line_of(starts, m.start()), "default" if default else "optional"
    for m in _JS_DESTRUCT.finditer(text):
        for part in m.group(1).split(","):
            name = part.split(":")[0].split("=")[0].strip()
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                yield name, _line_of(starts, m.start()), "default" if "=" in part else "optional"


def go_reads(text: str, shown: str) -> Iterator[Read]:
    """os.Getenv("X") (absent reads as "") and os.LookupEnv("X"): both handle absence."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for m in _GO.finditer(text):
        yield m.group(2), _line_of(starts, m.start()), "optional"


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
        """Source files under root; an unreadable directory fails the source (a skipped part
        of the tree could hold the read that matters), symlinked directories are not
        followed (no loops), and a dangling symlink or non-regular file is an error."""
        opts = self.options
        out = []

        def fail(err: OSError) -> None:
            where = self.ctx.display(Path(err.filename)) if err.filename else "a directory"
            raise CollectorError(
                f"cannot list {where} ({err.strerror})",
                hint="make the whole source tree readable, or exclude that directory",
            )

        for dirpath, dirnames, filenames in os.walk(root, onerror=fail):
            base = Path(dirpath)
            dirnames[:] = sorted(
                d for d in dirnames if d not in opts.exclude and not (base / d).is_symlink()
            )
            for name in sorted(filenames):
                p = base / name
                rel = p.relative_to(root).as_posix()
                if p.suffix not in READERS or any(fnmatch.fnmatch(rel, g) for g in opts.exclude):
                    continue
                if not p.exists():
                    raise CollectorError(f"{self.ctx.display(p)} is a dangling symlink")
                out.append(p)
        return sorted(out)

    def collect(self) -> CollectorResult:
        root = self.ctx.resolve(self.options.path)
        if not root.is_dir():
            raise CollectorError(
                f"source tree {self.ctx.display(root)} is not a directory",
                hint="point path at the application's source root",
            )
        strength = {"default": 0, "optional": 1, "required": 2}
        first: dict[str, tuple[str, str]] = {}
        for file in self._files(root):
            shown = self.ctx.display(file)
            text = self.ctx.read_text(file, allow_empty=True)
            reads = READERS[file.suffix](text, shown)
            for key, line, how in sorted(reads, key=lambda r: r[1]):
                where = f"{shown}:{line}"
                if key not in first or strength[how] > strength[first[key][1]]:
                    first[key] = (where, how)  # the strictest read decides (and is shown)
        return CollectorResult(
            records=[
                RequiredKey(k, where, how == "default", how == "optional")
                for k, (where, how) in sorted(first.items())
            ]
        )
