"""The pure part of the `docker` collector on canned Engine API inspect documents."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from parity.collectors._docker_transform import (
    Running,
    parse_dist_metadata,
    parse_dpkg_status,
    transform,
)
from parity.collectors.docker_engine import _tar_texts, _TooLarge
from parity.collectors.interface import CollectContext
from parity.model import ConfigEntry, Image

from conftest import report_for, rules_hit, snap

DATA = Path(__file__).parent.parent / "data" / "docker"


def web() -> Running:
    raw = json.loads((DATA / "inspect_web.json").read_text())
    return Running(raw["container"], raw["image"], (("pypi", "flask", "3.0.3"),))


def records() -> list[object]:
    return list(
        transform(
            [web()], "docker", "docker:unix:///run/docker.sock", CollectContext("p", Path("."))
        )
    )


def test_transform_aligns_with_compose_and_keeps_secrets_out() -> None:
    out = records()
    (image,) = [r for r in out if isinstance(r, Image)]
    assert (image.workload, image.container, image.repository, image.tag) == (
        "docker/web",
        "web",
        "registry.example.io/shop/web",
        "1.4.0",
    )
    assert image.digest == "sha256:98b419f246060f6ae399386bbed4c9aa2c45aa656e9a00b340589c77e3775dff"
    cfg = {r.key: r for r in out if isinstance(r, ConfigEntry)}
    assert "HOSTNAME" not in cfg  # the engine's container id
    assert cfg["DATABASE_URL"].fingerprint and "canary-pw-Zk28" not in repr(out)
    assert cfg["mounts./var/cache"].value == "volume (anonymous)"
    assert cfg["mounts./app/uploads"].value == "volume:shop_uploads"
    assert cfg["mounts./app/config"].value == "bind"  # the host path is not drift
    assert cfg["ports"].structured == ["80:8000/tcp"]
    assert (cfg["memory_limit"].value, cfg["cpu_limit"].value) == ("512Mi", "1.5")
    assert (cfg["user"].value, cfg["healthcheck"].value) == ("root", "none")
    assert cfg["labels.team"].value == "checkout"
    assert not any(k.startswith("labels.com.docker.compose") for k in cfg)
    assert cfg["image.platform"].value == "linux/amd64"


def test_running_dev_server_in_production_is_unsafe() -> None:
    out = records()
    report = report_for(snap("production", *out))
    assert ("production", "config:docker/web:command") in rules_hit(report, "unsafe-prod-value")


def test_package_metadata_parsers() -> None:
    meta = "Metadata-Version: 2.1\nName: Zope.Interface\nVersion: 6.1\n\nLong description\n"
    assert parse_dist_metadata(meta) == ("zope-interface", "6.1")
    assert parse_dist_metadata("Name: x\n") is None
    status = (
        "Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1\n"
        " multi-line description\n\n"
        "Package: removed\nStatus: deinstall ok config-files\nVersion: 1\n"
    )
    assert parse_dpkg_status(status) == [("openssl", "3.0.11-1")]


def tar_of(files: dict[str, bytes]) -> list[bytes]:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    return [raw[i : i + 1000] for i in range(0, len(raw), 1000)]


def test_archive_reads_are_bounded() -> None:
    files = {
        "site-packages/a-1.0.dist-info/METADATA": b"Name: a\nVersion: 1.0\n",
        "site-packages/big.bin": b"x" * 50_000,
    }
    wanted = lambda n: n.endswith("METADATA")  # noqa: E731
    got = list(_tar_texts(iter(tar_of(files)), 1_000_000, wanted))
    assert got == [("site-packages/a-1.0.dist-info/METADATA", "Name: a\nVersion: 1.0\n")]
    with pytest.raises(_TooLarge):
        list(_tar_texts(iter(tar_of(files)), 10_000, wanted))
