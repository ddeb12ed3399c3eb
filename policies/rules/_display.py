"""Display helpers shared by rules: how values, places and images are shown in findings.

Secrets are never shown: a secret entry displays as `<secret: redacted>`, a reference by its
store and name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from parity.model import ConfigEntry, Image, SecretRef
from parity.secrets.classify import SECRET_SHOWN

from .interface import Draft

REDACTED = SECRET_SHOWN  # a withheld value, as findings show it


def show(record: ConfigEntry | None) -> str | None:
    """A config value as it may be displayed: secrets are never shown, references are named."""
    if record is None:
        return None
    if record.value is not None:
        return record.value
    if record.value_ref:
        return f"<ref {record.value_ref}>"
    return REDACTED


def where(r: ConfigEntry | SecretRef) -> str:
    """`KEY (scope)`: the same key can live in several sources and workloads."""
    return f"{r.key} ({r.scope})"


def image_name(repository: str) -> str:
    """Repository without its registry host: ECR hosts embed the account id, which differs
    between environments while the image is the same."""
    host, sep, rest = repository.partition("/")
    if sep and ("." in host or ":" in host or host == "localhost"):
        return rest
    return repository


def img(i: Image) -> str:
    """Short image label: registry host dropped, digest abbreviated."""
    out = image_name(i.repository) + (f":{i.tag}" if i.tag else "")
    return out + (f"@{i.digest[:19]}…" if i.digest else "")


_LINE = re.compile(r":\d+$")


def once_per_source(drafts: Iterable[Draft]) -> Iterator[Draft]:
    """One finding per value at its source: an `.env` line read by three compose services
    through `env_file` is reported once, naming the other consumers."""
    merged: dict[tuple[str, str, str, str | None], tuple[Draft, list[str]]] = {}
    order: list[tuple[str, str, str, str | None]] = []
    for d in drafts:
        kind, _, rest = d.subject.partition(":")
        scope, _, key = rest.rpartition(":")
        if not d.source or not _LINE.search(d.source) or not scope:
            yield d
            continue
        ident = (d.environment, f"{kind}:{key}", d.source, d.level)
        if ident in merged:
            merged[ident][1].append(scope)
        else:
            merged[ident] = (d, [])
            order.append(ident)
    for ident in order:
        d, others = merged[ident]
        if others:
            d = replace(d, message=f"{d.message} (also used by: {', '.join(sorted(others))})")
        yield d
