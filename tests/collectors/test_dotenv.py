"""dotenv parser and collector: full syntax, errors with file:line, duplicates, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parity.collectors.dotenv import DotenvCollector, parse_dotenv
from parity.collectors.interface import CollectContext, FileOptions
from parity.errors import ParseError

from conftest import DATA


def test_full_syntax() -> None:
    entries = parse_dotenv((DATA / "dotenv/full.env").read_text(), "full.env")
    got = {e.key: e.value for e in entries}
    assert got == {
        "A": "1",
        "B": "again",
        "C": "single $NOT #x",
        "D": "unquoted value",
        "E": "",
        "F": "multi\nline",
        "G": "a#b",
    }
    first_b = next(e for e in entries if e.key == "B")
    assert first_b.value == 'two\nlines "quoted"'
    assert [e.line for e in entries if e.key == "F"] == [7]
    assert [e.line for e in entries if e.key == "G"] == [9]


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [("bad_key.env", 2, "expected '='"), ("unterminated.env", 2, "unterminated")],
)
def test_errors_carry_file_and_line(name: str, line: int, fragment: str) -> None:
    with pytest.raises(ParseError) as e:
        parse_dotenv((DATA / "dotenv" / name).read_text(), name)
    assert e.value.line == line
    assert str(e.value).startswith(f"{name}:{line}: ")
    assert fragment in str(e.value)


def test_text_after_closing_quote_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"x.env:1: unexpected characters"):
        parse_dotenv('A="b" c\n', "x.env")


def test_collector_reports_duplicates_and_fingerprints_secrets(tmp_path) -> None:
    (tmp_path / ".env").write_text("DB_PASSWORD=hunter2-very-secret\nLEVEL=1\nLEVEL=2\n")
    ctx = CollectContext("staging", tmp_path)
    result = DotenvCollector(FileOptions(path=".env"), ctx).run()
    by_key = {r.key: r for r in result.records}
    assert by_key["LEVEL"].value == "2" and by_key["LEVEL"].source == ".env:3"
    assert by_key["DB_PASSWORD"].value is None
    assert by_key["DB_PASSWORD"].fingerprint.startswith("hmac-sha256:")
    assert "hunter2" not in repr(result)
    assert [(n.code, n.subject) for n in result.notices] == [("duplicate-key", "LEVEL")]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_parser_parses_or_raises_parse_error(text: str) -> None:
    try:
        entries = parse_dotenv(text, "fuzz.env")
    except ParseError as e:
        assert e.path == "fuzz.env"
        return
    assert all(isinstance(e.value, str) for e in entries)


@given(
    st.dictionaries(
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
            max_size=30,
        ),
        max_size=8,
    )
)
def test_round_trip_double_quoted(values: dict[str, str]) -> None:
    def quote(v: str) -> str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    text = "".join(f"{k}={quote(v)}\n" for k, v in values.items())
    assert {e.key: e.value for e in parse_dotenv(text, "rt.env")} == values


_LINES = st.lists(
    st.one_of(
        st.from_regex(
            r"[ \t]{0,2}(export[ \t]+)?[A-Za-z_][A-Za-z0-9_.]{0,6}[ \t]?=[^\n]{0,12}",
            fullmatch=True,
        ),
        st.sampled_from(["", "# c", "  ", "export =1", 'Q="a\nb"', "R='x", "A=b #c", "\r"]),
        st.text(max_size=10),
    ),
    max_size=8,
)


@given(_LINES)
def test_fast_path_agrees_with_scanner(lines: list[str]) -> None:
    text = "\n".join(lines)

    def run(fast: bool) -> object:
        try:
            return [(e.key, e.value, e.line) for e in parse_dotenv(text, "p.env", fast=fast)]
        except ParseError as e:
            return ("error", e.line, e.reason)

    assert run(True) == run(False)
