"""`.env` files: the most common place a production-only variable hides."""

from __future__ import annotations

import re
from typing import NamedTuple

from parity.errors import ParseError
from parity.model import Notice

from .interface import CollectContext, Collector, CollectorResult, FileOptions

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "$", "'": "'"}


class DotenvEntry(NamedTuple):
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

    def next_entry(self) -> DotenvEntry | None:
        """Consume one line (or one multi-line assignment); None for blanks and comments."""
        self.skip_blanks()
        ch = self.peek()
        if ch in ("\n", "\r"):
            self.end_of_line()
            return None
        if ch == "#":
            self.rest_of_line()
            self.end_of_line()
            return None
        if ch == "":
            return None
        line = self.line
        m = _KEY.match(self.text, self.pos)
        if not m:
            raise self.error("expected KEY=VALUE (a key starts with a letter or underscore)")
        key = m.group(0)
        self.pos = m.end()
        if key == "export" and self.peek() in (" ", "\t"):
            self.skip_blanks()
            m = _KEY.match(self.text, self.pos)
            if not m:
                raise self.error("expected a key after 'export'")
            key = m.group(0)
            self.pos = m.end()
        self.skip_blanks()
        if self.peek() != "=":
            # never quote the key: an unquoted multi-line secret (a PEM body) lands here
            raise self.error(f"expected '=' after a key of {len(key)} characters")
        self.pos += 1
        self.skip_blanks()
        ch = self.peek()
        value = self.quoted(ch) if ch in ("'", '"') else self.unquoted()
        self.end_of_line()
        return DotenvEntry(key, value, line)


# One plain `KEY=value` line (no quotes, no '#'): the common case, parsed by one regex that
# stops at the end of its line (MULTILINE `$`; trailing whitespace but no newline).
_SIMPLE_LINE = re.compile(
    r"[ \t]*(?>(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*"
    r"([^'\"#\s](?:[^#\n]*[^#\s])?)?[^\S\n]*$",
    re.MULTILINE,
)


def parse_dotenv(text: str, path: str, *, fast: bool = True) -> list[DotenvEntry]:
    """Parse .env text; raise ParseError with file:line on anything ambiguous.

    Plain lines take a one-regex fast path (large files are mostly plain lines); anything else
    (quotes, comments, continuation of a multi-line value) goes through the scanner, which
    defines the semantics; a property test checks both paths agree.
    """
    text = text.lstrip("\ufeff")
    s = _Scanner(text, path)
    entries: list[DotenvEntry] = []
    append = entries.append
    size = len(text)
    simple = _SIMPLE_LINE.match
    pos, line = 0, 1  # locals, not scanner attributes: this loop runs once per line
    while pos < size:
        if fast:
            m = simple(text, pos)
            if m:
                append(DotenvEntry(m[1], m[2] or "", line))
                pos = m.end() + 1
                line += 1
                continue
        s.pos, s.line = pos, line
        entry = s.next_entry()
        if entry is not None:
            append(entry)
        pos, line = s.pos, s.line
    return entries


class DotenvCollector(Collector[FileOptions]):
    """Reads a .env file; every key is an environment variable."""

    type_name = "dotenv"
    summary = ".env file (export, quotes, escapes, multi-line values)"

    def collect(self) -> CollectorResult:
        path = self.ctx.resolve(self.options.path)
        shown = self.ctx.display(path)
        entries = parse_dotenv(self.ctx.read_text(path), shown)
        return transform(entries, shown, self.scope, self.ctx)


def transform(
    entries: list[DotenvEntry], shown: str, scope: str, ctx: CollectContext
) -> CollectorResult:
    """Entries to records: last assignment wins (as in shells and Compose); repeats are noticed."""
    result = CollectorResult()
    last = {e.key: e for e in entries}
    if len(last) != len(entries):  # rare: find the repeats only when there are some
        seen: dict[str, DotenvEntry] = {}
        for e in entries:
            prev = seen.get(e.key)
            if prev is not None:
                result.notices.append(
                    Notice(
                        code="duplicate-key",
                        subject=e.key,
                        source=f"{shown}:{e.line}",
                        message=f"{e.key} is assigned twice ({shown}:{prev.line} and line "
                        f"{e.line}); the last one wins",
                    )
                )
            seen[e.key] = e
    result.records = ctx.env_entries(
        scope, ((e.key, e.value, f"{shown}:{e.line}") for e in last.values())
    )
    return result
