"""Database URLs: the dialect, the connection parts, and a form safe to show.

A DSN reaches parity by reference (`dsn_env = "PROD_DB_URL"`), so the password is never in
parity.toml; it still passes through here, and `shown` is the only form that may be printed:
no password, no query string (libpq accepts `password=` there too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from parity.errors import ConfigError

# URL scheme -> dialect module
DIALECTS: dict[str, str] = {
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


@dataclass(frozen=True)
class Dsn:
    """A parsed database URL. `secrets` lists the strings that must never be shown."""

    url: str = field(repr=False)
    dialect: str
    host: str | None
    port: int | None
    user: str | None
    password: str | None = field(repr=False)
    database: str
    params: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def shown(self) -> str:
        """The DSN as it may appear in output."""
        if self.dialect == "sqlite":
            return f"sqlite:{self.database}"
        user = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"{urlsplit(self.url).scheme}://{user}{self.host or ''}{port}/{self.database}"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Strings to scrub from any library message before it is shown."""
        raw = urlsplit(self.url).password  # as written in the URL, percent-encoded
        out = [s for s in (self.password, raw, self.params.get("password")) if s]
        return (*out, self.url)

    def scrub(self, text: str) -> str:
        """A library message with every secret of this DSN removed."""
        for s in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(s, "***")
        return text


def parse_dsn(url: str, where: str) -> Dsn:
    """Parse a database URL; errors name where it came from, never its text."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as e:
        raise ConfigError(f"{where}: not a valid database URL (bad port or brackets)") from e
    scheme = parts.scheme.split("+", 1)[0].lower()
    if scheme not in DIALECTS:
        known = ", ".join(f"{s}://" for s in DIALECTS)
        raise ConfigError(
            f"{where}: unsupported database URL scheme {scheme + '://' if scheme else '(none)'}",
            hint=f"use one of {known}",
        )
    dialect = DIALECTS[scheme]
    if dialect == "sqlite":
        # sqlite:///relative/path.db and sqlite:////absolute/path.db, as SQLAlchemy writes them
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ConfigError(f"{where}: sqlite URL names no file", hint="sqlite:///path/to/db")
        return Dsn(url, dialect, None, None, None, None, path)
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise ConfigError(f"{where}: database URL names no database", hint="add /dbname")
    return Dsn(
        url=url,
        dialect=dialect,
        host=parts.hostname,
        port=port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        database=database,
        params=dict(parse_qsl(parts.query)),
    )
