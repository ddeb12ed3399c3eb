"""Per-environment identities inside values: cloud accounts, projects, subscriptions, regions.

Each environment usually lives in its own AWS account (ARNs, ECR hosts), GCP project or Azure
subscription. parity learns each environment's own identity from its records — the one its
values name most — so `arn:aws:sqs:eu-west-1:111111111111:orders` in production and the same
ARN with staging's account are the same setting, while a staging value naming *production's*
account is staging using production's resource.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

_PATTERNS: dict[str, re.Pattern[str]] = {
    "aws-account": re.compile(
        r"arn:aws[\w-]*:[\w-]*:[\w-]*:(\d{12}):|(?<!\d)(\d{12})\.dkr\.ecr\.[\w-]+\.amazonaws\.com"
    ),
    "aws-region": re.compile(r"arn:aws[\w-]*:[\w-]*:([a-z]{2}(?:-gov)?-[a-z]+-\d):"),
    "gcp-project": re.compile(
        r"\bprojects/([a-z][a-z0-9-]{4,28}[a-z0-9])(?=/|$)|"
        r"\b(?:gcr\.io|[a-z0-9-]+-docker\.pkg\.dev)/([a-z][a-z0-9-]{4,28}[a-z0-9])/|"
        r"@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com"
    ),
    "azure-subscription": re.compile(
        r"/subscriptions/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
        r"[0-9a-fA-F]{12})"
    ),
}
HINTS = (
    "arn:",
    ".amazonaws.com",
    "projects/",
    "gcr.io/",
    "pkg.dev/",
    "gserviceaccount",
    "/subscriptions/",
)


def found(text: str) -> list[tuple[str, str]]:
    """(kind, id) of every identity named in text."""
    if not any(h in text for h in HINTS):
        return []
    out = []
    for kind, pat in _PATTERNS.items():
        for m in pat.finditer(text):
            ident = next((g for g in m.groups() if g), None)
            if ident:
                out.append((kind, ident))
    return out


def own_identities(texts: Iterable[str]) -> dict[str, str]:
    """The identity an environment's values name most, per kind."""
    from parity.align.normalize import containing

    counts: dict[str, Counter[str]] = {}
    texts = list(texts)
    for i in containing(texts, HINTS):  # C-speed prefilter: most values name no cloud
        for kind, ident in set(found(texts[i])):
            counts.setdefault(kind, Counter())[ident] += 1
    return {kind: c.most_common(1)[0][0] for kind, c in counts.items() if c}


def neutralize(text: str, own: dict[str, str]) -> str:
    """Text with the environment's own identities replaced by `<kind>`."""
    for kind, ident in own.items():
        if ident in text:
            text = text.replace(ident, f"<{kind}>")
    return text


# -- identities learned per pair of environments ----------------------------------------------
#
# Beyond cloud accounts, each environment names its own resources with tokens of its own: a
# random suffix (`…-domain-y4xd7c6mh2vucmkgtcit6h222u`), a WAF ACL's UUID, an environment short
# code (`s189p01-rtt-pd-rg` / `-stg-rg`). When the same token pair is the only difference in
# several otherwise-equal values, it is the pair's identity, not drift.

_TOKENS = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9]+"
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
# words that differ between environments for a reason (a scheme, a level, a switch)
_NOT_IDENTITY = {
    "http", "https", "true", "false", "yes", "no", "on", "off", "info", "debug", "warn",
    "error", "trace", "get", "post", "put", "min", "max", "low", "high", "read", "write",
    "enabled", "disabled", "enable", "disable", "allow", "deny", "blue", "green", "old", "new",
}  # fmt: skip
MIN_VALUES = 3


def _identity_like(token: str) -> bool:
    """Tokens that name a resource rather than configure it: UUIDs, account numbers, random
    ids, hex ids, short environment codes (`pd`, `stg`)."""
    low = token.lower()
    if _UUID.match(token) or (token.isdigit() and len(token) >= 6):
        return True
    if token.isdigit() or low in _NOT_IDENTITY or re.fullmatch(r"v\d+", low):
        return False  # a count, a version, a word with a meaning
    if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
        return len(token) >= 6
    return token.isalpha() and 2 <= len(token) <= 4


class LearnedIdentity(NamedTuple):
    """A token pair that alone explains otherwise-equal values of two environments."""

    reference: str
    env: str
    values: int


def _diff_tokens(a: str, b: str) -> list[tuple[str, str]] | None:
    """The differing token pairs of two values with the same shape, else None."""
    ta, tb = _TOKENS.findall(a), _TOKENS.findall(b)
    if len(ta) != len(tb) or len(ta) < 2:
        return None
    if _TOKENS.sub("", a) != _TOKENS.sub("", b):
        return None  # different separators: another shape
    diffs = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return diffs if 0 < len(diffs) <= 3 else None


def learn(pairs: Iterable[tuple[str, str]]) -> list[LearnedIdentity]:
    """Token pairs (reference's, env's) that are the only differences of at least MIN_VALUES
    value pairs, one-to-one (a token mapped to two different tokens is no identity)."""
    counts: Counter[tuple[str, str]] = Counter()
    for a, b in pairs:
        diffs = _diff_tokens(a, b)
        if diffs and all(_identity_like(x) and _identity_like(y) for x, y in diffs):
            counts.update(set(diffs))
    found = {p: n for p, n in counts.items() if n >= MIN_VALUES}
    by_ref = Counter(p[0] for p in found)
    by_env = Counter(p[1] for p in found)
    return sorted(
        (
            LearnedIdentity(r, e, n)
            for (r, e), n in found.items()
            if by_ref[r] == 1 and by_env[e] == 1
        ),
        key=lambda i: (-i.values, i.reference),
    )


def substitute(text: str, learned: Iterable[LearnedIdentity]) -> str:
    """env's text with its learned tokens replaced by the reference's (whole tokens only)."""
    for ident in learned:
        if ident.env in text:
            pattern = rf"(?<![A-Za-z0-9]){re.escape(ident.env)}(?![A-Za-z0-9])"
            text = re.sub(pattern, ident.reference, text)
    return text
