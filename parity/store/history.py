"""Snapshot history: every run's snapshots, immutable and content-addressed, plus audit reports.

Layout under the store root (a directory or an S3 prefix):

    snapshots/<env>/<stamp>-<digest>.json   the canonical snapshot text
    index/<env>/<stamp>-<digest>.json       a small entry: time, version, records, sha256
    audits/<stamp>-<digest>.json            the JSON report of each `parity audit`

Each run adds its own objects (no shared index file to read-modify-write), so concurrent writers
never lose each other's entries; the index entry's sha256 detects a corrupted or truncated
object before it is parsed. Versions of parity that wrote older snapshots are read through the
codec's upgraders.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

from parity.errors import ConfigError, SnapshotError
from parity.model import Snapshot

from .codec import snapshot_from_text, snapshot_to_json
from .objects import ObjectStore

_SPEC = re.compile(r"^(?P<env>[^@]+)@(?P<when>latest(?:~(?P<back>\d+))?|\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Entry:
    """One stored snapshot, as the index describes it."""

    environment: str
    collected_at: datetime
    parity_version: str
    records: int
    complete: bool
    sha256: str
    key: str
    index_key: str

    def as_json(self) -> str:
        return json.dumps(
            {
                "environment": self.environment,
                "collected_at": self.collected_at.isoformat(),
                "parity_version": self.parity_version,
                "records": self.records,
                "complete": self.complete,
                "sha256": self.sha256,
                "key": self.key,
            },
            sort_keys=True,
        )


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _env_dir(env: str) -> str:
    return quote(env, safe="")


class History:
    """The history of snapshots and audits in one object store."""

    def __init__(self, objects: ObjectStore) -> None:
        self.objects = objects

    # snapshots ------------------------------------------------------------------------------

    def save(self, snapshot: Snapshot) -> Entry:
        """Store a snapshot (object first, then its index entry: a reader never sees an entry
        whose object is missing). Names start with the collection time and, within one
        second, the storing time, so history orders even runs a moment apart."""
        text = snapshot_to_json(snapshot).encode("utf-8")
        digest = hashlib.sha256(text).hexdigest()
        stored = datetime.now(UTC).strftime("%H%M%S%f")
        name = f"{_stamp(snapshot.collected_at)}-{stored}-{digest[:16]}.json"
        env = _env_dir(snapshot.environment)
        entry = Entry(
            environment=snapshot.environment,
            collected_at=snapshot.collected_at,
            parity_version=snapshot.parity_version,
            records=len(snapshot.records),
            complete=snapshot.complete,
            sha256=digest,
            key=f"snapshots/{env}/{name}",
            index_key=f"index/{env}/{name}",
        )
        self.objects.create(entry.key, text)
        self.objects.create(entry.index_key, entry.as_json().encode("utf-8"))
        return entry

    def environments(self) -> list[str]:
        """Environments with at least one stored snapshot."""
        from urllib.parse import unquote

        return sorted({unquote(k.split("/")[1]) for k in self.objects.keys("index/")})

    def entries(self, env: str) -> list[Entry]:
        """An environment's stored snapshots, oldest first."""
        out = []
        for key in self.objects.keys(f"index/{_env_dir(env)}/"):
            raw = self.objects.read(key)
            try:
                d = json.loads(raw)
                out.append(
                    Entry(
                        environment=d["environment"],
                        collected_at=datetime.fromisoformat(d["collected_at"]),
                        parity_version=d["parity_version"],
                        records=int(d["records"]),
                        complete=bool(d["complete"]),
                        sha256=d["sha256"],
                        key=d["key"],
                        index_key=key,
                    )
                )
            except (ValueError, KeyError, TypeError) as e:
                raise SnapshotError(
                    f"{self.objects.url}/{key}: corrupted index entry",
                    hint="delete it; the snapshot object it described stays readable",
                ) from e
        return sorted(out, key=lambda e: (e.collected_at, e.index_key))

    def load(self, entry: Entry) -> Snapshot:
        """A stored snapshot, verified against its checksum before it is parsed."""
        data = self.objects.read(entry.key)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise SnapshotError(
                f"{self.objects.url}/{entry.key}: checksum mismatch ({len(data)} bytes): "
                "the object is corrupted or truncated",
                hint="restore it from backup or delete it and its index entry",
            )
        return snapshot_from_text(data.decode("utf-8"), f"{self.objects.url}/{entry.key}")

    def resolve(self, spec: str) -> Snapshot:
        """`production@latest`, `production@latest~1` (one before), `production@2026-11-20`
        (the last snapshot of that day, UTC)."""
        m = _SPEC.match(spec)
        if not m:
            raise ConfigError(
                f"{spec!r} is not a stored-snapshot reference",
                hint="ENV@latest, ENV@latest~N or ENV@YYYY-MM-DD",
            )
        env, when = m.group("env"), m.group("when")
        entries = self.entries(env)
        if not entries:
            raise SnapshotError(f"no stored snapshot of {env!r} in {self.objects.url}")
        if when.startswith("latest"):
            back = int(m.group("back") or 0)
            if back >= len(entries):
                raise SnapshotError(
                    f"{spec}: only {len(entries)} snapshot(s) of {env!r} are stored"
                )
            return self.load(entries[-1 - back])
        day = date.fromisoformat(when)
        found = [e for e in entries if e.collected_at.astimezone(UTC).date() <= day]
        if not found:
            raise SnapshotError(f"{spec}: no snapshot of {env!r} on or before {day}")
        return self.load(found[-1])

    def latest(self, env: str) -> Snapshot | None:
        entries = self.entries(env)
        return self.load(entries[-1]) if entries else None

    def prune(
        self,
        keep: int | None,
        keep_days: int | None,
        now: datetime,
        *,
        dry_run: bool = False,
        only: str | None = None,
    ) -> list[Entry]:
        """Delete snapshots beyond the newest `keep` or older than `keep_days` (of one
        environment with `only`); the latest snapshot of every environment is always kept.
        Returns what was (with `dry_run`: would be) deleted."""
        deleted: list[Entry] = []
        if not dry_run:
            self.objects.sweep((now - timedelta(hours=1)).timestamp())  # killed audits' temps
        for env in self.environments():
            if only is not None and env != only:
                continue
            entries = self.entries(env)
            older = entries[:-1]  # never the latest
            doomed = set()
            if keep is not None:
                doomed |= {e.key for e in entries[: max(len(entries) - keep, 0)]}
            if keep_days is not None:
                cutoff = now - timedelta(days=keep_days)
                doomed |= {e.key for e in older if e.collected_at < cutoff}
            for e in older:
                if e.key in doomed:
                    if not dry_run:
                        self.objects.delete(e.index_key)  # index first: no dangling entry
                        self.objects.delete(e.key)
                    deleted.append(e)
        return deleted

    # audits ---------------------------------------------------------------------------------

    def save_audit(self, report_json: str, when: datetime) -> str:
        data = report_json.encode("utf-8")
        stored = datetime.now(UTC).strftime("%H%M%S%f")  # orders audits a moment apart
        key = f"audits/{_stamp(when)}-{stored}-{hashlib.sha256(data).hexdigest()[:16]}.json"
        self.objects.create(key, data)
        return key

    def audits(self) -> list[str]:
        return self.objects.keys("audits/")

    def trend(self, limit: int = 30) -> tuple[tuple[str, str, float], ...]:
        """(time, environment, score) of the latest `limit` stored audits, for the HTML
        drift chart; an unreadable audit is skipped (the chart is a view, not a verdict)."""
        out: list[tuple[str, str, float]] = []
        for key in self.audits()[-limit:]:
            try:
                doc = json.loads(self.read_audit(key))
                when = str(doc["generated_at"])
                out += [(when, p["environment"], float(p["score"])) for p in doc["score"]["pairs"]]
            except (SnapshotError, ValueError, KeyError, TypeError):
                continue
        return tuple(out)

    def read_audit(self, key: str) -> str:
        data = self.objects.read(key)
        digest = key.rsplit("-", 1)[-1].removesuffix(".json")
        if hashlib.sha256(data).hexdigest()[:16] != digest:
            raise SnapshotError(f"{self.objects.url}/{key}: checksum mismatch (corrupted)")
        return data.decode("utf-8")
