"""Python dependency versions from requirements, poetry.lock, uv.lock, Pipfile.lock, pip freeze."""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from parity.errors import CollectorError, ParseError
from parity.model import Dependency
from parity.secrets.classify import redact_text

from .interface import Collector, CollectorResult, FileOptions

PyFormat = Literal["requirements", "poetry", "uv", "pipfile"]
_NAME_RE = re.compile(r"[-_.]+")
_REQ = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*"
    r"(?P<spec>(===?|~=|!=|<=?|>=?)\s*[^;\s,]+(\s*,\s*(===?|~=|!=|<=?|>=?)\s*[^;\s,]+)*)?\s*"
    r"(;.*)?$"
)
_URL_REQ = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*@\s*(?P<url>\S+)")


def normalize_name(name: str) -> str:
    """PEP 503 normalization, so `Django_Rest` and `django-rest` align."""
    return _NAME_RE.sub("-", name).lower()


class PythonDepsOptions(FileOptions):
    """Options of the python-deps collector."""

    format: PyFormat | None = Field(default=None, description="Override detection by file name.")


def detect_format(path: Path) -> PyFormat:
    """Pick the parser from the file name (pip freeze output is requirements syntax)."""
    name = path.name.lower()
    if name == "poetry.lock":
        return "poetry"
    if name == "uv.lock":
        return "uv"
    if name == "pipfile.lock":
        return "pipfile"
    return "requirements"


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations, drop comments; keep the first physical line number."""
    out: list[tuple[int, str]] = []
    buf, start = "", 0
    for n, raw in enumerate(text.splitlines(), 1):
        if not buf:
            start = n
        line = raw.rstrip()
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        stripped = re.sub(r"(^|\s)#.*$", "", buf).strip()
        if stripped:
            out.append((start, stripped))
        buf = ""
    if buf.strip():
        out.append((start, buf.strip()))
    return out


def parse_requirements(
    path: Path,
    shown: str,
    read: Callable[[Path], str],
    seen: set[Path] | None = None,
    confine: Callable[[Path], Path] = lambda p: p,
) -> list[tuple[str, str, str]]:
    """requirements.txt / pip freeze into (name, version-or-spec, file:line); follows -r."""
    seen = seen or set()
    seen.add(Path(os.path.realpath(path)))
    out: list[tuple[str, str, str]] = []
    for line_no, line in _logical_lines(read(path)):
        where = f"{shown}:{line_no}"
        line = re.sub(r"\s--hash[=\s]\S+", "", line).strip()
        if line.startswith(("-r ", "--requirement", "-c ", "--constraint")):
            target = line.split(None, 1)[1] if " " in line else line.split("=", 1)[1]
            if "://" in target:  # a remote include may carry credentials: never fetched/shown
                raise ParseError(shown, line_no, "remote -r/-c includes are not followed")
            inc = Path(os.path.realpath(confine(path.parent / target.strip())))
            if inc in seen:
                continue
            if not inc.is_file():
                raise ParseError(shown, line_no, "the file included here does not exist")
            if line.startswith(("-c", "--constraint")):
                continue
            inc_shown = str(Path(shown).parent / target.strip())
            out.extend(parse_requirements(inc, inc_shown, read, seen, confine))
            continue
        if line.startswith("-"):
            continue  # --index-url, -e, --find-links...: not a pinned package
        m = _URL_REQ.match(line)
        if m:
            out.append((normalize_name(m["name"]), f"@ {redact_text(m['url'])}", where))
            continue
        m = _REQ.match(line)
        if not m:
            raise ParseError(shown, line_no, "not a requirement line (expected name==version)")
        if ";" in line:
            _check_marker(line.split(";", 1)[1], shown, line_no)
        spec = (m["spec"] or "").replace(" ", "")
        version = spec[2:] if spec.startswith("==") and "," not in spec else spec or "*"
        version = version.lstrip("=")
        out.append((normalize_name(m["name"]), version, where))
    return out


def _check_marker(marker: str, shown: str, line_no: int) -> None:
    """pip refuses an environment marker that is not PEP 508; so does parity (the line's text
    is never echoed: a requirement URL may carry a token)."""
    from packaging.markers import InvalidMarker, Marker

    try:
        Marker(marker.strip())
    except InvalidMarker as e:
        raise ParseError(shown, line_no, "invalid environment marker (expected PEP 508)") from e


def _toml(text: str, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"at line (\d+)", str(e))
        raise ParseError(shown, int(m.group(1)) if m else None, f"invalid TOML: {e}") from e


def parse_lock(text: str, fmt: PyFormat, shown: str) -> list[tuple[str, str, str, bool]]:
    """poetry.lock / uv.lock / Pipfile.lock into (name, version, source, dev)."""
    try:
        return _parse_lock(text, fmt, shown)
    except (AttributeError, TypeError, KeyError) as e:  # valid TOML/JSON, wrong shape
        raise ParseError(shown, None, f"not a {fmt} lock file (unexpected structure)") from e


def _parse_lock(text: str, fmt: PyFormat, shown: str) -> list[tuple[str, str, str, bool]]:
    out: list[tuple[str, str, str, bool]] = []
    if fmt in ("poetry", "uv"):
        for pkg in _toml(text, shown).get("package", []):
            if "name" not in pkg or "version" not in pkg:
                if fmt == "uv" and "name" in pkg:
                    continue  # uv's editable root project has no version
                raise ParseError(shown, None, "a [[package]] entry lacks name or version")
            dev = pkg.get("category") == "dev"
            out.append((normalize_name(pkg["name"]), str(pkg["version"]), shown, dev))
        return out
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ParseError(shown, e.lineno, f"invalid JSON: {e.msg}") from e
    except RecursionError as e:
        raise ParseError(shown, None, "invalid JSON: nested too deeply") from e
    for section, dev in (("default", False), ("develop", True)):
        for name, info in (data.get(section) or {}).items():
            version = str(info.get("version", "*")).lstrip("=") if isinstance(info, dict) else "*"
            out.append((normalize_name(name), version, shown, dev))
    return out


class PythonDepsCollector(Collector[PythonDepsOptions]):
    """Reads one Python lock or requirements file."""

    type_name = "python-deps"
    Options = PythonDepsOptions
    summary = "requirements.txt / pip freeze / poetry.lock / uv.lock / Pipfile.lock"

    def collect(self) -> CollectorResult:
        opts = self.options
        path = self.ctx.resolve(opts.path)
        shown = self.ctx.display(path)
        fmt = opts.format or detect_format(path)

        def read(p: Path) -> str:
            return self.ctx.read_text(p)

        if fmt == "requirements":
            rows = [
                (n, v, w, False)
                for n, v, w in parse_requirements(
                    path, shown, read, confine=lambda p: self.ctx.confined(p, "-r include")
                )
            ]
        else:
            rows = parse_lock(read(path), fmt, shown)
        if not rows:
            raise CollectorError(f"{shown} lists no packages", hint="is this the right file?")
        by_name = {}
        for name, version, where, dev in rows:
            by_name[name] = Dependency("pypi", name, version, where, dev)
        return CollectorResult(records=list(by_name.values()))
