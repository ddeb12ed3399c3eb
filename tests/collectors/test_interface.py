"""The collector contract: declared extras, error translation, the connection cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from parity.collectors.interface import (
    BaseOptions,
    CollectContext,
    Collector,
    CollectorResult,
    ConnectionCache,
)
from parity.errors import CollectorError


class _Live(Collector[BaseOptions]):
    type_name = "live-test"
    Options = BaseOptions
    raises: ClassVar[Exception | None] = None

    def collect(self) -> CollectorResult:
        if self.raises is not None:
            raise self.raises
        return CollectorResult()

    def translate_error(self, error: Exception) -> CollectorError | None:
        if isinstance(error, TimeoutError):
            return CollectorError("engine timed out", hint="raise timeout")
        return None


def _run(cls: type[_Live]) -> CollectorResult:
    return cls(BaseOptions(), CollectContext("staging", Path("."))).run()


def test_missing_extra_names_the_pip_command() -> None:
    class NeedsDriver(_Live):
        requires_extra = "sql"
        requires_modules = ("parity_no_such_driver",)

    with pytest.raises(CollectorError) as e:
        _run(NeedsDriver)
    assert "parity_no_such_driver" in e.value.message
    assert e.value.hint == "pip install 'parity[sql]'"


def test_known_library_errors_are_translated_unknown_ones_propagate() -> None:
    class Times(_Live):
        raises = TimeoutError("t")

    class Breaks(_Live):
        raises = ValueError("bug")

    with pytest.raises(CollectorError, match="engine timed out"):
        _run(Times)
    with pytest.raises(ValueError):
        _run(Breaks)


def test_connection_cache_makes_one_connection_per_type() -> None:
    cache, made = ConnectionCache(), []

    class Session:
        def __init__(self) -> None:
            made.append(self)

    first = cache.get(Session, Session)
    assert cache.get(Session, Session) is first and len(made) == 1


def test_interface_does_not_import_settings() -> None:
    code = "import sys, parity.collectors.interface; print('parity.settings' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_registry_names_match_the_collectors_and_import_lazily() -> None:
    from parity.collectors import COLLECTORS, CONNECTIONS

    assert all(COLLECTORS[name].type_name == name for name in COLLECTORS)
    assert set(CONNECTIONS) == {"aws", "docker"}
    code = (
        "import sys; from parity.collectors import get_collector; get_collector('dotenv');"
        "print(any(m.startswith('parity.collectors.aws') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
