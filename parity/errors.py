"""Exception types and exit codes, so one handler can map every failure to a documented code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes; CI systems key on these numbers."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INCOMPLETE = 3


class ParityError(Exception):
    """Base of every error parity expects; these never print a traceback."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class ConfigError(ParityError):
    """parity.toml, a policy file or a CLI argument is wrong: the user must fix input (exit 2)."""


class ParseError(ParityError):
    """A source file is malformed; carries the file and line so the user can jump to it."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.reason = message


class CollectorError(ParityError):
    """A collector could not read its source; becomes a collector-failed finding (exit 3)."""

    exit_code = ExitCode.INCOMPLETE


class SnapshotError(ParityError):
    """A saved snapshot or report cannot be loaded (corrupt, or written by a newer parity)."""
