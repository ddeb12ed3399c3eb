"""Test helpers: a fixed fingerprint key, a clean PARITY_* environment, and small builders."""

from __future__ import annotations

import contextlib
import io
import os
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docker_env import engine  # noqa: F401  (session fixture: Podman's API service)

from parity.cli import run
from parity.model import ConfigEntry, Image, Snapshot

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parent.parent / "sample_envs"
TEST_KEY = "parity-test-fingerprint-key"
FP = "hmac-sha256:abcd1234:" + "0" * 32  # a well-formed fingerprint for rule tests


def c(key: str, value: str | None, scope: str = "env", **kw: object) -> ConfigEntry:
    """A config entry set as an environment variable (rule tests)."""
    return ConfigEntry(scope, key, value, f"{scope}:1", env_var=True, **kw)  # type: ignore[arg-type]


def img(tag: str | None, digest: str | None = None, repo: str = "acme/web") -> Image:
    """The `web` container's image (rule tests)."""
    return Image("k8s/Deployment/web", "web", repo, tag, digest, "app.yaml")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's PARITY_* settings or write their key file."""
    for name in list(os.environ):
        if name.startswith("PARITY_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY", TEST_KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create files (dedented) under root; returns root."""
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a project tree (parity.toml and sources) into a temp dir."""
    return lambda files: write_tree(tmp_path / "proj", files)


def snap(env: str, *records: object, **kw: object) -> Snapshot:
    """A snapshot built from records, for rule tests that need no files."""
    return Snapshot(
        environment=env,
        collected_at=datetime(2026, 1, 1, tzinfo=UTC),
        parity_version="test",
        records=tuple(records),
        **kw,
    )


class Run:
    """Result of a CLI run: exit code, stdout, stderr."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def cli(*args: str) -> Run:
    """Run the CLI in-process with separate stdout/stderr (neither is a terminal)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def report_for(*snapshots: Snapshot, policy: dict | None = None, reference: str = "production"):
    """Evaluate snapshots (no files) under the default pack plus an optional override dict."""
    from parity.app.pipeline import build_report
    from parity.policies import default_policy, merge
    from parity.policies.model import PolicyOverride
    from parity.settings import Settings

    pol = default_policy()
    if policy:
        pol = merge(pol, PolicyOverride.model_validate(policy), "test-policy")
    return build_report(
        {s.environment: s for s in snapshots},
        Settings(),
        reference,
        policy=pol,
        now=datetime(2026, 6, 1, tzinfo=UTC),
    )


def rules_hit(report, rule: str) -> list[tuple[str, str]]:
    """(environment, subject) of each finding of one rule."""
    return [(f.environment, f.subject) for f in report.findings if f.rule == rule]


@pytest.fixture(scope="session")
def moto_endpoint() -> str:
    """moto running as a real HTTP server on loopback, seeded once (collectors only read)."""
    from aws_env import free_port, seed
    from moto.server import ThreadedMotoServer

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    os.environ["AWS_ACCESS_KEY_ID"] = os.environ["AWS_SECRET_ACCESS_KEY"] = "seed"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        seed(endpoint)
        yield endpoint  # type: ignore[misc]
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def aws_creds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake base credentials only; never the developer's config, never instance metadata."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
