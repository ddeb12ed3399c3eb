"""Key vocabularies: what a key *means*, decided by its name, kept as data in the policy pack.

Some verdicts depend on what a setting is for rather than on how two values compare: replicas
and memory limits are capacity (staging is smaller by design), alerting and analytics keys
observe an environment without changing what the code does, an e-mail override or a debug
route is an aid a lower environment adds. The words live in `policies/default.yaml` (users
extend them in their own policy file); this module only matches them.

A pattern is a dotted glob over a key's *parts*: its dotted segments, with an identity-keyed
list element (`env[name=WEB_CONCURRENCY]`) standing for its identity (`WEB_CONCURRENCY`), so a
Helm `extraEnv` entry, a Kubernetes env var and a `.env` line are named alike. Matching is
case-insensitive. `*_WORKERS` matches one part; `limits.cpu` two consecutive parts.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from functools import lru_cache

from parity.align.keys import key_parts


class Vocabulary:
    """Compiled dotted globs; `find` says where in a key the first pattern matches."""

    def __init__(self, patterns: Iterable[str]) -> None:
        compiled: list[tuple[re.Pattern[str], ...]] = []
        for p in patterns:
            pieces = [x for x in p.split(".") if x]
            if pieces:
                compiled.append(
                    tuple(re.compile(fnmatch.translate(x.lower()), re.S) for x in pieces)
                )
        self._patterns = sorted(compiled, key=len, reverse=True)
        self.empty = not compiled

    def find(self, key: str) -> int | None:
        """Index of the first part where some pattern matches (earliest wins), else None."""
        if self.empty:
            return None
        names = [p.name.lower() for p in key_parts(key)]
        for i in range(len(names)):
            for pat in self._patterns:
                if i + len(pat) <= len(names) and all(
                    rx.match(n) for rx, n in zip(pat, names[i : i + len(pat)], strict=False)
                ):
                    return i
        return None

    def matches(self, key: str) -> bool:
        """Whether any pattern matches somewhere in the key."""
        return self.find(key) is not None

    def names(self, key: str, depth: int = 2) -> bool:
        """Whether the key's own name matches: a pattern matching within its last `depth`
        parts (`statuscake_alerts.ssl`, `extraEnv[name=GTM_ID]`), not an ancestor that
        merely contains the word (`analyticsApi.image.tag` is a service's image)."""
        start = self.find_last(key)
        return start is not None and start >= len(key_parts(key)) - depth

    def find_last(self, key: str) -> int | None:
        """Index of the last part where some pattern matches, else None."""
        if self.empty:
            return None
        names = [p.name.lower() for p in key_parts(key)]
        for i in range(len(names) - 1, -1, -1):
            for pat in self._patterns:
                if i + len(pat) <= len(names) and all(
                    rx.match(n) for rx, n in zip(pat, names[i : i + len(pat)], strict=False)
                ):
                    return i
        return None


@lru_cache(maxsize=64)
def vocabulary(patterns: tuple[str, ...]) -> Vocabulary:
    """One compiled vocabulary per pattern list (policies are immutable)."""
    return Vocabulary(patterns)
