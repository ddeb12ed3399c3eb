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
    how = {
        r.key: "default" if r.has_default else "optional" if r.optional else "required"
        for r in recs
    }
    assert how == {
        "REQ_A": "required",  # os.environ[...] raises when unset
        "OPT_B": "default",
        "REQ_C": "optional",  # os.getenv without default: the code handles None
        "REQ_D": "optional",
        "OPT_E": "default",
        "OPT_F": "default",
        "APP_NAME": "required",  # settings field without default
        "APP_PORT": "default",
        "REQ_JS": "optional",  # process.env.X: undefined is handled
        "REQ_JS_INDEX": "optional",
        "OPT_JS": "default",
        "REQ_DESTRUCT": "optional",
        "OPT_DESTRUCT": "default",
        "REQ_GO": "optional",  # os.Getenv returns ""
        "OPT_GO": "optional",
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
