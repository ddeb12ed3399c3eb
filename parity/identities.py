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
    from parity.normalize import containing

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
