"""Faults within a deadline, writes that never destroy, parity's own inputs bounded.

A live endpoint that accepts connections and never answers fails its source in the configured
time; `-o` onto a device, a FIFO or a symlink never replaces it; a full disk while storing an
audit is exit 2 and leaves nothing behind; parity.toml, policies, baselines, reports and
snapshots are refused when they are FIFOs, devices or too large.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import cli

Tree = Callable[[dict[str, str]], Path]
ENV = """
[environments.production]
sources = [{ type = "dotenv", path = "p.env", name = "app" }]
[environments.staging]
sources = [{ type = "dotenv", path = "s.env", name = "app" }]
"""


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A TCP endpoint that accepts connections and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)  # read nothing, answer nothing
            except TimeoutError:
                continue
            except OSError:  # closed at teardown
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    time.sleep(0.3)  # let the accept loop see it
    for conn in held:
        conn.close()
    server.close()


def project(tree: Tree, extra: str = "") -> Path:
    return tree({"parity.toml": extra + ENV, "p.env": "A=1\n", "s.env": "A=1\n"})


@pytest.mark.usefixtures("aws_creds")
def test_silent_aws_endpoint_fails_the_source_by_its_deadline(
    tree: Tree, silent_endpoint: str
) -> None:
    cfg = f"""
[environments.production.aws]
endpoint_url = "{silent_endpoint}"
regions = ["eu-west-1"]
deadline = 2
[environments.production]
sources = [{{ type = "aws-ssm", paths = ["/shop/"] }}]
"""
    root = tree({"parity.toml": cfg})
    started = time.monotonic()
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json")
    elapsed = time.monotonic() - started
    assert r.code == 3, r.err
    (error,) = json.loads(r.out)["errors"]
    assert silent_endpoint in error["message"] and "within 2 s" in error["message"]
    assert elapsed < 10, f"took {elapsed:.1f}s for a 2s deadline"


def test_silent_s3_store_is_a_bounded_usage_error(
    tree: Tree, silent_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("PARITY_S3_ENDPOINT_URL", silent_endpoint)
    monkeypatch.setenv("PARITY_S3_TIMEOUT", "1")
    root = project(tree)
    started = time.monotonic()
    r = cli("history", "production", "-c", str(root / "parity.toml"), "--store", "s3://b/p")
    assert r.code == 2, r.err
    assert "did not answer within 1 s" in r.err and "Traceback" not in r.err
    assert time.monotonic() - started < 15


# -- writes never destroy ------------------------------------------------------------------------


def test_output_onto_a_device_is_written_through(tree: Tree) -> None:
    cfg = str(project(tree) / "parity.toml")
    r = cli("check", "-c", cfg, "-f", "json", "-o", os.devnull)
    assert r.code == 0, r.err
    assert Path(os.devnull).is_char_device()
    full = "/dev/full"
    if Path(full).exists():
        r = cli("check", "-c", cfg, "-f", "json", "-o", full)
        assert r.code == 2 and "No space left on device" in r.err
        assert Path(full).is_char_device()


def test_output_onto_a_symlink_or_fifo_keeps_it(tree: Tree, tmp_path: Path) -> None:
    cfg = str(project(tree) / "parity.toml")
    target = tmp_path / "reports" / "latest.json"
    target.parent.mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert cli("check", "-c", cfg, "-f", "json", "-o", str(link)).code == 0
    assert link.is_symlink() and json.loads(target.read_text())["findings"] == []
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = cli("check", "-c", cfg, "-f", "json", "-o", str(fifo))  # nobody reads it: no hang
    assert r.code == 2 and "FIFO with no reader" in r.err
    assert fifo.is_fifo()


def test_disk_full_while_storing_an_audit_leaves_nothing(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parity.store.objects as objects

    root = project(tree)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(objects.os, "fsync", full)
    r = cli("audit", "-c", str(root / "parity.toml"), "--store", str(root / "store"))
    assert r.code == 2, r.err
    assert "No space left on device" in r.err and "free space" in r.err
    assert not (root / "store").exists() or not any((root / "store").rglob("*"))


def test_prune_sweeps_temp_files_of_killed_audits(tree: Tree) -> None:
    root = project(tree)
    cfg, store = str(root / "parity.toml"), root / "store"
    assert cli("audit", "-c", cfg, "--store", str(store)).code == 0
    stale = store / "snapshots" / "production" / ".tmp-killed"
    fresh = store / "snapshots" / "production" / ".tmp-writing"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    assert cli("prune", "-c", cfg, "--store", str(store), "--keep", "5").code == 0
    assert not stale.exists() and fresh.exists()  # another audit may still be writing it


# -- parity's own inputs ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["policy", "baseline"])
def test_own_inputs_refuse_fifos_and_devices(tree: Tree, tmp_path: Path, kind: str) -> None:
    fifo = tmp_path / "input.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        root = project(tree, f'{kind} = "{path}"\n')
        started = time.monotonic()
        r = cli("check", "-c", str(root / "parity.toml"))
        assert r.code == 2 and "not a regular file" in r.err, r.err
        assert time.monotonic() - started < 10


def test_report_and_snapshot_files_refuse_fifos_and_huge_files(tmp_path: Path) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    r = cli("report", str(fifo), "-f", "table")
    assert r.code == 2 and "not a regular file" in r.err
    r = cli("diff", str(fifo), str(fifo))  # a snapshot file that is a FIFO
    assert r.code == 2 and "not a regular file" in r.err
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)
    r = cli("report", str(big), "-f", "table")
    assert r.code == 2 and "over the" in r.err


def test_a_huge_policy_fails_fast_and_bounded(tree: Tree, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    with policy.open("wb") as fh:
        fh.truncate(101 * 1024 * 1024)  # sparse: 101 MB without writing them
    root = project(tree, f'policy = "{policy}"\n')
    started = time.monotonic()
    r = cli("check", "-c", str(root / "parity.toml"))
    assert r.code == 2 and "over the" in r.err and "limit" in r.err
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1e12"])
def test_max_file_mb_must_be_a_sane_number(tree: Tree, value: str) -> None:
    root = project(tree, f"max_file_mb = {value}\n")
    r = cli("check", "-c", str(root / "parity.toml"))
    assert r.code == 2 and "max_file_mb" in r.err and "Traceback" not in r.err


@pytest.mark.parametrize("url", ["file:///etc/passwd", "::::", "ftp://h/x", "https://"])
def test_notify_accepts_only_http_urls(tree: Tree, url: str) -> None:
    root = project(tree)
    r = cli("audit", "-c", str(root / "parity.toml"), "--notify", url)
    assert r.code == 2 and "--notify" in r.err
    assert url not in r.err or url == "::::"  # never echoed (it may hold a token)


# -- input read as its own tools read it -------------------------------------------------------

BOM = "\ufeff"


def test_a_byte_order_mark_is_accepted_where_its_tools_accept_it(tree: Tree) -> None:
    root = tree(
        {
            "parity.toml": BOM
            + """
[environments.production]
sources = [
  { type = "python-deps", path = "requirements.txt" },
  { type = "config-file", path = "app.toml", name = "toml" },
  { type = "config-file", path = "app.ini", name = "ini" },
  { type = "source-code", path = "src" },
  { type = "dotenv", path = "p.env", name = "env" },
]
""",
            "requirements.txt": BOM + "flask==3.0.0\n",
            "app.toml": BOM + "[db]\nhost = 'x'\n",
            "app.ini": BOM + "[db]\nhost = x\n",
            "src/app.py": BOM + "import os\nos.environ['NEEDED']\n",
            "p.env": BOM + "NEEDED=1\n",
        }
    )
    r = cli("snapshot", "production", "-c", str(root / "parity.toml"), "-o", str(root / "s.json"))
    assert r.code == 0, r.err
    records = json.loads((root / "s.json").read_text())["records"]
    keys = {r.get("key") or r.get("name") for r in records}
    assert {"flask", "db.host", "NEEDED"} <= keys and not any(BOM in str(k) for k in keys)


def test_cr_only_line_endings_are_line_breaks(tree: Tree) -> None:
    root = tree({"parity.toml": ENV, "p.env": "A=1\rB=2\r", "s.env": "A=1\nB=2\n"})
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json")
    assert r.code == 0 and json.loads(r.out)["findings"] == [], r.out


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "k8s.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
            "spec: {template: {spec: {containers: x}}}\n",
            "containers must be a list of containers",
        ),
        ("compose.yaml", "services:\n  web:\n    image: acme/web:${TAG\n", "unterminated ${"),
        ("requirements.txt", 'flask==3.0.0; python_version >> "3.8"\n', "invalid environment"),
    ],
)
def test_structurally_invalid_input_is_an_error_not_silence(
    tree: Tree, name: str, text: str, expected: str
) -> None:
    kind = {"k8s.yaml": "k8s", "compose.yaml": "compose", "requirements.txt": "python-deps"}
    cfg = f'[environments.production]\nsources = [{{ type = "{kind[name]}", path = "{name}" }}]\n'
    root = tree({"parity.toml": cfg, name: text})
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json")
    assert r.code == 3, r.err
    (error,) = json.loads(r.out)["errors"]
    assert expected in error["message"] and ">>" not in error["message"]
