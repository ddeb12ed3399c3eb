"""Hostile and broken input: every file collector fails closed (exit 3, collector-failed
naming the source, no traceback, no hang); configuration problems are exit 2."""

from __future__ import annotations

import json
import os
import signal
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import cli

# collector type -> (source option path, a valid file body)
COLLECTORS: dict[str, tuple[str, str]] = {
    "dotenv": ("src.env", "A=1\n"),
    "config-file": ("src.yaml", "a: 1\n"),
    "python-deps": ("requirements.txt", "flask==3.0.0\n"),
    "node-deps": ("package-lock.json", '{"lockfileVersion": 3, "packages": {}}'),
    "compose": ("compose.yaml", "services: {web: {image: a:1}}\n"),
    "k8s": ("app.yaml", "kind: ConfigMap\nmetadata: {name: a}\ndata: {A: '1'}\n"),
    "source-code": ("src", ""),
}


def _missing(p: Path) -> None:
    pass


def _directory(p: Path) -> None:
    p.mkdir()


def _fifo(p: Path) -> None:
    os.mkfifo(p)


def _loop(p: Path) -> None:
    p.symlink_to(p.name)


def _dangling(p: Path) -> None:
    p.symlink_to("does-not-exist")


def _empty(p: Path) -> None:
    p.write_text("")


def _binary(p: Path) -> None:
    p.write_bytes(b"\x7fELF\x00\x01\x02")


def _bad_utf8(p: Path) -> None:
    p.write_bytes(b"A=\xff\xfe\n")


def _huge(p: Path) -> None:
    p.write_text("A=" + "x" * 4096 + "\n")


FAULTS: dict[str, Callable[[Path], None]] = {
    "missing": _missing,
    "directory": _directory,
    "fifo": _fifo,
    "symlink-loop": _loop,
    "dangling-symlink": _dangling,
    "empty": _empty,
    "binary": _binary,
    "invalid-utf8": _bad_utf8,
    "over-size-limit": _huge,
}


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """A collector that blocks (a FIFO opened for reading) fails the test instead of CI."""

    def boom(*_: object) -> None:
        raise TimeoutError("collector hung")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("collector", COLLECTORS)
def test_fault_matrix(tmp_path: Path, collector: str, fault: str) -> None:
    option, body = COLLECTORS[collector]
    good = tmp_path / "good"
    bad = tmp_path / "bad"
    for root in (good, bad):
        root.mkdir()
    if collector == "source-code":
        (good / option).mkdir()
        (good / option / "app.py").write_text("import os\nos.environ['A']\n")
        target = bad / option / "app.py"
        if fault == "missing":
            target = bad / option  # the tree itself is missing
        else:
            (bad / option).mkdir()
        valid_source = fault in ("empty", "directory")  # an empty module, a nested package
    else:
        valid_source = False
        (good / option).write_text(body)
        target = bad / option
    FAULTS[fault](target)
    cfg = tmp_path / "parity.toml"
    source = '{{ type = "{}", path = "{}/{}" }}'
    cfg.write_text(
        "max_file_mb = 0.002\n"
        f"[environments.production]\nsources = [{source.format(collector, 'good', option)}]\n"
        f"[environments.staging]\nsources = [{source.format(collector, 'bad', option)}]\n"
    )
    r = cli("check", "-c", str(cfg), "-f", "json")
    if collector == "source-code" and valid_source:
        report = json.loads(r.out)  # read completely; the code's unset read is a finding
        assert report["complete"] and report["errors"] == [] and r.code == 1, r.err
        return
    assert r.code == 3, (r.code, r.err, r.out[:300])
    assert "Traceback" not in r.err
    report = json.loads(r.out)
    (error,) = [e for e in report["errors"] if e["environment"] == "staging"]
    assert error["collector"] == collector and "internal error" not in error["message"]
    assert any(f["rule"] == "collector-failed" for f in report["findings"])


def _key_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("PARITY_FINGERPRINT_KEY")
    key = tmp_path / "keys" / "fingerprint.key"
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY_FILE", str(key))
    return key


def _secret_project(tmp_path: Path) -> str:
    (tmp_path / "p.env").write_text("DB_PASSWORD=s3cr3t-value-long-enough\n")
    cfg = tmp_path / "parity.toml"
    cfg.write_text('[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    return str(cfg)


@pytest.mark.parametrize(
    ("setup", "expect"),
    [
        (
            lambda k: (k.parent.mkdir(), k.write_text("x" * 64), k.chmod(0o644)),
            "readable by others",
        ),
        (lambda k: (k.parent.mkdir(), k.write_text(""), k.chmod(0o600)), "is empty"),
        (lambda k: (k.parent.mkdir(), k.symlink_to("nowhere")), "symbolic link"),
        (lambda k: k.parent.write_text("a file where the directory goes"), "a file is in the way"),
    ],
)
def test_key_file_problems_are_configuration_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, setup: Callable[[Path], object], expect: str
) -> None:
    setup(_key_env(monkeypatch, tmp_path))
    r = cli("check", "-c", _secret_project(tmp_path))
    assert r.code == 2 and expect in r.err and "internal error" not in r.err


def test_key_is_created_private_and_announced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key = _key_env(monkeypatch, tmp_path)
    r = cli("check", "-c", _secret_project(tmp_path))
    assert r.code == 0 and "created fingerprint key" in r.err
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("value", ["", "short"])
def test_short_or_empty_environment_key_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY", value)
    r = cli("check", "-c", _secret_project(tmp_path))
    assert r.code == 2 and "PARITY_FINGERPRINT_KEY" in r.err


def test_environ_never_collects_paritys_own_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY", "canary-key-0123456789abcdef")
    cfg = tmp_path / "parity.toml"
    cfg.write_text(
        '[environments.production]\nsources = [{ type = "environ", prefixes = ["PARITY_"] }]\n'
    )
    r = cli("snapshot", "production", "-c", str(cfg))
    assert "canary-key-0123456789abcdef" not in r.out + r.err
    assert "PARITY_FINGERPRINT_KEY" not in r.out
