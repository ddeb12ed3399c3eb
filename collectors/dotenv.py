"""`.env` files: the most common place a production-only variable hides."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parity.errors import ParseError
from parity.model import Notice

from .interface import Collector, CollectorResult

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "$", "'": "'"}


@dataclass(frozen=True, slots=True)
class DotenvEntry:
    """One assignment as parsed: key, unescaped value and the line it starts on."""

    key: str
    value: str
    line: int


class _Scanner:
    """Position-based scanner: multi-line quoted values need more than line splitting."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.pos = 0
        self.line = 1

    def error(self, message: str, line: int | None = None) -> ParseError:
        return ParseError(self.path, line or self.line, message)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def advance(self) -> str:
        ch = self.text[self.pos]
        self.pos += 1
        if ch == "\n":
            self.line += 1
        return ch

    def skip_blanks(self) -> None:
        while self.peek() in (" ", "\t"):
            self.pos += 1

    def rest_of_line(self) -> str:
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end < 0 else end
        out = self.text[self.pos : end]
        self.pos = end
        return out

    def end_of_line(self) -> None:
        """After a value: only blanks and a comment may follow."""
        self.skip_blanks()
        ch = self.peek()
        if ch == "#":
            self.rest_of_line()
        elif ch not in ("", "\n", "\r"):
            raise self.error("unexpected characters after the value (quote the whole value?)")
        if self.peek() == "\r":
            self.pos += 1
        if self.peek() == "\n":
            self.advance()

    def quoted(self, quote: str) -> str:
        start_line = self.line
        self.pos += 1
        out: list[str] = []
        while True:
            ch = self.peek()
            if ch == "":
                raise self.error(f"unterminated {quote} quoted value", start_line)
            self.advance()
            if ch == quote:
                return "".join(out)
            if ch == "\\" and quote == '"':
                nxt = self.peek()
                if nxt == "":
                    raise self.error('unterminated " quoted value', start_line)
                self.advance()
                out.append(_ESCAPES.get(nxt, "\\" + nxt))
            else:
                out.append(ch)

    def unquoted(self) -> str:
        raw = self.rest_of_line()
        # An inline comment needs whitespace before '#', so `a#b` stays a value.
        m = re.search(r"\s#", raw)
        if m:
            raw = raw[: m.start()]
        return raw.strip()


def parse_dotenv(text: str, path: str) -> list[DotenvEntry]:
    """Parse .env text; raise ParseError with file:line on anything ambiguous."""
    s = _Scanner(text.lstrip("\ufeff"), path)
    entries: list[DotenvEntry] = []
    while s.peek() != "":
        s.skip_blanks()
        ch = s.peek()
        if ch in ("\n", "\r"):
            s.end_of_line()
            continue
        if ch == "#":
            s.rest_of_line()
            s.end_of_line()
            continue
        if ch == "":
            break
        line = s.line
        m = _KEY.match(s.text, s.pos)
        if not m:
            raise s.error("expected KEY=VALUE (a key starts with a letter or underscore)")
        key = m.group(0)
        s.pos = m.end()
        if key == "export" and s.peek() in (" ", "\t"):
            s.skip_blanks()
            m = _KEY.match(s.text, s.pos)
            if not m:
                raise s.error("expected a key after 'export'")
            key = m.group(0)
            s.pos = m.end()
        s.skip_blanks()
        if s.peek() != "=":
            raise s.error(f"expected '=' after key {key}")
        s.pos += 1
        s.skip_blanks()
        ch = s.peek()
        if ch in ("'", '"'):
            value = s.quoted(ch)
            s.end_of_line()
        else:
            value = s.unquoted()
            s.end_of_line()
        entries.append(DotenvEntry(key, value, line))
    return entries


class DotenvCollector(Collector):
    """Reads a .env file; every key is an environment variable."""

    type_name = "dotenv"
    summary = ".env file (export, quotes, escapes, multi-line values)"

    def collect(self) -> CollectorResult:
        path = self.ctx.resolve(self.options.path)  # type: ignore[attr-defined]
        shown = self.ctx.display(path)
        entries = parse_dotenv(self.ctx.read_text(path, self.type_name), shown)
        return transform(entries, shown, self.scope, self.ctx)


def transform(entries: list[DotenvEntry], shown: str, scope: str, ctx) -> CollectorResult:  # noqa: ANN001
    """Entries to records: last assignment wins (as in shells and Compose); repeats are noticed."""
    result = CollectorResult()
    seen: dict[str, int] = {}
    for e in entries:
        if e.key in seen:
            result.notices.append(
                Notice(
                    code="duplicate-key",
                    subject=e.key,
                    source=f"{shown}:{e.line}",
                    message=f"{e.key} is assigned twice ({shown}:{seen[e.key]} and line "
                    f"{e.line}); the last one wins",
                )
            )
        seen[e.key] = e.line
    last = {e.key: e for e in entries}
    for e in last.values():
        result.records.append(
            ctx.config_entry(scope, e.key, e.value, f"{shown}:{e.line}", env_var=True)
        )
    return result
