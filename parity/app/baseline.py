"""Baselines: today's findings written as waivers a team commits, so a gate introduced on an
old project fails only on what is new.

Versioned YAML (`version: 1`); each entry is a waiver for one finding (rule, environment and
subject matched exactly, its id kept for people and tools) with a reason to fill in and an
expiry, so a baseline cannot silently become permanent.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from parity.errors import ConfigError
from parity.model.findings import Report
from parity.model.rules import Waiver

BASELINE_VERSION = 1
_GLOB = str.maketrans({"[": "[[]", "*": "[*]", "?": "[?]"})


def render_baseline(report: Report, today: date, days: int = 90) -> str:
    """The unwaived findings of a report as a baseline file."""
    import yaml

    expires = today + timedelta(days=days)
    entries = [
        {
            "id": f.id,
            "rule": f.rule,
            "environment": f.environment,
            "subject": f.subject,
            "reason": f"baseline {today.isoformat()}: TODO say why this is accepted",
            "expires": expires.isoformat(),
        }
        for f in sorted(report.findings, key=lambda f: (f.environment, f.rule, f.subject))
        if not f.waived
    ]
    head = (
        f"# parity baseline of {today.isoformat()} (reference: {report.reference}).\n"
        "# Each entry waives one finding until it expires. Replace each TODO with the reason,\n"
        "# or fix the drift and delete the entry (parity reports entries that match nothing).\n"
    )
    body = yaml.safe_dump(
        {"version": BASELINE_VERSION, "waivers": entries}, sort_keys=False, allow_unicode=True
    )
    return head + body


_UPGRADERS: dict[int, Any] = {}  # version -> function upgrading a document to version + 1


def load_baseline(path: Path, max_bytes: int = 50 * 1024 * 1024) -> list[Waiver]:
    """A baseline file's waivers (subjects matched literally, never as globs)."""
    from parity.inputs.files import read_input
    from parity.inputs.yamlio import load_yaml_documents

    text = read_input(path, "baseline", max_bytes=max_bytes)
    docs = load_yaml_documents(text, str(path))
    doc = docs[0] if docs else None
    if not isinstance(doc, dict) or "version" not in doc:
        raise ConfigError(f"{path}: not a parity baseline (expected `version:` and `waivers:`)")
    version = doc["version"]
    while isinstance(version, int) and version in _UPGRADERS:
        doc = _UPGRADERS[version](doc)
        version = doc["version"]
    if version != BASELINE_VERSION:
        raise ConfigError(
            f"{path}: baseline version {version!r} is not supported",
            hint=f"this parity reads version {BASELINE_VERSION}; upgrade parity",
        )
    out = []
    for i, w in enumerate(doc.get("waivers") or []):
        try:
            out.append(
                Waiver(
                    rule=w["rule"],
                    environment=str(w["environment"]).translate(_GLOB),
                    subject=str(w["subject"]).translate(_GLOB),
                    reason=w["reason"],
                    expires=w["expires"],
                )
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"{path}: waivers[{i}] is incomplete or invalid ({e})") from e
    return out
