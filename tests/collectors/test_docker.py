"""The `docker` collector against a real Docker-API engine (Podman's service, see docker_env)."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docker_env import Engine

from conftest import cli

SECRET = "canary-dkr-Q8z1x7Lm3pV9"
PY_META = "Metadata-Version: 2.1\nName: Requests\nVersion: {v}\n\nbody\n"
DPKG = "Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1\n\n"
SITE = "/usr/local/lib/python3.11/site-packages"


@pytest.fixture(scope="module")
def shop(engine: Engine) -> Iterator[Engine]:
    """production and staging of one shop, told apart by their compose project label."""
    for version, req in (("1.4.0", "2.32.3"), ("1.3.9", "2.31.0")):
        engine.image(
            f"localhost/shop-web:{version}",
            {
                f"{SITE}/requests-{req}.dist-info/METADATA": PY_META.format(v=req),
                "/var/lib/dpkg/status": DPKG,
            },
        )
    engine.image("localhost/shop-worker:2.0")
    engine.image("localhost/shop-worker-arm:2.0", arch="arm64")
    client = engine.client()

    def run(project: str, service: str, image: str, **kw: Any) -> None:
        client.containers.run(
            image,
            detach=True,
            name=f"{project}-{service}-1",
            labels={
                "com.docker.compose.project": project,
                "com.docker.compose.service": service,
                "team": "shop",
            },
            **kw,
        )

    run(
        "shop-prod",
        "web",
        "localhost/shop-web:1.4.0",
        environment={"DEBUG": "false", "SECRET_KEY": SECRET, "WORKERS": "4"},
        restart_policy={"Name": "always"},
        volumes={"shop-uploads": {"bind": "/app/uploads", "mode": "rw"}},
        mem_limit="256m",
    )
    run("shop-prod", "worker", "localhost/shop-worker:2.0", environment={"QUEUE": "orders"})
    run(
        "shop-staging",
        "web",
        "localhost/shop-web:1.3.9",
        environment={"DEBUG": "true", "SECRET_KEY": SECRET, "WORKERS": "4"},
        restart_policy={"Name": "always"},
    )
    run(
        "shop-staging",
        "worker",
        "localhost/shop-worker-arm:2.0",
        environment={"QUEUE": "orders"},
    )
    client.close()
    yield engine


def project(tree: Any, eng: Engine, staging_filter: str = "shop-staging", **opts: Any) -> Path:
    extra = "".join(f", {k} = {json.dumps(v)}" for k, v in opts.items())
    compose = """
    services:
      web:
        image: localhost/shop-web:1.4.0
    """
    return (
        tree(
            {
                "parity.toml": f"""
            reference = "production"
            [environments.production]
            sources = [
              {{ type = "docker", name = "running", compose_project = "shop-prod"{extra} }},
              {{ type = "compose", path = "compose.yaml" }},
            ]
            [environments.production.docker]
            host = "{eng.url}"
            [environments.staging]
            sources = [
              {{ type = "docker", name = "running", compose_project = "{staging_filter}"{extra} }},
              {{ type = "compose", path = "compose.yaml" }},
            ]
            [environments.staging.docker]
            host = "{eng.url}"
            """,
                "compose.yaml": compose,
            }
        )
        / "parity.toml"
    )


def check(config: Path, fmt: str = "json") -> Any:
    return cli("check", "-c", str(config), "-f", fmt)


EXPECTED = {
    ("declared-vs-running", "staging", "image:running/web:web#declared", "warning"),
    ("image-drift", "staging", "image:running/web:web", "warning"),
    ("image-drift", "staging", "image:running/worker:worker", "warning"),
    ("missing-key", "staging", "config:running/web:mounts./app/uploads", "warning"),
    ("secret-shared", "staging", "config:running/web:SECRET_KEY", "error"),
    ("value-drift", "staging", "config:running/web:DEBUG", "info"),
    ("capacity-drift", "staging", "capacity:running/web", "info"),
    ("value-drift", "staging", "config:running/worker:image.platform", "error"),
    ("version-mismatch", "staging", "dependency:running/web:pypi:requests", "warning"),
}


def test_end_to_end_against_the_engine(shop: Engine, tree: Any) -> None:
    r = check(project(tree, shop, packages=True))
    assert r.code == 1, r.err
    report = json.loads(r.out)
    assert report["complete"], report["errors"]
    got = {(f["rule"], f["environment"], f["subject"], f["severity"]) for f in report["findings"]}
    assert got == EXPECTED
    by = {f["subject"]: f for f in report["findings"]}
    assert (
        "in staging, but compose/web declares shop-web:1.4.0"
        in by["image:running/web:web#declared"]["message"]
    )
    assert by["config:running/worker:image.platform"]["actual"] == "linux/arm64"
    assert by["capacity:running/web"]["expected"] == "memory_limit=256Mi"
    assert by["config:running/web:mounts./app/uploads"]["expected"] == "volume:shop-uploads"
    assert by["dependency:running/web:pypi:requests"]["actual"] == "2.31.0"
    for fmt in ("table", "markdown", "junit", "github"):
        out = check(project(tree, shop, packages=True), fmt)
        assert SECRET not in out.out + out.err


def test_collection_is_read_only_and_bounded_in_calls(shop: Engine, monkeypatch: Any) -> None:
    import requests

    from parity.collectors.docker_engine import DockerCollector, DockerConfig, DockerOptions
    from parity.collectors.interface import CollectContext

    calls: list[tuple[str, str]] = []
    send = requests.Session.send

    def recording(self: Any, request: Any, **kw: Any) -> Any:
        calls.append((request.method, request.path_url.split("?")[0]))
        return send(self, request, **kw)

    monkeypatch.setattr(requests.Session, "send", recording)
    before = shop.podman("ps", "--all", "--format", "{{.Names}} {{.ID}} {{.Image}} {{.CreatedAt}}")
    ctx = CollectContext(
        "production", Path("."), connections={"docker": DockerConfig(host=shop.url)}
    )
    result = DockerCollector(DockerOptions(compose_project="shop-prod"), ctx).run()
    assert {r.workload for r in result.records if hasattr(r, "workload")} == {
        "docker/web",
        "docker/worker",
    }
    assert {m for m, _ in calls} == {"GET"}  # list and inspect only
    paths = [re.sub(r"^/v[\d.]+", "", p) for _, p in calls]
    assert paths.count("/containers/json") == 1
    assert sum(bool(re.fullmatch(r"/containers/[0-9a-f]{64}/json", p)) for p in paths) == 2
    assert sum(p.startswith("/images/") for p in paths) == 2  # one per distinct image
    assert len(calls) == 6, paths  # + the engine's version, asked once
    after = shop.podman("ps", "--all", "--format", "{{.Names}} {{.ID}} {{.Image}} {{.CreatedAt}}")
    assert after == before


def test_unreachable_engine_masks_the_running_services(
    shop: Engine, tree: Any, tmp_path: Path
) -> None:
    """Staging's engine cannot be reached: production's running services are not reported
    as workloads, images or keys staging lacks; only the failed source is."""
    config = project(tree, shop)
    text = config.read_text()
    cut = text.index("[environments.staging.docker]")
    down = f"unix://{tmp_path / 'no-engine.sock'}"
    config.write_text(text[:cut] + text[cut:].replace(shop.url, down))
    r = check(config)
    assert r.code == 3, r.err
    report = json.loads(r.out)
    assert {(f["rule"], f["environment"]) for f in report["findings"]} == {
        ("collector-failed", "staging")
    }


def test_nothing_matched_is_a_warning_not_a_pass(shop: Engine, tree: Any) -> None:
    r = check(project(tree, shop, staging_filter="no-such-project"))
    report = json.loads(r.out)
    hits = {(f["rule"], f["environment"]) for f in report["findings"]}
    assert ("nothing-matched", "staging") in hits


def one_engine(tree: Any, host: str, extra: str = "") -> Path:
    """A project with one environment reading one engine."""
    toml = f"""
    [environments.production]
    sources = [{{ type = "docker" }}]
    [environments.production.docker]
    host = "{host}"
    {extra}
    """
    return tree({"parity.toml": toml}) / "parity.toml"


def collection_error(config: Path) -> dict[str, Any]:
    """The one collection error of a run that must exit 3."""
    r = check(config)
    assert r.code == 3, r.err
    (err,) = json.loads(r.out)["errors"]
    return err  # type: ignore[no-any-return]


def test_engine_unreachable_is_exit_3_with_a_hint(tree: Any, tmp_path: Path) -> None:
    err = collection_error(one_engine(tree, f"unix://{tmp_path}/nothing-here.sock"))
    assert "nothing-here.sock" in err["message"] and "is the engine running" in err["hint"]


@pytest.fixture
def hanging_socket(tmp_path: Path) -> Iterator[Path]:
    """A unix socket that accepts connections and never answers."""
    path = tmp_path / "hang.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield path
    stop.set()
    t.join()
    for c in held:
        c.close()
    server.close()


def test_hanging_engine_times_out_with_exit_3(tree: Any, hanging_socket: Path) -> None:
    err = collection_error(one_engine(tree, f"unix://{hanging_socket}", "timeout = 1"))
    assert "did not answer in time" in err["hint"]


def test_host_comes_from_parity_env_vars_over_the_file(
    tree: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = one_engine(tree, "unix:///from-the-file.sock")
    monkeypatch.setenv("PARITY_ENVIRONMENTS__PRODUCTION__DOCKER__HOST", f"unix://{tmp_path}/e.sock")
    monkeypatch.setenv("DOCKER_HOST", "unix:///from-docker-host.sock")
    assert f"{tmp_path}/e.sock" in collection_error(config)["message"]
