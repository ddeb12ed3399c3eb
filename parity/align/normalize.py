"""Environment-name tokens: `db.staging.internal` vs `db.prod.internal` is parity, not drift."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

ENV_PLACEHOLDER = "<env>"


def _alternation(tokens: Iterable[str]) -> str | None:
    toks = sorted({t.lower() for t in tokens if t}, key=len, reverse=True)
    return "|".join(re.escape(t) for t in toks) if toks else None


def _token_pattern(tokens: Iterable[str]) -> re.Pattern[str] | None:
    alt = _alternation(tokens)
    if alt is None:
        return None
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alt})(?![A-Za-z0-9])", re.IGNORECASE)


def _strip_pattern(tokens: Iterable[str]) -> re.Pattern[str] | None:
    """A whole delimited token with the separators around it."""
    alt = _alternation(tokens)
    if alt is None:
        return None
    return re.compile(
        rf"(?P<pre>[-_.\s(\[]*)(?<![A-Za-z0-9])(?:{alt})(?![A-Za-z0-9])(?P<post>[-_.\s)\]]*)",
        re.IGNORECASE,
    )


def _drop_token(m: re.Match[str]) -> str:
    """Remove a token and one separator: `a.staging.b` -> `a.b`, `api-staging` -> `api`,
    `STAGING - Foo` -> `Foo`, `[Staging] Foo` -> `Foo`. Brackets go only in pairs around the
    token: in `apps[name=web-staging].x` they bound it -> `apps[name=web].x`."""
    pre, post = m.group("pre"), m.group("post")
    opened = [i for i, c in enumerate(pre) if c in "(["]
    closed = [i for i, c in enumerate(post) if c in ")]"]
    outer_pre = outer_post = ""
    if len(opened) == len(closed):  # a bracketed label, `[Staging]`: the brackets go too
        pre = pre.replace("(", "").replace("[", "")
        post = post.replace(")", "").replace("]", "")
    else:  # an enclosing bracket is a boundary that stays
        if opened and not closed:
            outer_pre, pre = pre[: opened[-1] + 1], pre[opened[-1] + 1 :]
        if closed and not opened:
            post, outer_post = post[: closed[0]], post[closed[0] :]
    left = m.start() > 0 and not outer_pre
    right = m.end() < len(m.string) and not outer_post
    keep = pre if pre and post and left and right else ""
    return outer_pre + keep + outer_post


class EnvNormalizer:
    """Knows each configured environment's name tokens (name plus aliases)."""

    def __init__(
        self,
        env_names: Iterable[str],
        aliases: dict[str, list[str]],
        stop_words: Iterable[str] = (),
    ) -> None:
        stops = sorted({w.lower() for w in stop_words if w}, key=len, reverse=True)
        self._stops = (
            re.compile("|".join(re.escape(w) for w in stops), re.IGNORECASE) if stops else None
        )
        self.tokens: dict[str, set[str]] = {}
        for env in env_names:
            low = env.lower()
            group = {low}
            for canonical, alist in aliases.items():
                names = {canonical.lower(), *(a.lower() for a in alist)}
                if low in names:
                    group |= names
            self.tokens[env] = group
        self._own = {env: _token_pattern(t) for env, t in self.tokens.items()}
        self._foreign: dict[str, re.Pattern[str] | None] = {}
        for env, own in self.tokens.items():
            others = set().union(*(t for e, t in self.tokens.items() if e != env)) - own
            self._foreign[env] = _token_pattern(others)
        self._owner = {tok: env for env, toks in self.tokens.items() for tok in toks}
        self.all_tokens: set[str] = set().union(*self.tokens.values()) if self.tokens else set()
        self._all = _strip_pattern(self.all_tokens)
        self._own_strip = {env: _strip_pattern(t) for env, t in self.tokens.items()}

    def foreign_tokens(self, env: str) -> set[str]:
        """Name tokens of every other configured environment (not shared with this one)."""
        own = self.tokens.get(env, set())
        return {t for e, toks in self.tokens.items() if e != env for t in toks} - own

    def neutral(self, name: str) -> str:
        """Remove every configured environment's tokens (and a separator): for identities,
        never for values. `shop-prod-api`, `shop-staging-api` and `shop-api` all align."""
        return self._all.sub(_drop_token, name) if self._all else name

    def strip(self, env: str, value: str) -> str:
        """Remove this environment's own tokens (and a separator) from a value."""
        pat = self._own_strip.get(env)
        return pat.sub(_drop_token, value) if pat else value

    def normalize(self, env: str, value: str) -> str:
        """Replace the env's own name tokens by a placeholder."""
        pat = self._own.get(env)
        return pat.sub(ENV_PLACEHOLDER, value) if pat else value

    def foreign(self, env: str, value: str) -> tuple[str, str] | None:
        """(other environment, token) when `value` names another configured environment."""
        pat = self._foreign.get(env)
        m = pat.search(value) if pat else None
        if not m:
            return None
        return self._owner.get(m.group(0).lower(), "?"), m.group(0)

    def foreign_match(self, env: str, value: str) -> tuple[str, str, int, int] | None:
        """(other environment, token, start, end) of the first token of another configured
        environment in `value`, stop-words (`svc.cluster.local`) masked out."""
        pat = self._foreign.get(env)
        if pat is None:
            return None
        masked = self._stops.sub(lambda m: " " * len(m.group(0)), value) if self._stops else value
        m = pat.search(masked)
        if not m:
            return None
        return self._owner.get(m.group(0).lower(), "?"), m.group(0), m.start(), m.end()

    def names_env(self, env: str, value: str) -> bool:
        """Whether value carries one of env's own name tokens."""
        pat = self._own.get(env)
        return bool(pat and pat.search(value))

    def same(self, env_a: str, a: str, env_b: str, b: str) -> bool:
        """Equal once each side's own environment name is neutralized: replaced on both sides
        (`db.prod.internal` ~ `db.staging.internal`), removed where only one side names it
        (`assets.staging.x.gov` ~ `assets.x.gov`), or glued on without a separator where a
        name allows none (`uploadsstaging` ~ `uploads`)."""
        if a == b or self.normalize(env_a, a) == self.normalize(env_b, b):
            return True
        if self.strip(env_a, a) == self.strip(env_b, b):
            return True
        return (
            self._glued(env_a, a, b)
            or self._glued(env_b, b, a)
            or self._unglued(env_a, a) & self._unglued(env_b, b) != set()
        )

    def _unglued(self, env: str, value: str) -> set[tuple[str, str]]:
        """What remains of a value with its environment's name glued on at either end
        (`lpgprod` -> ("lpg", "")): `lpgprod` and `lpgstaging` are one name."""
        low = value.lower()
        out = set()
        for tok in self.tokens.get(env, ()):
            if len(low) > len(tok) + 1:
                if low.endswith(tok):
                    out.add((low[: -len(tok)], ""))
                if low.startswith(tok):
                    out.add(("", low[len(tok) :]))
        return out

    def _glued(self, env: str, longer: str, shorter: str) -> bool:
        low, short = longer.lower(), shorter.lower()
        if not short or len(low) <= len(short):
            return False
        return any(low == short + tok or low == tok + short for tok in self.tokens.get(env, ()))


class Haystack:
    """Many strings searched for many needles at C speed: one lower-cased blob, built once
    and shared by every rule that prefilters the same values."""

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings
        self.blob = "\x00".join(strings).lower()
        self._ends: list[int] | None = None

    def find(self, needles: Iterable[str]) -> list[int]:
        """Indices of strings containing any needle (case-insensitive), sorted."""
        blob = self.blob
        hits: set[int] = set()
        for needle in needles:
            needle = needle.lower()
            i = blob.find(needle)
            while i >= 0:
                if self._ends is None:  # start of string k+1 == ends[k]
                    self._ends = list(accumulate(map((1).__add__, map(len, self.strings))))
                ends = self._ends
                k = bisect_right(ends, i)
                hits.add(k)
                i = blob.find(needle, ends[k]) if k < len(ends) else -1
        return sorted(hits)


def containing(strings: list[str], needles: Iterable[str]) -> list[int]:
    """Indices of strings containing any needle (case-insensitive), in sorted order.

    One lower-cased blob and str.find per needle run at C speed, so rules can prefilter a
    million values in milliseconds and do their exact (slower) check on the few hits.
    """
    if not strings:
        return []
    blob = "\x00".join(strings).lower()
    ends: list[int] | None = None
    hits: set[int] = set()
    for needle in needles:
        needle = needle.lower()
        i = blob.find(needle)
        while i >= 0:
            if ends is None:  # start of string k+1 == ends[k]
                ends = list(accumulate(map((1).__add__, map(len, strings))))
            k = bisect_right(ends, i)
            hits.add(k)
            i = blob.find(needle, ends[k]) if k < len(ends) else -1
    return sorted(hits)
