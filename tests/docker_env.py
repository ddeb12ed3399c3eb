"""A real Docker-API engine for the tests: Podman's API service on a private socket.

No Docker daemon runs on these machines; Podman's Docker-compatible service does, and the docker
SDK talks to it as to Docker. Storage, run state and configuration live in a temporary
directory, so tests neither see nor leave anything on the machine. Images are built without a
registry: a busybox root filesystem (plus package metadata for the package tests) imported as an
image. The engine is required: without podman the tests fail, unless PARITY_SKIP_SERVICES=1.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live import unavailable

BUSYBOX = Path("/bin/busybox")
CONF = (
    '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nruntime = "runc"\n'
)


def _unavailable(msg: str) -> None:
    unavailable(msg, "apt-get install -y podman runc busybox-static; .ci/run does")


class Engine:
    """The running service: its socket URL and a podman command line bound to its storage."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sock = root / "podman.sock"
        self.url = f"unix://{self.sock}"
        self.env = {**os.environ, "CONTAINERS_CONF": str(root / "containers.conf")}
        self.base = [
            "podman",
            "--root",
            str(root / "storage"),
            "--runroot",
            str(root / "run"),
            "--storage-driver",
            "vfs",
        ]

    def podman(self, *args: str, stdin: bytes | None = None) -> str:
        out = subprocess.run(
            [*self.base, *args], env=self.env, input=stdin, capture_output=True, timeout=120
        )
        if out.returncode:
            raise RuntimeError(f"podman {' '.join(args)}: {out.stderr.decode()[-500:]}")
        return out.stdout.decode()

    def image(self, ref: str, files: dict[str, str] | None = None, arch: str | None = None) -> None:
        """Import a busybox rootfs (plus files) as `ref`; its CMD sleeps."""
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            tar.add(BUSYBOX, arcname="bin/busybox")
            for link in ("sh", "sleep"):
                info = tarfile.TarInfo(f"bin/{link}")
                info.type, info.linkname = tarfile.SYMTYPE, "busybox"
                tar.addfile(info)
            for name, text in (files or {}).items():
                data = text.encode()
                info = tarfile.TarInfo(name.lstrip("/"))
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        changes = ["--change", 'CMD ["/bin/sleep","3600"]']
        if arch:
            changes += ["--arch", arch]
        self.podman("import", *changes, "-", ref, stdin=buf.getvalue())

    def client(self) -> Any:
        import docker

        return docker.DockerClient(base_url=self.url, timeout=30)


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Podman's API service for the whole session, stopped and cleaned up after."""
    if not shutil.which("podman") or not BUSYBOX.is_file():
        _unavailable("podman and /bin/busybox are needed for the docker collector tests")
    # A short path: unix socket paths are limited to ~108 bytes.
    root = Path(tmp_path_factory.mktemp("podman"))
    eng = Engine(root)
    (root / "containers.conf").write_text(CONF)
    proc = subprocess.Popen(
        [*eng.base, "system", "service", "--time=0", eng.url],
        env=eng.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not eng.sock.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode()[-500:] if proc.stderr else ""
                _unavailable(f"podman system service did not start: {err}")
            time.sleep(0.1)
        yield eng
    finally:
        try:
            eng.podman("rm", "--all", "--force", "--time", "0")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
