"""parity's own inputs (parity.toml, a policy, a baseline, a saved report or snapshot, the key
file) read with the guarantees collected sources get: they are hostile input too.

A FIFO, a device or a socket is refused at once (opened non-blocking, never read: `/dev/zero`
as a policy used to grow to 22 GB, a FIFO to hang), a file over the size limit fails before it
is read, binary and non-UTF-8 content is named with its line, and a UTF-8 byte-order mark is
accepted as the tools that write these files do.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from parity.errors import ConfigError, ParityError

MAX_INPUT_BYTES = 50 * 1024 * 1024  # parity.toml's max_file_mb default, before it is read


def read_input_bytes(
    path: Path | str,
    what: str,
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    error: type[ParityError] = ConfigError,
) -> bytes:
    """The bytes of one of parity's own inputs (a config, a snapshot, a stored object): a
    regular file within `max_bytes`, never a FIFO or device that would block or never end;
    every problem is `error`."""
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as e:
        raise error(f"{what} {shown} does not exist") from e
    except IsADirectoryError as e:
        raise error(f"{what} {shown} is a directory, expected a file") from e
    except OSError as e:
        raise error(f"cannot read {what} {shown}: {e.strerror}") from e
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{what} {shown} is a directory, expected a file")
        if not stat.S_ISREG(st.st_mode):
            raise error(
                f"{what} {shown} is not a regular file (a FIFO, a device or a socket)",
                hint="parity reads its inputs from regular files only",
            )
        if st.st_size > max_bytes:
            raise error(
                f"{what} {shown} is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit",
                hint="raise max_file_mb in parity.toml if it is really that large",
            )
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise error(f"cannot read {what} {shown}: {e.strerror}") from e
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:  # grew while being read
        raise error(f"{what} {shown} is over the {max_bytes:,}-byte limit")
    return data


def read_input(
    path: Path | str,
    what: str,
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    error: type[ParityError] = ConfigError,
) -> str:
    """The text of one of parity's own input files; every problem is `error` (exit 2)."""
    shown = str(path)
    data = read_input_bytes(path, what, max_bytes=max_bytes, error=error)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise error(f"{what} {shown}:{line} is binary, not a text file")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark is accepted, as its writers do
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise error(f"{what} {shown}:{line} is not UTF-8 text (byte {e.start})") from e
