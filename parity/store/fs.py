"""A local directory of snapshot files: atomic writes (temp file + rename), load, list."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from parity.errors import SnapshotError
from parity.model import Snapshot

from .interface import SnapshotStore


def atomic_write(path: Path, text: str) -> None:
    """Write via a temp file in the same directory and rename: readers never see half a file.
    Missing parent directories are created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes 0600; a report is read by others (node_exporter, a web server), so
        # the file gets the mode a plain open() would give it under the process umask.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FsStore(SnapshotStore):
    """Snapshots as `*.json` files in one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def location(self, name: str) -> str:
        return str(self.directory / name) if name else str(self.directory)

    def put(self, name: str, text: str) -> str:
        path = self.directory / name
        atomic_write(path, text)
        return str(path)

    def get(self, name: str) -> str:
        path = self.directory / name
        try:
            return path.read_text(encoding="utf-8")
        except OSError as e:
            raise SnapshotError(f"cannot read snapshot {path}: {e.strerror}") from e
        except UnicodeDecodeError as e:
            raise SnapshotError(f"{path}: not UTF-8 text (byte {e.start})") from e

    def names(self) -> list[str]:
        if not self.directory.is_dir():
            raise SnapshotError(f"{self.directory} is not a directory of snapshots")
        return sorted(p.name for p in self.directory.glob("*.json") if p.is_file())


def load_snapshot(path: Path) -> Snapshot:
    """Read one snapshot file (see FsStore.load)."""
    path = Path(path)
    return FsStore(path.parent).load(path.name)
