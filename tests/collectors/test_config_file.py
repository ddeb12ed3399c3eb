"""config-file collector: four formats flattened to dotted keys; malformed files name a line."""

from __future__ import annotations

import pytest

from parity.collectors._flatten import flatten
from parity.collectors.config_file import ConfigFileCollector, ConfigFileOptions
from parity.collectors.interface import CollectContext
from parity.errors import ParseError

from conftest import DATA


def collect(name: str) -> dict[str, object]:
    ctx = CollectContext("prod", DATA / "config")
    result = ConfigFileCollector(ConfigFileOptions(path=name), ctx).run()
    return {r.key: r for r in result.records}


def test_yaml_multi_document_with_anchors_and_lines() -> None:
    recs = collect("app.yaml")
    assert recs["0.database.pool"].value == "5"
    assert recs["0.database.host"].value == "db.internal"
    assert recs["0.database.host"].source == "app.yaml:5"
    assert recs["0.servers"].structured == ["a.internal", "b.internal"]  # one value
    assert "0.empty" not in recs  # `{}` sets nothing
    assert recs["1.second"].value == "doc"
    secret = recs["0.database.password"]
    assert secret.value is None and secret.fingerprint


def test_json_toml_ini() -> None:
    j = collect("app.json")
    assert j["a.b"].structured == [1, True, None]
    t = collect("app.toml")
    assert t["server.port"].value == "8080" and t["server.hosts"].structured == ["x", "y"]
    i = collect("app.ini")
    assert i["db.host"].value == "db.internal"
    assert i["db.region"].value == "eu" and i["DEFAULT.region"].value == "eu"


@pytest.mark.parametrize(
    ("name", "line"), [("bad.yaml", 3), ("bad.json", 3), ("bad.toml", 3), ("bad.ini", 1)]
)
def test_malformed_files_name_file_and_line(name: str, line: int) -> None:
    with pytest.raises(ParseError) as e:
        collect(name)
    assert e.value.path == name
    assert e.value.line == line


def test_flatten_keeps_lists_without_identity_whole() -> None:
    assert flatten({"a": [{"b": 1}, 2], "c": [], "d": {}}) == [("a", [{"b": 1}, 2])]
