"""python-deps and node-deps collectors on canned lock files."""

from __future__ import annotations

import pytest

from parity.collectors.interface import CollectContext
from parity.collectors.node_deps import NodeDepsCollector, NodeDepsOptions
from parity.collectors.python_deps import PythonDepsCollector, PythonDepsOptions, normalize_name
from parity.errors import ParseError

from conftest import DATA

CTX = CollectContext("prod", DATA / "deps")


def py(name: str) -> dict[str, tuple[str, bool]]:
    result = PythonDepsCollector(PythonDepsOptions(path=name), CTX).run()
    return {r.name: (r.version, r.dev) for r in result.records}


def test_requirements_with_includes_extras_markers_hashes_urls() -> None:
    got = py("requirements.txt")
    assert got == {
        "requests": ("2.32.3", False),
        "django-rest-framework": ("3.15.1", False),
        "cryptography": ("42.0.5", False),
        "mypkg": ("@ https://files.example/mypkg-1.0.tar.gz", False),
        "loose": (">=2.0,<3", False),
    }


def test_requirement_sources_point_at_lines() -> None:
    result = PythonDepsCollector(PythonDepsOptions(path="requirements.txt"), CTX).run()
    src = {r.name: r.source for r in result.records}
    assert src["cryptography"] == "requirements.txt:5"
    assert src["requests"] == "base.txt:1"


def test_bad_requirement_line_is_a_parse_error_with_line() -> None:
    with pytest.raises(ParseError) as e:
        py("bad-requirements.txt")
    assert (e.value.path, e.value.line) == ("bad-requirements.txt", 2)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("poetry.lock", {"flask": ("3.0.3", False), "pytest": ("8.2.0", True)}),
        ("uv.lock", {"httpx": ("0.27.0", False)}),
        ("Pipfile.lock", {"attrs": ("23.2.0", False), "black": ("24.4.2", True)}),
    ],
)
def test_lock_files(name: str, expected: dict[str, tuple[str, bool]]) -> None:
    assert py(name) == expected


def test_pep503_normalization() -> None:
    assert normalize_name("Django_Rest.Framework") == "django-rest-framework"


def test_package_lock_v3_and_v1() -> None:
    v3 = NodeDepsCollector(NodeDepsOptions(path="package-lock-v3.json"), CTX).run()
    assert {r.name: (r.version, r.dev) for r in v3.records} == {
        "react": ("18.3.1", False),
        "@types/node": ("20.1.0", True),
    }
    v1 = NodeDepsCollector(NodeDepsOptions(path="package-lock-v1.json"), CTX).run()
    assert {r.name: r.version for r in v1.records} == {"lodash": "4.17.21", "jest": "29.7.0"}
    no_dev = NodeDepsCollector(
        NodeDepsOptions(path="package-lock-v1.json", include_dev=False), CTX
    ).run()
    assert [r.name for r in no_dev.records] == ["lodash"]


@pytest.mark.parametrize(
    ("name", "kind", "line"),
    [("bad-package-lock.json", "node", 3), ("bad-poetry.lock", "poetry", 3)],
)
def test_malformed_lock_files_name_file_and_line(name: str, kind: str, line: int) -> None:
    with pytest.raises(ParseError) as e:
        if kind == "node":
            NodeDepsCollector(NodeDepsOptions(path=name), CTX).run()
        else:
            PythonDepsCollector(PythonDepsOptions(path=name, format="poetry"), CTX).run()
    assert (e.value.path, e.value.line) == (name, line)
