"""Values compared by meaning rather than by spelling.

Why: `1` and `1.0`, `False` and `false`, `redis://h` and `redis://h:6379/` are the same setting;
reporting them as drift teaches people to ignore the report. And an endpoint's *host* is each
environment's own (staging's API is not production's), so endpoints are compared by shape:
scheme, loopback-or-not, port, path and query keys — what the code would do differently.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

_BOOLS = {
    "true": "true",
    "false": "false",
    "yes": "true",
    "no": "false",
    "on": "true",
    "off": "false",
}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
DEFAULT_PORTS = {
    "http": 80,
    "https": 443,
    "ws": 80,
    "wss": 443,
    "ftp": 21,
    "ssh": 22,
    "redis": 6379,
    "rediss": 6379,
    "postgres": 5432,
    "postgresql": 5432,
    "mysql": 3306,
    "mongodb": 27017,
    "amqp": 5672,
    "amqps": 5671,
    "nats": 4222,
    "mqtt": 1883,
    "memcached": 11211,
}
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?(?::\d+)?$"
)
_MAILBOX = re.compile(r"^[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$")
_LOOPBACK = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
# Key words that make a value an identifier of the environment's own data or account.
_IDENTITY_WORDS = {"id", "ids", "uuid", "guid", "account", "project", "subscription", "tenant"}


def canonical_scalar(value: str) -> str:
    """Spelling-independent form of a scalar: booleans, numbers, URLs."""
    v = value.strip()
    if v.startswith("/#/"):  # a hash-routed SPA route is the route
        v = v[2:]
    low = v.lower()
    if low in _BOOLS:
        return _BOOLS[low]
    if _NUMBER.match(v):
        try:
            d = Decimal(v)
        except InvalidOperation:
            return v
        return format(d.normalize(), "f") if d == d.to_integral_value() else str(d.normalize())
    if "://" in v and _URL.match(v):
        return _canonical_url(v)
    return v


def _canonical_url(v: str) -> str:
    try:
        u = urlsplit(v)
        port = u.port
    except ValueError:
        return v
    scheme = u.scheme.lower()
    host = (u.hostname or "").lower()
    netloc = host
    if u.username:
        netloc = f"{u.username}{':' + u.password if u.password else ''}@{host}"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = u.path.rstrip("/")
    out = f"{scheme}://{netloc}{path}"
    if u.query:
        out += f"?{u.query}"
    if u.fragment:
        out += f"#{u.fragment}"
    return out


def url_host(value: str) -> str | None:
    """The host a URL names, JDBC's `jdbc:postgresql://h:5432/db` included; None if none."""
    v = value.strip()
    if v.lower().startswith("jdbc:"):
        v = v[5:]
    try:
        return urlsplit(v).hostname
    except ValueError:
        return None


def endpoint_shape(value: str) -> str | None:
    """What an endpoint value does regardless of whose host it names, or None if the value is
    not an endpoint. A hash-routed SPA path (`/#/reset`) is the route `/reset`."""
    v = value.strip()
    if _URL.match(v):
        try:
            u = urlsplit(v)
            port = u.port
        except ValueError:
            return None
        scheme = u.scheme.lower()
        host = (u.hostname or "").lower()
        if not host:
            return None
        where = "loopback" if host in _LOOPBACK else "host"
        port_part = "" if port in (None, DEFAULT_PORTS.get(scheme)) else f":{port}"
        route = u.path + (u.fragment if u.fragment.startswith("/") else "")
        route = re.sub(r"/+", "/", route).rstrip("/")
        query = ",".join(sorted(k.split("=", 1)[0] for k in u.query.split("&") if k))
        return f"{scheme}://<{where}>{port_part}{route}?{query}"
    if _HOSTNAME.match(v) and not _NUMBER.match(v):
        name, _, host_port = v.partition(":")
        where = "loopback" if name.lower() in _LOOPBACK else "host"
        return f"<{where}>" + (f":{host_port}" if host_port else "")
    if _MAILBOX.match(v):
        return "<mailbox>"  # an address: each environment's own mailbox, like its hosts
    return None


def endpoint_set(value: str) -> frozenset[str] | None:
    """Shapes of a value that lists endpoints (comma/space separated), or None."""
    parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
    if not parts:
        return None
    shapes = [endpoint_shape(p) for p in parts]
    if any(s is None for s in shapes):
        return None
    return frozenset(s for s in shapes if s is not None)


_ENV_ITEM = re.compile(r"\[name=([^\]]+)\]\.value$")


def effective_key(key: str) -> str:
    """The name a value is read under: an env-list entry (`extraEnv[name=DB_PASSWORD].value`,
    Helm values and k8s `env` lists alike) is its variable, like a `.env` line."""
    m = _ENV_ITEM.search(key)
    return m.group(1) if m else key


_ID_ITEM = re.compile(r"^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def ids_only(value: str) -> bool:
    """A value that lists only UUIDs (`["3f2a…", "9b1c…"]`, `a,b,c`): ids of an environment's
    own records, which differ per environment by nature."""
    items = [x for x in re.split(r'[\s,;\[\]"\']+', value) if x]
    return bool(items) and all(_ID_ITEM.match(x) for x in items)


def is_identity_key(key: str) -> bool:
    """Keys holding identifiers of the environment's own account or data (`PROJECT_ID`,
    `projectName`, `accountIds`): their values differ per environment by nature."""
    leaf = re.split(r"[./]", effective_key(key))[-1]
    words = re.split(r"[_\-\s]+|(?<=[a-z0-9])(?=[A-Z])", leaf)
    return any(w.lower() in _IDENTITY_WORDS for w in words if w)


UNRESOLVED = "<unresolved={}>"


def is_unresolved(value: str | None) -> bool:
    """Whether a value still carries an unresolved-variable marker (compose interpolation)."""
    return bool(value) and "<unresolved=" in str(value)


_PLACEHOLDER = re.compile(
    r"^(?:change[-_ ]?me(?:[-_ ]in[-_ ][\w-]+)?|change[-_ ]?this|"
    r"please[-_ ]?change(?:[-_ ]?me)?|todo|tbd|fixme|"
    r"x{3,}|replace[-_ ]?me(?:[-_ ](?:in|with|for)[-_ ][\w-]+)?|replace[-_ ]?this|"
    r"your[-_ ][\w -]+|your[-_]?(?:api[-_]?)?"
    r"(?:key|token|secret|password)|dummy|placeholder|<[^<>]+>|\*{3,}|set[-_ ]?me|"
    r"insert[-_ ][\w -]+|enter[-_ ][\w -]+)$",
    re.IGNORECASE,
)
_RESERVED_HOST = re.compile(r"(^|\.)example\.(com|org|net)$", re.I)


# Substrings every placeholder contains one of (a C-speed prefilter before the regex).
PLACEHOLDER_HINTS = (
    "change",
    "todo",
    "tbd",
    "fixme",
    "xxx",
    "replace",
    "your",
    "dummy",
    "placeholder",
    "<",
    "***",
    "example.",
    "set",
    "insert",
    "enter",
)


def is_placeholder(value: str | None) -> bool:
    """An obvious placeholder (`changeme`, `<your-key>`, `REPLACE_ME`, an example.com host):
    never a real setting, and never secret material either."""
    if not value or is_unresolved(value):
        return False
    v = value.strip()
    if _PLACEHOLDER.match(v):
        return True
    host = v.rsplit("@", 1)[-1] if "@" in v and "://" not in v else v  # e-mail addresses
    if "://" in v:
        try:
            host = urlsplit(v).hostname or ""
        except ValueError:
            return False
    return bool(_RESERVED_HOST.search(host.strip(".")))


def short(text: str, limit: int = 40) -> str:
    """Abbreviate digests and long values so a table cell stays readable."""
    text = re.sub(r"(sha256:[0-9a-f]{12})[0-9a-f]{52}", r"\1…", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def contrast(a: str, b: str, limit: int = 40) -> tuple[str, str]:
    """Shorten two long values around where they first differ, so the difference shows."""
    if len(a) <= limit and len(b) <= limit:
        return a, b
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    start = max(0, i - 10)
    lead = "…" if start else ""
    return lead + short(a[start:], limit), lead + short(b[start:], limit)
