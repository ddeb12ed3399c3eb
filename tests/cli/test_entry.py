"""The console entry's start-up shortcut: pydantic's plugin loader is not imported while
plugins are disabled, and the stand-in answers as the real loader would."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import SAMPLE

PROBE = (  # main() ends the process, so the probe reports from an atexit handler
    "import atexit, sys\n"
    "from parity.cli import entry as _entry\n"
    "def report():\n"
    "    loader = sys.modules.get('pydantic.plugin._loader')\n"
    "    stub = loader is not None and getattr(loader, '__file__', None) is None\n"
    "    print('metadata' if 'importlib.metadata' in sys.modules else 'no-metadata',"
    " 'stub' if stub else 'real', file=sys.stderr)\n"
    "atexit.register(report)\n"
    "sys.argv = ['parity', 'check', '-c', {cfg!r}, '-q']\n"
    "_entry.main()\n"
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

    from parity.cli.entry import _no_plugins

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    assert list(_loader.get_plugins()) == list(_no_plugins().get_plugins()) == []


def _entry_run(prelude: str, *args: str, **popen: object) -> subprocess.CompletedProcess[str]:
    """`parity ARGS` through the console entry, after `prelude` ran in the same process."""
    script = (
        f"import sys\n{prelude}\nfrom parity.cli import entry as _entry\n"
        f"sys.argv = {['parity', *args]!r}\n"
    )
    streams = popen or {"capture_output": True}
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-c", script + "_entry.main()\n"], text=True, check=False, **streams
    )


def test_leaving_early_keeps_the_exit_code_output_and_atexit_handlers() -> None:
    cfg = str(SAMPLE / "parity.toml")
    prelude = "import atexit\natexit.register(lambda: print('atexit ran', file=sys.stderr))"
    done = _entry_run(prelude, "check", "-c", cfg, "-f", "json")
    assert done.returncode == 1  # the sample has error findings
    assert json.loads(done.stdout)["summary"]["total"] > 0  # all of it, parseable (>56 KB)
    assert done.stderr.strip().endswith("atexit ran")


def test_a_live_thread_is_joined_before_the_process_ends(tmp_path) -> None:
    marker = tmp_path / "thread-finished"
    prelude = (
        "import threading, time, pathlib\n"
        f"def late():\n    time.sleep(0.3)\n    pathlib.Path({str(marker)!r}).write_text('x')\n"
        "threading.Thread(target=late).start()"
    )
    done = _entry_run(prelude, "rules", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert marker.exists()


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    """`parity check -f json | true`: the report has no reader; the verdict's exit code
    stands, and no BrokenPipeError or "internal error" is printed."""
    cfg = str(SAMPLE / "parity.toml")
    script = (
        "import sys\nfrom parity.cli import entry as _entry\n"
        f"sys.argv = ['parity', 'check', '-c', {cfg!r}, '-f', 'json']\n_entry.main()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before parity writes its 56 KB
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 1
    assert "BrokenPipe" not in err and "internal error" not in err


def test_a_closed_stdout_is_a_reader_that_is_gone() -> None:
    """`parity check >&-`: Python starts with sys.stdout None; the verdict still decides."""
    cfg = str(SAMPLE / "parity.toml")
    script = (
        "import os, sys\nos.close(1)\n"  # as if the shell had closed it
        "sys.stdout = None\nfrom parity.cli import entry as _entry\n"
        f"sys.argv = ['parity', 'check', '-c', {cfg!r}, '-q']\n_entry.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Error" not in done.stderr and "internal error" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
@pytest.mark.parametrize(
    "args",
    [("check", "-f", "json", "-c", "CFG"), ("check", "-q", "-c", "CFG"), ("completion", "zsh"), ()],
)
def test_a_stdout_that_cannot_be_written_is_exit_2_not_a_bug(args: tuple[str, ...]) -> None:
    """A full disk loses the report: the gate must not pass, and it is no bug in parity (a
    bare `parity`, whose help is lost, exits 2 as it always does)."""
    argv = [str(SAMPLE / "parity.toml") if a == "CFG" else a for a in args]
    with open("/dev/full", "w") as full:
        done = _entry_run("", *argv, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr.strip() == "parity: error: cannot write to stdout: No space left on device"
