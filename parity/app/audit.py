"""The nightly audit's logic: new / persisting / resolved against the previous audit, and the
webhook that says so only when something is new.

Finding ids are stable (rule + environment + subject), so "new" means a difference that was not
there last night, not a reworded message. A finding that vanished because its environment could
not be read this time is not "resolved": only completely collected environments resolve.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from parity.model.findings import AuditInfo, Report


def mark(report: Report, previous: Report | None) -> Report:
    """The report with each unwaived finding marked new or persisting, and what resolved."""
    before = {f.id for f in previous.findings if not f.waived} if previous else set()
    findings = [
        f
        if f.waived
        else f.model_copy(update={"status": "persisting" if f.id in before else "new"})
        for f in report.findings
    ]
    now = {f.id for f in report.findings}
    complete = set(report.environments) - {e.environment for e in report.errors}
    resolved = [  # as they were, not as the previous audit marked them
        f.model_copy(update={"status": None})
        for f in (previous.findings if previous else [])
        if not f.waived and f.id not in now and f.environment in complete
    ]
    info = AuditInfo(
        previous_at=previous.generated_at if previous else None,
        new=sum(f.status == "new" for f in findings),
        persisting=sum(f.status == "persisting" for f in findings),
        resolved=resolved,
    )
    return report.model_copy(update={"findings": findings, "audit": info})


def _slack(report: Report, limit: int = 20) -> dict[str, object]:
    new = [f for f in report.findings if f.status == "new"]
    lines = [f"• [{f.severity.value}] {f.environment}: {f.message}" for f in new[:limit]]
    if len(new) > limit:
        lines.append(f"… and {len(new) - limit} more (see the stored report)")
    resolved = len(report.audit.resolved) if report.audit else 0
    head = (
        f"parity audit vs {report.reference}: {len(new)} new finding"
        f"{'s' if len(new) != 1 else ''}, {resolved} resolved, score {report.score.overall:g}"
    )
    return {"text": "\n".join([head, *lines])}


def _generic(report: Report) -> dict[str, object]:
    return {
        "event": "parity.app.audit",
        "reference": report.reference,
        "generated_at": report.generated_at.isoformat(),
        "complete": report.complete,
        "score": report.score.overall,
        "new": [
            f.model_dump(
                mode="json", include={"id", "rule", "severity", "environment", "subject", "message"}
            )
            for f in report.findings
            if f.status == "new"
        ],
        "resolved": [f.id for f in (report.audit.resolved if report.audit else [])],
    }


PAYLOADS = {"slack": _slack, "json": _generic}


def webhook_url(value: str) -> str:
    """A webhook must be an http(s) URL with a host: `file:///etc/passwd` or `::::` is a
    usage error (never echoed: the URL may carry a token)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError as e:
        raise ValueError("expected an http(s) URL (it is not a URL)") from e
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("expected an http(s) URL (other schemes are refused)")
    if not host:
        raise ValueError("expected an http(s) URL with a host")
    return value.strip()


def notify(
    url: str,
    report: Report,
    fmt: str = "json",
    *,
    timeout: float = 5.0,
    attempts: int = 3,
    backoff: float = 0.5,
) -> str | None:
    """POST the payload when something is new; returns None on success (or nothing to say),
    else what went wrong. The URL is a secret (Slack hooks carry their token in the path), so
    messages name only its host."""
    if not any(f.status == "new" for f in report.findings):
        return None
    body = json.dumps(PAYLOADS[fmt](report)).encode("utf-8")
    host = urlsplit(url).hostname or "the webhook"
    problem = "no attempt made"
    for attempt in range(attempts):
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if 200 <= response.status < 300:
                    return None
                problem = f"HTTP {response.status}"
        except urllib.error.HTTPError as e:
            problem = f"HTTP {e.code}"
            if 400 <= e.code < 500 and e.code != 429:
                break  # the request is wrong; retrying will not help
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", e)
            problem = f"{type(reason).__name__}"
        if attempt + 1 < attempts:
            time.sleep(backoff * 2**attempt)
    return f"notification to {host} failed after {attempt + 1} attempt(s): {problem}"
