"""Node dependency versions from package-lock.json (lockfile v1, v2 and v3)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from parity.errors import CollectorError, ParseError
from parity.model import Dependency
from parity.secrets.classify import redact_text

from .interface import Collector, CollectorResult, FileOptions


class NodeDepsOptions(FileOptions):
    """Options of the node-deps collector."""

    include_dev: bool = Field(default=True, description="Also record devDependencies.")
    nested: bool = Field(default=False, description="Also record nested (non-hoisted) copies.")


def parse_package_lock(
    data: dict[str, Any], shown: str, *, nested: bool = False
) -> list[tuple[str, str, bool]]:
    """(name, version, dev) for installed packages; top-level (hoisted) ones unless nested."""
    if not isinstance(data, dict):
        raise ParseError(shown, 1, "expected a JSON object")
    try:
        return _parse_package_lock(data, shown, nested)
    except (AttributeError, TypeError, KeyError) as e:  # valid JSON, wrong shape
        raise ParseError(shown, None, "not a package-lock.json (unexpected structure)") from e


def _parse_package_lock(
    data: dict[str, Any], shown: str, nested: bool
) -> list[tuple[str, str, bool]]:
    out: list[tuple[str, str, bool]] = []
    packages = data.get("packages")
    if isinstance(packages, dict):  # lockfile v2 / v3
        for path, info in packages.items():
            if not path or not isinstance(info, dict) or info.get("link"):
                continue
            _, _, name = path.rpartition("node_modules/")
            if not nested and path.count("node_modules/") > 1:
                continue
            name = info.get("name", name)
            if "version" not in info:
                raise ParseError(shown, None, f"package {path} has no version")
            out.append((name, str(info["version"]), bool(info.get("dev"))))
        return out
    deps = data.get("dependencies")
    if isinstance(deps, dict):  # lockfile v1

        def walk(tree: dict[str, Any], depth: int) -> None:
            for name, info in tree.items():
                out.append((name, str(info.get("version", "*")), bool(info.get("dev"))))
                if nested and isinstance(info.get("dependencies"), dict):
                    walk(info["dependencies"], depth + 1)

        walk(deps, 0)
        return out
    raise ParseError(shown, None, "not a package-lock.json (no 'packages' or 'dependencies')")


class NodeDepsCollector(Collector[NodeDepsOptions]):
    """Reads one package-lock.json."""

    type_name = "node-deps"
    Options = NodeDepsOptions
    summary = "package-lock.json v1/v2/v3"

    def collect(self) -> CollectorResult:
        opts = self.options
        path = self.ctx.resolve(opts.path)
        shown = self.ctx.display(path)
        try:
            data = json.loads(self.ctx.read_text(path))
        except json.JSONDecodeError as e:
            raise ParseError(shown, e.lineno, f"invalid JSON: {e.msg}") from e
        if not isinstance(data, dict):
            raise ParseError(shown, 1, "expected a JSON object")
        rows = parse_package_lock(data, shown, nested=opts.nested)
        if not rows:
            raise CollectorError(f"{shown} lists no packages", hint="run npm install first?")
        records: dict[str, Dependency] = {}
        for name, version, dev in rows:
            if dev and not opts.include_dev:
                continue
            records.setdefault(name, Dependency("npm", name, redact_text(version), shown, dev))
        return CollectorResult(records=list(records.values()))
