"""One registry mechanism for what parity can be extended with: collector types, report formats
and rules.

Each kind is an explicit map of built-in names to `"module:attr"`, imported on first use (a
gate on .env files pays for neither the AWS collectors nor the HTML formatter), plus one
optional entry-point group through which third-party packages add names. Entry points are
only consulted for a name the built-ins lack, so `importlib.metadata` is never imported on
the common path.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import Any, Generic, TypeVar

from parity.errors import ConfigError

T = TypeVar("T")


def entry_points(group: str) -> Any:
    """Installed plugins of a group (importlib.metadata is loaded only when asked)."""
    from importlib.metadata import entry_points as installed

    return installed(group=group)


def load(spec: str) -> Any:
    """`"package.module:attr"` imported."""
    module, _, attr = spec.partition(":")
    return getattr(import_module(module), attr)


class Registry(Mapping[str, T], Generic[T]):
    """Built-in names of one kind, imported on lookup, and the entry-point group for more.

    As a Mapping it is the built-ins (iteration never scans plugins); `get_or_plugin` also
    looks a name up among the installed plugins and fails with a did-you-mean."""

    def __init__(
        self,
        kind: str,
        builtins: Mapping[str, str],
        group: str,
        check: Callable[[str, Any], T] | None = None,
    ) -> None:
        self.kind = kind
        self.builtins = dict(builtins)
        self.group = group
        self._check = check
        self._loaded: dict[str, T] = {}

    def __getitem__(self, name: str) -> T:
        if name not in self._loaded:
            found = load(self.builtins[name])
            self._loaded[name] = self._check(name, found) if self._check else found
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:  # never imports (Mapping's would)
        return name in self.builtins

    def __iter__(self) -> Iterator[str]:
        return iter(self.builtins)

    def __len__(self) -> int:
        return len(self.builtins)

    def plugin(self, name: str) -> T | None:
        """A third party's object registered under `name` in this kind's group, if any."""
        for ep in entry_points(self.group):
            if ep.name == name:
                found = ep.load()
                return self._check(name, found) if self._check else found
        return None

    def get_or_plugin(self, name: str) -> T:
        """The built-in, else a plugin's; an unknown name is a configuration error naming the
        closest one and the known ones."""
        if name in self.builtins:
            return self[name]
        found = self.plugin(name)
        if found is not None:
            return found
        close = difflib.get_close_matches(name, list(self.builtins), n=1)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(
            f"unknown {self.kind} {name!r}{suggestion}",
            hint=f"known: {', '.join(sorted(self.builtins))} (or a plugin in the "
            f"{self.group!r} entry-point group)",
        )

    def plugin_names(self) -> list[str]:
        """Names installed plugins add (imports importlib.metadata: only when listing)."""
        return sorted({ep.name for ep in entry_points(self.group)} - set(self.builtins))
