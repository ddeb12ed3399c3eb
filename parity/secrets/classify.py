"""The one secret classifier: for a key and a value, what is secret and what may be shown.

Used by every collector (through SecretGuard), by the rules and by every error path. Modelled
on detect-secrets and gitleaks: a *keyword* signal on the key's own name (its leaf, split into
words: `secretName` is a name, `users[name=a].pass` is a password), *known token shapes* and
*high entropy* on the value, and *false-positive filters* (booleans, small numbers, file names,
paths, flags with numeric values, UUID lists, versions, dates, public Sentry DSNs).

Where only part of a value is secret — a URL's password or token user, a query parameter, a
`password=` in a connection string, a `--token` flag, a bearer token, a field of a JSON value,
a line of a properties file — only that part is redacted, so the rest stays comparable.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from parity.align.values import is_placeholder
from parity.secrets.keys import _describes_content, _secret_store_name, is_secret_key
from parity.secrets.shapes import (
    _BEARER,
    _FLAG_NAME,
    _FLAG_SECRET,
    _JVM_PROPERTY,
    _KV_SECRET,
    _MYSQL_P,
    _PEM,
    _PLACEHOLDER,
    _PREFIXES,
    _PROPS_LINE,
    _PUBLIC_BLOCK,
    _QUERY_SECRET,
    _SHELL_ASSIGN,
    _SIMPLE,
    _TOKEN,
    _URL_CRED,
    _WEBHOOK,
)
from parity.secrets.values import (
    _harmless,
    _public_dsn,
    is_public_key_material,
    is_secret_value,
)

REDACTED = "***"
SECRET_SHOWN = "<secret: redacted>"  # how a withheld value reads in a finding
_FALLBACK = re.compile(r"^\$\{(?P<var>[\w.-]+):(?P<fallback>[^{}]+)\}$")


class Verdict(NamedTuple):
    """What may be stored (`value`, None when wholly secret) and the secret parts found."""

    value: str | None
    secrets: tuple[str, ...]


def _redact(pattern: re.Pattern[str], text: str, found: list[str]) -> str:
    def sub(m: re.Match[str]) -> str:
        v = m.group("v").strip("'\"")
        if not v or v == REDACTED or (_harmless(v) and not is_secret_value(v)):
            return m.group(0)
        found.append(v)
        return m.group("k") + REDACTED

    return pattern.sub(sub, text)


def _url_userinfo(text: str, found: list[str]) -> str:
    def sub(m: re.Match[str]) -> str:
        user, sep, password = m.group("userinfo").partition(":")
        if sep and user and (_TOKEN.match(user) or (len(user) >= 16 and is_secret_value(user))):
            found.append(m.group("userinfo"))  # `TOKEN:x-oauth-basic@`: the token is the secret
            return f"{m.group('scheme')}{REDACTED}@"
        # `${DB_PASSWORD}` / `<unresolved=DB_PASSWORD>` names a secret set elsewhere: equal
        # references in two environments are not a shared credential.
        if (
            sep
            and password
            and password != REDACTED
            and not _PLACEHOLDER.match(password)
            and not is_placeholder(password)
        ):
            found.append(password)
            return f"{m.group('scheme')}{user}:{REDACTED}@"
        if not sep and ((len(user) >= 16 and is_secret_value(user)) or _TOKEN.match(user)):
            found.append(user)
            return f"{m.group('scheme')}{REDACTED}@"
        return m.group(0)

    return _URL_CRED.sub(sub, text)


def _json_value(key: str, value: str, found: list[str]) -> str | None:
    """A JSON object/array value: secret fields redacted, re-serialized; None if not JSON."""
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, str) and data[:1] in ("{", "["):  # JSON encoded twice
        inner = _json_value(key, data, found)
        return None if inner is None else json.dumps(inner)
    if not isinstance(data, dict | list):
        return None

    def walk(k: str, x: object) -> object:
        if isinstance(x, dict):
            return {ck: walk(f"{k}.{ck}" if k else str(ck), cv) for ck, cv in x.items()}
        if isinstance(x, list):
            out = [walk(k, i) for i in x]
            for i in range(len(x) - 1):  # `["--api-key", "X"]`: the flag's argument
                arg = x[i + 1]
                flag = x[i]
                if (
                    isinstance(flag, str)
                    and isinstance(arg, str)
                    and _FLAG_NAME.match(flag)
                    and arg
                    and not _harmless(arg)
                    and out[i + 1] != REDACTED
                ):
                    found.append(arg)
                    out[i + 1] = REDACTED
            return out
        if isinstance(x, str):
            verdict = classify(k, x)
            found.extend(verdict.secrets)
            return REDACTED if verdict.value is None else verdict.value
        return x

    return json.dumps(walk(key, data), separators=(",", ":"), sort_keys=True)


_MAX_DOCUMENT = 1_000_000  # a file held in one value: parsed up to this size


def _yaml_document(text: str, found: list[str]) -> str:
    """A whole YAML file held in one value (`application.yml: |` in a ConfigMap): each leaf
    classified by its own path, as if it were a key of its own, and the secret ones redacted
    in place so the rest of the document stays as written (and comparable)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(text, Loader=loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return text
    if not isinstance(doc, dict):
        return text
    secrets: list[str] = []

    def walk(path: str, node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(f"{path}.{k}" if path else str(k), v)
        elif isinstance(node, list):
            for item in node:
                walk(path, item)
        elif isinstance(node, str | int | float) and not isinstance(node, bool):
            verdict = classify(path, str(node))
            secrets.extend(s for s in verdict.secrets if len(s) >= 4)

    walk("", doc)
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret in text:
            found.append(secret)
            text = text.replace(secret, REDACTED)
    return text


def scan(value: str, key: str = "", *, entropy: bool = True) -> Verdict:
    """Find secret parts inside a value that is not secret as a whole."""
    found: list[str] = []
    text = value
    if "-----BEGIN" in text and _PUBLIC_BLOCK.search(text):
        text = _PUBLIC_BLOCK.sub(lambda m: "<public block>", text)
        if not text.replace("<public block>", "").strip():
            return Verdict(value, ())
    if "-----BEGIN" in text:

        def pem(m: re.Match[str]) -> str:
            found.append(m.group(0))
            return REDACTED

        text = _PEM.sub(pem, text)
    if "@" in text and "://" in text and not _public_dsn(text):
        text = _url_userinfo(text, found)
    if "=" in text:
        text = _redact(_QUERY_SECRET, text, found)
        text = _redact(_KV_SECRET, text, found)
        text = _redact(_SHELL_ASSIGN, text, found)
        if "\n" in text:
            text = _redact(_PROPS_LINE, text, found)
    if "-" in text:
        text = _redact(_FLAG_SECRET, text, found)
        if "-D" in text:
            text = _redact(_JVM_PROPERTY, text, found)
        if "mysql" in text:
            text = _redact(_MYSQL_P, text, found)
    if " " in text:
        text = _redact(_BEARER, text, found)
    if text[:1] in "{[" or text[:2] == '"{':
        redacted = _json_value(key, text, found)
        if redacted is not None and found:
            text = redacted
    elif "\n" in text and ":" in text and len(text) <= _MAX_DOCUMENT:
        text = _yaml_document(text, found)
    if not found and entropy:
        words = re.split(r"[\s,;]+", text)
        if len(words) > 1:
            for w in words:
                if w and w != REDACTED and is_secret_value(w.strip("'\"")):
                    found.append(w)
                    text = text.replace(w, REDACTED)
    return Verdict(text, tuple(found))


def classify(key: str, value: str) -> Verdict:
    """The verdict for one key/value pair: wholly secret (value None), partly (redacted value
    plus the parts), or not at all."""
    if not value:
        return Verdict(value, ())
    if value[:2] == "${" and (ref := _FALLBACK.match(value)) is not None:
        # Spring's `${VAR:fallback}`: a reference, but the fallback is a literal like any other
        inner = classify(key, ref.group("fallback"))
        if inner.secrets:
            return Verdict(f"${{{ref.group('var')}:{REDACTED}}}", inner.secrets)
        return Verdict(value, ())
    secret_key = is_secret_key(key)
    if (
        not secret_key
        and (len(value) < 20 or "." in value or ":" in value)
        and _SIMPLE.match(value)
        and not value.startswith(_PREFIXES)
        and not (value.startswith("https://") and _WEBHOOK.match(value))
    ):
        # hot path (a million values): short, or dotted/colon-separated (hosts, versions,
        # paths) and free of `@ = { [ space`: no token shape, no embedded credential
        return Verdict(value, ())
    if "sentry" in value and _public_dsn(value):
        return Verdict(value, ())
    if value[:4] in ("ssh-", "ecds", "sk-s", "sk-e") and is_public_key_material(value):
        return Verdict(value, ())
    if secret_key:
        if _harmless(value) or _secret_store_name(key, value):
            return Verdict(value, ())
        partial = scan(value, key) if ("://" in value or "=" in value) else None
        if partial is not None and partial.secrets:
            return partial
        return Verdict(None, (value,))
    if len(value) < 8 and not value.startswith(_PREFIXES):
        return Verdict(value, ())
    if _describes_content(key):  # a git SHA, a checksum: high entropy, not secret
        if value.startswith(_PREFIXES) and _TOKEN.match(value):
            return Verdict(None, (value,))
        return Verdict(value, ())
    if is_secret_value(value):
        return Verdict(None, (value,))
    if not any(c in value for c in "@=-{[ \n:"):
        return Verdict(value, ())
    return scan(value, key)


def redact_text(text: str) -> str:
    """Free text (a finding's message, expected/actual, a dependency URL) with credentials
    redacted: URL passwords and tokens, query secrets, `password=`, bearer tokens, flags,
    private-key blocks and known token shapes. Plain high-entropy words (a git SHA image tag,
    a digest) stay: they are what the reader needs to see."""
    if not text:
        return text
    verdict = scan(text, "", entropy=False)
    out = verdict.value or text
    if any(p in out for p in _PREFIXES):
        out = " ".join(
            REDACTED if w.startswith(_PREFIXES) and _TOKEN.match(w.strip("'\",;()")) else w
            for w in out.split(" ")
        )
    return out
