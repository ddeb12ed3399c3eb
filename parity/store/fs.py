"""A local directory of snapshot files: atomic writes (temp file + rename), load, list."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from parity.errors import SnapshotError
from parity.model import Snapshot

from .codec import snapshot_from_text


def write_output(path: Path, text: str) -> None:
    """Write a report where the user asked, never destroying what is there: a symlink is
    followed (the link stays a link), a device or FIFO (`-o /dev/stdout`, `/dev/null`) is
    written through rather than replaced by a regular file (a FIFO with no reader is an
    error, not a hang), and a regular file is replaced atomically."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = 0
    if mode and (stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode)):
        flags = os.O_WRONLY | (os.O_NONBLOCK if stat.S_ISFIFO(mode) else 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
        return
    if mode and stat.S_ISSOCK(mode):
        raise IsADirectoryError(errno.EINVAL, "is a socket, not a file")
    atomic_write(path, text)


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


def load_snapshot(path: Path) -> Snapshot:
    """Read and validate one snapshot file."""
    from parity.inputs.files import read_input

    path = Path(path)
    return snapshot_from_text(read_input(path, "snapshot", error=SnapshotError), str(path))


def load_directory(directory: Path) -> dict[str, Snapshot]:
    """Every `*.json` snapshot directly in a directory (`parity check --snapshots DIR`), keyed
    by environment: the directory is a local object store like the history's, read-only here;
    two snapshots of one environment, or none at all, is an error."""
    from .objects import LocalObjects

    directory = Path(directory)
    if not directory.is_dir():
        raise SnapshotError(f"{directory} is not a directory of snapshots")
    out: dict[str, Snapshot] = {}
    for key in LocalObjects(directory).keys(""):
        if "/" in key or not key.endswith(".json"):
            continue
        snap = load_snapshot(directory / key)
        if snap.environment in out:
            raise SnapshotError(f"{directory / key}: a second snapshot for {snap.environment!r}")
        out[snap.environment] = snap
    if not out:
        raise SnapshotError(f"no snapshots in {directory}")
    return out
