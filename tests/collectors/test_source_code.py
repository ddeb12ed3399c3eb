"""source-code collector: env reads in Python (AST), JS/TS and Go become required keys."""

from __future__ import annotations

import pytest

from parity.collectors.environ import EnvironCollector, EnvironOptions
from parity.collectors.interface import CollectContext
from parity.collectors.source_code import SourceCodeCollector, SourceCodeOptions
from parity.errors import ParseError

from conftest import DATA


def test_reads_across_languages() -> None:
    ctx = CollectContext("prod", DATA)
    recs = SourceCodeCollector(SourceCodeOptions(path="src"), ctx).run().records
    got = {r.key: r.has_default for r in recs}
    assert got == {
        "REQ_A": False,
        "OPT_B": True,
        "REQ_C": False,
        "REQ_D": False,
        "OPT_E": True,
        "OPT_F": True,
        "APP_NAME": False,
        "APP_PORT": True,
        "REQ_JS": False,
        "REQ_JS_INDEX": False,
        "OPT_JS": True,
        "REQ_DESTRUCT": False,
        "OPT_DESTRUCT": True,
        "REQ_GO": False,
        "OPT_GO": True,
    }
    first = {r.key: r.source for r in recs}
    assert first["REQ_A"] == "src/app/main.py:6"
    assert first["REQ_GO"] == "src/go/main.go:4"


def test_python_syntax_error_names_file_and_line(tmp_path) -> None:
    (tmp_path / "broken.py").write_text("x = 1\ndef (:\n")
    ctx = CollectContext("prod", tmp_path)
    with pytest.raises(ParseError) as e:
        SourceCodeCollector(SourceCodeOptions(path="."), ctx).run()
    assert (e.value.path, e.value.line) == ("broken.py", 2)


def test_environ_filters_by_prefix_and_glob(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPX_ONE", "1")
    monkeypatch.setenv("OTHER_TWO", "2")
    monkeypatch.setenv("KEEP_ME", "3")
    opts = EnvironOptions(prefixes=["APPX_"], allow=["KEEP_*"], strip_prefix=True)
    recs = EnvironCollector(opts, CollectContext("prod", DATA)).run().records
    assert {r.key: r.value for r in recs} == {"ONE": "1", "KEEP_ME": "3"}
    assert all(r.env_var for r in recs)
