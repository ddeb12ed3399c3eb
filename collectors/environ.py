"""The running process environment: what a container or CI job actually has set."""

from __future__ import annotations

import fnmatch
import os

from pydantic import Field

from .interface import BaseOptions, Collector, CollectorResult


class EnvironOptions(BaseOptions):
    """Which variables to take: by prefix and/or an allow-list of globs."""

    prefixes: list[str] = Field(default_factory=list, description="Keep names with a prefix.")
    allow: list[str] = Field(default_factory=list, description="Keep names matching a glob.")
    strip_prefix: bool = Field(default=False, description="Drop the matched prefix from keys.")


def select(environ: dict[str, str], opts: EnvironOptions) -> dict[str, str]:
    """Filter (and optionally rename) variables; with no filter everything is kept. parity's
    own settings (`PARITY_*`, its fingerprint key above all) are never collected."""
    out: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("PARITY_"):
            continue
        prefix = next((p for p in opts.prefixes if key.startswith(p)), None)
        allowed = any(fnmatch.fnmatchcase(key, g) for g in opts.allow)
        if (opts.prefixes or opts.allow) and prefix is None and not allowed:
            continue
        name = key[len(prefix) :] if prefix and opts.strip_prefix else key
        out[name] = value
    return out


class EnvironCollector(Collector[EnvironOptions]):
    """Reads parity's own process environment."""

    type_name = "environ"
    Options = EnvironOptions
    summary = "process environment, filtered by prefix / allow-list"

    def location(self) -> str:
        return "process environment"

    def collect(self) -> CollectorResult:
        chosen = select(dict(os.environ), self.options)
        return CollectorResult(
            records=[
                self.ctx.config_entry(self.scope, k, v, f"env:{k}", env_var=True)
                for k, v in sorted(chosen.items())
            ]
        )
