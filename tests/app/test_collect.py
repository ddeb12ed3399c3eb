"""Concurrent collection: sources of every environment run at once in a bounded pool, and what
comes out is the same as one at a time — order, failures, snapshots."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from parity.app.collect import collect_environments
from parity.collectors.interface import Collector, CollectorResult, FileOptions
from parity.errors import CollectorError
from parity.model import ConfigEntry
from parity.settings import load_settings

from conftest import SAMPLE


def _dump(snaps: dict[str, Any]) -> dict[str, Any]:
    return {k: v.model_dump(exclude={"collected_at"}) for k, v in snaps.items()}


def test_concurrent_collection_gives_what_serial_collection_gives() -> None:
    settings = load_settings(SAMPLE / "parity.toml")
    names = ["production", "staging", "canary"]
    serial = collect_environments(settings, names, workers=1)
    concurrent = collect_environments(settings, names, workers=8)
    assert list(concurrent) == names
    assert _dump(serial) == _dump(concurrent)


class _Meeting(Collector[FileOptions]):
    """Two of these only finish if they run at the same time (a barrier of two)."""

    type_name = "meeting"
    Options = FileOptions
    barrier: threading.Barrier

    def collect(self) -> CollectorResult:
        try:
            self.barrier.wait()  # the barrier's own timeout
        except threading.BrokenBarrierError as e:
            raise CollectorError("the other source never ran alongside") from e
        return CollectorResult(records=[ConfigEntry(self.scope, "MET", "1", self.options.path)])


class _Broken(Collector[FileOptions]):
    type_name = "broken"
    Options = FileOptions

    def collect(self) -> CollectorResult:
        raise CollectorError("cannot read it", hint="fix it")


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    import parity.registry as registry

    class EP:
        def __init__(self, name: str, cls: type) -> None:
            self.name, self.value, self.cls = name, f"x:{name}", cls

        def load(self) -> type:
            return self.cls

    found = [EP("meeting", _Meeting), EP("broken", _Broken)]
    monkeypatch.setattr(
        registry, "entry_points", lambda group: found if group == "parity.collectors" else []
    )


def _project(tree: Any) -> Path:
    root: Path = tree(
        {
            "parity.toml": "[environments.production]\nsources = [\n"
            '  { type = "meeting", path = "a", name = "first" },\n'
            '  { type = "broken", path = "b", name = "middle" },\n'
            '  { type = "meeting", path = "c", name = "last" },\n]\n'
        }
    )
    return root / "parity.toml"


def test_sources_run_at_the_same_time_and_fail_alone(tree: Any, plugins: None) -> None:
    _Meeting.barrier = threading.Barrier(2, timeout=10)
    settings = load_settings(_project(tree))
    snap = collect_environments(settings, ["production"], workers=4)["production"]
    assert [s.name for s in snap.sources] == ["first", "middle", "last"]  # configured order
    assert [(r.scope, r.key) for r in snap.records] == [("first", "MET"), ("last", "MET")]
    (error,) = snap.errors
    assert (error.scope, error.message, error.hint) == ("middle", "cannot read it", "fix it")


def test_one_worker_runs_one_source_at_a_time(tree: Any, plugins: None) -> None:
    _Meeting.barrier = threading.Barrier(2, timeout=0.5)
    settings = load_settings(_project(tree))
    snap = collect_environments(settings, ["production"], workers=1)["production"]
    assert {e.scope for e in snap.errors} == {"first", "last", "middle"}  # never met
