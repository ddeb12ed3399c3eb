"""Fuzzing every parser with hypothesis: whatever the bytes, only the project's own errors
escape (ParseError for sources, SnapshotError/ConfigError for parity's own files) — never a
RecursionError, UnicodeError, TypeError or a library's exception. A short run here; a longer
one in bench/fuzz_parsers.py."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parity.collectors.config_file import parse_config
from parity.collectors.dotenv import parse_dotenv
from parity.collectors.k8s import load_manifests
from parity.collectors.node_deps import parse_package_lock
from parity.collectors.python_deps import parse_lock, parse_requirements
from parity.errors import ParityError

# Text that looks a bit like each format, so the fuzzer reaches deep parser states.
_CHARS = [*"abcAB01=:-_.,'\"#[]{}()&*!|>\\\n\t $@/", "\ud800", "\x00", "é"]
_PIECES = st.sampled_from([*_CHARS, "---\n", "- ", "  ", "key: ", "&a ", "*a", "[[x]]\n"])
TEXT = st.lists(_PIECES, max_size=120).map("".join)
NESTED = st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n)


def _requirements(text: str) -> Any:
    return parse_requirements(Path("/nonexistent/requirements.txt"), "r.txt", lambda p: text)


PARSERS: dict[str, Callable[[str], Any]] = {
    "dotenv": lambda t: parse_dotenv(t, "f.env"),
    "yaml": lambda t: parse_config(t, "yaml", "f.yaml"),
    "json": lambda t: parse_config(t, "json", "f.json"),
    "toml": lambda t: parse_config(t, "toml", "f.toml"),
    "ini": lambda t: parse_config(t, "ini", "f.ini"),
    "requirements": _requirements,
    "poetry": lambda t: parse_lock(t, "poetry", "poetry.lock"),
    "uv": lambda t: parse_lock(t, "uv", "uv.lock"),
    "pipfile": lambda t: parse_lock(t, "pipfile", "Pipfile.lock"),
    "package-lock": lambda t: parse_package_lock(_json_or_text(t), "package-lock.json"),
    "k8s": lambda t: load_manifests(t, "m.yaml"),
}


def _json_or_text(t: str) -> Any:
    import json

    try:
        return json.loads(t)
    except (ValueError, RecursionError):
        return {"packages": t}


def _only_our_errors(parse: Callable[[str], Any], text: str) -> None:
    with contextlib.suppress(ParityError):  # the project's own error: that is the contract
        parse(text)


@pytest.mark.parametrize("name", PARSERS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_parsers_raise_only_parse_errors(name: str, text: str) -> None:
    _only_our_errors(PARSERS[name], text)


@pytest.mark.parametrize("name", ["yaml", "json", "toml", "package-lock", "k8s"])
@settings(max_examples=10, deadline=None)
@given(text=NESTED)
def test_deep_nesting_is_a_parse_error(name: str, text: str) -> None:
    _only_our_errors(PARSERS[name], text)


@settings(max_examples=60, deadline=None)
@given(text=TEXT)
def test_snapshot_and_report_loaders(text: str) -> None:
    from parity.reports.json_report import load_report
    from parity.store.codec import snapshot_from_text

    _only_our_errors(lambda t: snapshot_from_text(t, "s.json"), text)
    _only_our_errors(lambda t: load_report(t, "r.json"), text)
    _only_our_errors(
        lambda t: snapshot_from_text(t, "s.json"), '{"schema_version": 2, "records": ' + text + "}"
    )


@settings(max_examples=60, deadline=None)
@given(text=TEXT)
def test_policy_and_settings_loaders(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    from parity.policies import load_policy
    from parity.settings import load_settings

    d = tmp_path_factory.mktemp("fz")
    (d / "policy.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    _only_our_errors(lambda _t: load_policy(d / "policy.yaml"), text)
    (d / "parity.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    _only_our_errors(lambda _t: load_settings(str(d / "parity.toml")), text)


def test_yaml_goes_through_libyaml_and_falls_back_for_redefined_anchors() -> None:
    from parity.inputs.yamlio import load_yaml_documents, yaml_nodes

    loader, nodes = yaml_nodes("a: 1\nb:\n  c: 2\n", "x.yaml")
    assert "CSafeLoader" in [c.__name__ for c in type(loader).__mro__]
    assert nodes[0].value[1][1].value[0][0].start_mark.line == 2  # `c` on line 3
    docs = load_yaml_documents("a: &x 1\nb: *x\nc: &x 2\nd: *x\n", "y.yaml")
    assert docs == [{"a": 1, "b": 1, "c": 2, "d": 2}]


@pytest.mark.parametrize(
    ("text", "line", "wording"),
    [
        ("a: [1, 2\nb: s3cr3t-Value\n", 2, "expected ',' or ']' (while parsing a flow sequence)"),
        ("a:\n  b: 1\n c: s3cr3t-Value\n", 3, "did not find expected key (while parsing a block"),
        ("a: *s3cr3t-Value\n", 1, "found undefined alias"),
        ("k: !!python/name:s3cr3t-Value x\n", 1, "could not determine a constructor"),
    ],
)
def test_yaml_errors_keep_the_parsers_wording_but_never_the_text(
    text: str, line: int, wording: str
) -> None:
    """`expected ',' or ']'` says what is wrong; a quoted word or value (a tag, an alias, a
    scalar) may be the secret and is elided."""
    from parity.errors import ParseError
    from parity.inputs.yamlio import load_yaml_documents

    with pytest.raises(ParseError) as caught:
        load_yaml_documents(text, "v.yaml")
    message = str(caught.value)
    assert message.startswith(f"v.yaml:{line}: invalid YAML: ")
    assert wording in message and "s3cr3t" not in message
