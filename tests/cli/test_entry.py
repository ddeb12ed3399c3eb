"""The console entry's start-up shortcut: pydantic's plugin loader is not imported while
plugins are disabled, and the stand-in answers as the real loader would."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import SAMPLE

PROBE = (
    "import sys\n"
    "from parity import _entry\n"
    "sys.argv = ['parity', 'check', '-c', {cfg!r}, '-q']\n"
    "try:\n    _entry.main()\nexcept SystemExit:\n    pass\n"
    "loader = sys.modules.get('pydantic.plugin._loader')\n"
    "stub = loader is not None and getattr(loader, '__file__', None) is None\n"
    "print('metadata' if 'importlib.metadata' in sys.modules else 'no-metadata',"
    " 'stub' if stub else 'real', file=sys.stderr)\n"
)


def _probe(**env: str) -> str:
    cfg = str(SAMPLE / "parity.toml")
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(cfg=cfg)],
        env={**environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stderr.strip().splitlines()[-1]


def test_disabled_plugins_skip_the_loader_and_importlib_metadata() -> None:
    assert _probe() == "no-metadata stub"


def test_a_users_own_plugin_setting_gets_the_real_loader() -> None:
    assert _probe(PYDANTIC_DISABLE_PLUGINS="some-plugin").endswith("real")


def test_the_stand_in_answers_like_pydantic_with_plugins_off(monkeypatch) -> None:
    from pydantic.plugin import _loader

    from parity._entry import _no_plugins

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    assert list(_loader.get_plugins()) == list(_no_plugins().get_plugins()) == []
