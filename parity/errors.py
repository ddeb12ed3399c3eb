"""Exception types, each carrying its documented exit code, so one handler maps them all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parity.exitcodes import ExitCode

if TYPE_CHECKING:
    from pydantic import ValidationError


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


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def format_validation_error(where: str, err: ValidationError) -> str:
    """One line per problem, naming the file and dotted key: users fix configs from this."""
    lines = []
    for e in err.errors():
        key = _loc(e["loc"])
        msg = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
        lines.append(f"{where}: {key}: {msg}" if key else f"{where}: {msg}")
    return "\n".join(lines)
