"""Object stores for the snapshot history: a local directory or an S3 prefix.

The history only ever *creates* objects under unique names and reads or deletes them, so two
audits writing at once never clobber each other: creation is exclusive (a hard link on disk,
`If-None-Match: *` on S3), and a name holds the content's digest.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from parity.errors import ConfigError, SnapshotError


class ObjectStore(ABC):
    """Immutable named byte objects under one root."""

    url: str

    @abstractmethod
    def create(self, key: str, data: bytes) -> bool:
        """Create `key` unless it exists (then False: same name, same content)."""

    @abstractmethod
    def read(self, key: str) -> bytes:
        """An object's bytes; SnapshotError when missing or unreadable."""

    @abstractmethod
    def keys(self, prefix: str) -> list[str]:
        """Keys under a prefix, sorted."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove an object (missing is fine)."""

    def sweep(self, older_than: float) -> int:
        """Remove leftovers of writes that never finished (a killed audit), older than the
        epoch time `older_than`; how many. Stores that write atomically have none."""
        return 0


class LocalObjects(ObjectStore):
    """A directory; creation is write-temp + fsync + hard link (atomic and exclusive)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.url = str(self.root)

    def create(self, key: str, data: bytes) -> bool:
        path = self.root / key
        made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            return True
        except OSError as e:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
                tmp = None
            for d in made:  # directories this write created, innermost first
                with contextlib.suppress(OSError):
                    d.rmdir()  # only if empty: another writer's object stays
            raise SnapshotError(
                f"cannot store {key} in {self.root}: {e.strerror}",
                hint="free space on that disk (or point --store elsewhere)"
                if e.errno == errno.ENOSPC
                else None,
            ) from e
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def read(self, key: str) -> bytes:
        from parity.inputs.files import read_input_bytes

        # Refuses what is not a regular file; large, since a 1M-key snapshot is hundreds of MB.
        path = self.root / key
        return read_input_bytes(path, "stored object", max_bytes=1 << 32, error=SnapshotError)

    def keys(self, prefix: str) -> list[str]:
        base = self.root / prefix
        if not base.is_dir():
            return []
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in base.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )

    def delete(self, key: str) -> None:
        (self.root / key).unlink(missing_ok=True)

    def sweep(self, older_than: float) -> int:
        removed = 0
        if not self.root.is_dir():
            return 0
        for p in self.root.rglob(".tmp-*"):
            with contextlib.suppress(FileNotFoundError):  # another prune got there first
                if p.is_file() and p.stat().st_mtime < older_than:
                    p.unlink()
                    removed += 1
        return removed


class S3Objects(ObjectStore):
    """`s3://bucket/prefix`; boto3 is imported only when such a store is used."""

    def __init__(self, url: str, endpoint_url: str | None = None) -> None:
        rest = url[len("s3://") :]
        self.bucket, _, prefix = rest.partition("/")
        if not self.bucket:
            raise ConfigError(f"store {url!r} names no bucket", hint="s3://bucket/prefix")
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.url = url
        self.endpoint_url = endpoint_url or os.environ.get("PARITY_S3_ENDPOINT_URL")
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            # an endpoint that accepts connections and never answers fails each call in
            # bounded time (PARITY_S3_TIMEOUT seconds per attempt, one retry), not minutes
            timeout = _timeout()
            self._client = boto3.client(
                "s3",
                endpoint_url=self.endpoint_url,
                config=Config(
                    connect_timeout=timeout,
                    read_timeout=timeout,
                    retries={"mode": "standard", "max_attempts": 2},
                ),
            )
        return self._client

    def _call(self, what: str, key: str, fn: Any, **kwargs: Any) -> Any:
        """One S3 call; every botocore failure (denied, no bucket, no credentials, endpoint
        down) becomes a SnapshotError naming the object and the code, never a traceback."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn(Bucket=self.bucket, **kwargs)
        except ClientError as e:
            code = e.response.get("Error", {}).get("Code") or "error"
            if what == "write" and code in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise _Exists from e
            raise SnapshotError(
                f"cannot {what} {self.url}/{key}: {code}",
                hint="check the bucket name and that the credentials may read and write it",
            ) from e
        except BotoCoreError as e:
            timed_out = "Timeout" in type(e).__name__
            where = self.endpoint_url or "S3"
            raise SnapshotError(
                f"cannot {what} {self.url}/{key}: {type(e).__name__}"
                + (f" ({where} did not answer within {_timeout():g} s)" if timed_out else ""),
                hint="check AWS credentials and the endpoint (PARITY_S3_ENDPOINT_URL)"
                + ("; PARITY_S3_TIMEOUT sets the wait" if timed_out else ""),
            ) from e

    def create(self, key: str, data: bytes) -> bool:
        try:
            self._call(
                "write",
                key,
                self.client.put_object,
                Key=self.prefix + key,
                Body=data,
                IfNoneMatch="*",
            )
        except _Exists:
            return False
        return True

    def read(self, key: str) -> bytes:
        got = self._call("read", key, self.client.get_object, Key=self.prefix + key)
        data: bytes = got["Body"].read()
        return data

    def keys(self, prefix: str) -> list[str]:
        out: list[str] = []
        pages = self.client.get_paginator("list_objects_v2")

        def listing(**kwargs: Any) -> list[dict[str, Any]]:
            return list(pages.paginate(**kwargs))

        for page in self._call("list", prefix, listing, Prefix=self.prefix + prefix):
            out += [o["Key"][len(self.prefix) :] for o in page.get("Contents", [])]
        return sorted(out)

    def delete(self, key: str) -> None:
        self._call("delete", key, self.client.delete_object, Key=self.prefix + key)


def _timeout() -> float:
    raw = os.environ.get("PARITY_S3_TIMEOUT", "10")
    try:
        value = float(raw)
    except ValueError as e:
        raise ConfigError(f"PARITY_S3_TIMEOUT={raw!r} is not a number of seconds") from e
    if not 0 < value <= 600:
        raise ConfigError("PARITY_S3_TIMEOUT must be between 0 and 600 seconds")
    return value


class _Exists(Exception):
    """An exclusive create found the object already there."""


def open_store(url: str, base: Path) -> ObjectStore:
    """A store from `--store`: `s3://bucket/prefix`, else a directory (relative to base)."""
    if url.startswith("s3://"):
        return S3Objects(url)
    if "://" in url:
        raise ConfigError(f"unsupported store {url!r}", hint="a directory or s3://bucket/prefix")
    path = Path(os.path.expanduser(url))
    return LocalObjects(path if path.is_absolute() else base / path)
