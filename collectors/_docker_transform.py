"""Pure part of the `docker` collector: Engine API inspect JSON -> records.

Unit-tested on canned inspect documents (tests/data/docker/); `docker_engine` does the API
calls. Records use the compose collector's scope shape (`<source>/<service>`, container key =
service) so a running service aligns with the same service in other environments, and
`declared-vs-running` can pair it with what compose or k8s declare.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.parser import HeaderParser
from typing import TYPE_CHECKING, Any

from parity.align.imageref import parse_image_ref
from parity.model import Dependency, Image, Record

if TYPE_CHECKING:
    from .interface import CollectContext

SERVICE_LABELS = ("com.docker.compose.service", "io.podman.compose.service")
# Labels an engine or orchestrator writes for its own bookkeeping: never configuration.
_BOOKKEEPING = ("com.docker.compose.", "io.podman.", "PODMAN_", "org.opencontainers.image.")
_ANONYMOUS = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Running:
    """One inspected container, its image's inspect document and the packages read from it."""

    container: Mapping[str, Any]
    image: Mapping[str, Any]
    packages: tuple[tuple[str, str, str], ...] = field(default=())  # (ecosystem, name, version)

    @property
    def name(self) -> str:
        return str(self.container.get("Name", "")).lstrip("/")

    @property
    def labels(self) -> dict[str, str]:
        return dict((self.container.get("Config") or {}).get("Labels") or {})

    @property
    def service(self) -> str:
        """The compose service label, else the container name without a replica suffix."""
        labels = self.labels
        for key in SERVICE_LABELS:
            if labels.get(key):
                return labels[key]
        return re.sub(r"[-_]\d+$", "", self.name) or self.name


def _digest(configured: str, repo: str, image: Mapping[str, Any]) -> str | None:
    """The digest the running image is known by in `repo` (same tag, moved digest is visible)."""
    _, _, pinned = parse_image_ref(configured)
    if pinned:
        return pinned
    for rd in image.get("RepoDigests") or []:
        name, _, digest = str(rd).partition("@")
        if name == repo or name.rsplit("/", 1)[-1] == repo.rsplit("/", 1)[-1]:
            return digest
    return None


def _mount(m: Mapping[str, Any]) -> str:
    kind = str(m.get("Type", "?"))
    if kind == "volume":
        name = str(m.get("Name") or "")
        return "volume (anonymous)" if not name or _ANONYMOUS.match(name) else f"volume:{name}"
    return kind  # bind, tmpfs: the host path is the host's business, not drift


def _bytes(n: int) -> str:
    """`256Mi` rather than 268435456; 0 is the engine's "no limit"."""
    if not n:
        return "unlimited"
    for unit, size in (("Gi", 1024**3), ("Mi", 1024**2), ("Ki", 1024)):
        if n % size == 0:
            return f"{n // size}{unit}"
    return str(n)


def _ports(host_config: Mapping[str, Any]) -> list[str]:
    out = []
    for container_port, bindings in (host_config.get("PortBindings") or {}).items():
        for b in bindings or [{}]:
            host = b.get("HostPort") or ""
            out.append(f"{host}:{container_port}" if host else str(container_port))
    return sorted(out)


def transform(
    running: Iterable[Running], scope: str, location: str, ctx: CollectContext
) -> list[Record]:
    """Records for the containers of one engine, one set per service (replicas counted)."""
    by_service: dict[str, list[Running]] = {}
    for r in sorted(running, key=lambda r: r.name):
        by_service.setdefault(r.service, []).append(r)
    out: list[Record] = []
    for service, replicas in sorted(by_service.items()):
        out += _service(replicas, f"{scope}/{service}", service, location, ctx)
    return out


def _service(
    replicas: list[Running], workload: str, service: str, location: str, ctx: CollectContext
) -> list[Record]:
    r = replicas[0]
    config = r.container.get("Config") or {}
    host = r.container.get("HostConfig") or {}
    where = f"{location}#{r.name}"
    configured = str(config.get("Image") or r.image.get("Id", ""))
    repo, tag, _ = parse_image_ref(configured)
    out: list[Record] = [
        Image(workload, service, repo, tag, _digest(configured, repo, r.image), where)
    ]
    values: list[tuple[str, Any, bool]] = []
    for item in config.get("Env") or []:
        k, _, v = str(item).partition("=")
        if k == "HOSTNAME" and v == config.get("Hostname"):
            continue  # the engine's own: the container id, different in every run
        values.append((k, v, True))
    for key, api in (("command", "Cmd"), ("entrypoint", "Entrypoint")):
        value = config.get(api)
        if value:
            text = shlex.join(map(str, value)) if isinstance(value, list) else str(value)
            values.append((key, text, False))
    check = (config.get("Healthcheck") or {}).get("Test") or []
    nano = host.get("NanoCpus") or 0
    values += [
        ("user", config.get("User") or "root", False),
        ("restart_policy", (host.get("RestartPolicy") or {}).get("Name") or "no", False),
        ("healthcheck", "none" if not check or check[0] == "NONE" else "configured", False),
        ("memory_limit", _bytes(host.get("Memory") or 0), False),
        ("cpu_limit", f"{nano / 1e9:g}" if nano else "unlimited", False),
        ("replicas", str(len(replicas)), False),
        ("image.platform", f"{r.image.get('Os', '?')}/{r.image.get('Architecture', '?')}", False),
    ]
    values += [
        (f"mounts.{m.get('Destination')}", _mount(m), False)
        for m in r.container.get("Mounts") or []
    ]
    ports = _ports(host)
    if ports:
        values.append(("ports", ports, False))
    values += [
        (f"labels.{k}", v, False)
        for k, v in sorted(r.labels.items())
        if not k.startswith(_BOOKKEEPING)
    ]
    out += [ctx.config_entry(workload, k, v, where, env_var=e) for k, v, e in values]
    for ecosystem, name, version in sorted(set(r.packages)):
        out.append(Dependency(f"{workload}:{ecosystem}", name, version, where))
    return out


def parse_dist_metadata(text: str) -> tuple[str, str] | None:
    """(normalized name, version) from a `*.dist-info/METADATA` file's headers."""
    headers = HeaderParser().parsestr(text, headersonly=True)
    name, version = headers.get("Name"), headers.get("Version")
    if not name or not version:
        return None
    return re.sub(r"[-_.]+", "-", name).lower(), version.strip()


def parse_dpkg_status(text: str) -> list[tuple[str, str]]:
    """(package, version) of every installed package in a dpkg status file."""
    out = []
    for para in text.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in para.splitlines() if ": " in line and line[:1] != " "
        )
        if fields.get("Status", "").endswith(" installed") and "Package" in fields:
            out.append((fields["Package"], fields.get("Version", "")))
    return out
