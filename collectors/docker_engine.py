"""`docker`: what actually runs, through the Docker Engine API (docker SDK, the `[docker]` extra).

Read-only by construction: list and inspect containers, inspect images, and — when `packages`
is on — read package metadata through the archive endpoint (a copy out of the container; no
exec, no pull, no start/stop). Per run: 1 version + 1 list + 1 inspect per container + 1 inspect
per distinct image (bench/docker_engine counts them); inspects run in a bounded pool. The pure
transform lives in `_docker_transform`.
"""

from __future__ import annotations

import fnmatch
import io
import os
import tarfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from parity.errors import CollectorError
from parity.model import Notice

from ._docker_transform import Running, parse_dist_metadata, parse_dpkg_status, transform
from .interface import BaseOptions, Collector, CollectorResult, Hints, hint_for

DEFAULT_HOST = "unix:///var/run/docker.sock"
PACKAGE_PATHS = [
    "/var/lib/dpkg/status",
    *(f"/usr/local/lib/python3.{m}/site-packages" for m in range(9, 15)),
    "/usr/lib/python3/dist-packages",
]


# Fragments of docker SDK / requests messages -> what to do (the first match wins).
_HINTS: Hints = (
    (("paramiko",), "ssh:// hosts need the SSH transport: pip install 'docker[ssh]'"),
    (
        ("permission denied",),
        "the user running parity cannot open {host}: add it to the docker group",
    ),
    (
        ("timed out", "timeout"),
        "the engine at {host} did not answer in time; raise [environments.{env}.docker] timeout",
    ),
    (("ssl", "tls", "certificate"), "check tls_ca_cert / tls_client_cert / tls_client_key"),
    (("",), "is the engine running at {host}? (DOCKER_HOST or [environments.{env}.docker] host)"),
)


class DockerConfig(BaseModel):
    """How one environment reaches its engine: `[environments.X.docker]`
    (PARITY_ENVIRONMENTS__<ENV>__DOCKER__<FIELD> overrides; DOCKER_HOST is the default host)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str | None = Field(
        default=None, description="unix://, tcp:// or ssh:// engine URL (default: DOCKER_HOST)."
    )
    tls_ca_cert: str | None = Field(default=None, description="CA bundle for tcp:// with TLS.")
    tls_client_cert: str | None = Field(default=None, description="Client certificate (PEM).")
    tls_client_key: str | None = Field(default=None, description="Client key (PEM).")
    timeout: float = Field(default=10.0, gt=0, le=300, description="Seconds per API call.")
    max_workers: int = Field(default=8, ge=1, le=64, description="Concurrent inspects.")


class DockerOptions(BaseOptions):
    """Which containers of the environment's engine to read."""

    labels: list[str] = Field(
        default_factory=list, description="Label filters (`key` or `key=value`), all must match."
    )
    names: list[str] = Field(default_factory=list, description="Container name globs.")
    compose_project: str | None = Field(default=None, description="Only this compose project.")
    packages: bool = Field(
        default=False, description="Read installed packages (dpkg, Python) from each image."
    )
    package_paths: list[str] = Field(default_factory=lambda: list(PACKAGE_PATHS))
    max_archive_mb: int = Field(default=64, ge=1, le=1024, description="Per archive read.")


class _Client:
    """The environment's cached docker client (one per environment, made when first used)."""

    def __init__(self, client: Any, host: str) -> None:
        self.client, self.host = client, host


class DockerCollector(Collector[DockerOptions]):
    """Running containers and their images, compared like any source."""

    type_name = "docker"
    Options = DockerOptions
    summary = "Running containers (Docker Engine API): image+digest, env, command, mounts, limits"
    requires_extra = "docker"
    requires_modules = ("docker",)

    def _config(self) -> DockerConfig:
        return self.ctx.connection_settings("docker", DockerConfig) or DockerConfig()

    def _host(self) -> str:
        return self._config().host or os.environ.get("DOCKER_HOST") or DEFAULT_HOST

    def location(self) -> str:
        return f"docker:{self._host()}"

    def _client(self) -> _Client:
        def make() -> _Client:
            import docker

            cfg = self._config()
            tls: Any = None
            if cfg.tls_client_cert or cfg.tls_ca_cert:
                tls = docker.tls.TLSConfig(
                    client_cert=(cfg.tls_client_cert, cfg.tls_client_key)
                    if cfg.tls_client_cert and cfg.tls_client_key
                    else None,
                    ca_cert=cfg.tls_ca_cert,
                    verify=cfg.tls_ca_cert or True,
                )
            host = self._host()
            return _Client(
                docker.DockerClient(base_url=host, timeout=int(cfg.timeout), tls=tls), host
            )

        return self.ctx.cache.get(_Client, make)

    def collect(self) -> CollectorResult:
        opts, api = self.options, self._client().client.api
        filters: dict[str, Any] = {"status": "running"}
        labels = list(opts.labels)
        if opts.compose_project:
            labels.append(f"com.docker.compose.project={opts.compose_project}")
        if labels:
            filters["label"] = labels
        listed = [
            c
            for c in api.containers(filters=filters)
            if not opts.names
            or any(
                fnmatch.fnmatchcase(n.lstrip("/"), g)
                for n in c.get("Names") or []
                for g in opts.names
            )
        ]
        workers = self._config().max_workers
        with ThreadPoolExecutor(max_workers=workers) as pool:
            inspected = list(pool.map(lambda c: api.inspect_container(c["Id"]), listed))
            image_ids = sorted({str(c["Image"]) for c in inspected})
            images = dict(zip(image_ids, pool.map(api.inspect_image, image_ids), strict=True))
        result = CollectorResult()
        packages: dict[str, tuple[tuple[str, str, str], ...]] = {}
        if opts.packages:
            for c in inspected:  # one container per distinct image
                if c["Image"] not in packages:
                    packages[c["Image"]] = self._packages(api, c, result)
        running = [Running(c, images[c["Image"]], packages.get(c["Image"], ())) for c in inspected]
        result.records = transform(running, self.scope, self.location(), self.ctx)
        if not running and (opts.labels or opts.names or opts.compose_project):
            result.notices.append(
                Notice(
                    code="nothing-matched",
                    subject=self.scope,
                    source=self.location(),
                    message=f"no running container on {self._host()} matched labels="
                    f"{labels} names={opts.names}",
                )
            )
        return result

    def _packages(
        self, api: Any, container: dict[str, Any], result: CollectorResult
    ) -> tuple[tuple[str, str, str], ...]:
        """Installed packages read through the archive endpoint, bounded in bytes; a bound
        that is hit makes the service partial (never a silently short package list)."""
        import docker

        name = str(container.get("Name", "")).lstrip("/")
        found: list[tuple[str, str, str]] = []
        cap = self.options.max_archive_mb * 1024 * 1024
        for path in self.options.package_paths:
            try:
                stream, _ = api.get_archive(container["Id"], path)
            except docker.errors.NotFound:
                continue
            try:
                for member, text in _tar_texts(stream, cap, _wanted_member):
                    if member.endswith("/status"):
                        found += [("deb", n, v) for n, v in parse_dpkg_status(text)]
                    elif (parsed := parse_dist_metadata(text)) is not None:
                        found.append(("pypi", *parsed))
            except _TooLarge:
                result.partial.append(
                    (
                        f"{self.scope}/{name}",
                        CollectorError(
                            f"{path} in container {name} is over {self.options.max_archive_mb} MB",
                            hint="raise max_archive_mb, or narrow package_paths",
                        ),
                    )
                )
        return tuple(found)

    def translate_error(self, error: Exception) -> CollectorError | None:
        import docker
        import requests

        if not isinstance(
            error, docker.errors.DockerException | requests.RequestException | OSError
        ):
            return None
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        host = self._host()
        hint = hint_for(text, _HINTS, host=host, env=self.ctx.environment)
        return CollectorError(f"docker engine {host}: {text}", hint=hint)


class _TooLarge(Exception):
    """An archive read went past its byte bound."""


class _Capped(io.RawIOBase):
    """The archive stream as a file, failing once more than `cap` bytes were read."""

    def __init__(self, chunks: Iterator[bytes], cap: int) -> None:
        self._chunks, self._cap, self._read, self._buf = chunks, cap, 0, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._read += len(chunk)
            if self._read > self._cap:
                raise _TooLarge
            self._buf = chunk
        n = min(len(b), len(self._buf))
        b[:n], self._buf = self._buf[:n], self._buf[n:]
        return n


def _wanted_member(name: str) -> bool:
    return name.endswith(".dist-info/METADATA") or name.endswith("dpkg/status") or name == "status"


def _tar_texts(chunks: Iterator[bytes], cap: int, wanted: Any) -> Iterator[tuple[str, str]]:
    """(member name, text) of the wanted members of a streamed tar, in one bounded pass."""
    with tarfile.open(fileobj=io.BufferedReader(_Capped(iter(chunks), cap)), mode="r|") as tar:
        for member in tar:
            if member.isfile() and wanted(member.name) and member.size < 4 * 1024 * 1024:
                fh = tar.extractfile(member)
                if fh is not None:
                    yield member.name, fh.read().decode("utf-8", "replace")
