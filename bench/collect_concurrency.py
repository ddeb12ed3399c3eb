"""Concurrent collection: 3 environments x (an AWS account on moto with injected latency, a
PostgreSQL database, a compose file), collected one source at a time (workers = 1) and
concurrently (workers = 8), against the slowest single environment collected alone.

Prints figures, asserts nothing. Target: concurrent <= 1.3x the slowest single environment.
moto runs as a server in its own process (a real HTTP endpoint on loopback, as AWS would be
elsewhere); --latency-ms adds a sleep before each AWS request, modelling the round trip to a
real endpoint, which is what concurrency overlaps. PostgreSQL is the machine's
(127.0.0.1:5432, trust auth).
Run: python bench/collect_concurrency.py [--latency-ms 20] [--params 300] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ENVS = ("production", "staging", "qa")
REGION = "eu-west-1"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"moto did not start on port {port}")


def seed_aws(endpoint: str, n: int) -> None:
    """One SSM tree per environment, `n` parameters each."""
    import boto3

    ssm = boto3.Session(
        aws_access_key_id="bench", aws_secret_access_key="bench", region_name=REGION
    ).client("ssm", endpoint_url=endpoint)
    for env in ENVS:
        for i in range(n):
            ssm.put_parameter(Name=f"/shop/{env}/key{i:04d}", Value=f"v{i}", Type="String")


def seed_pg() -> dict[str, str]:
    """A database per environment with a few tables."""
    import psycopg

    dsns = {}
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        for env in ENVS:
            name = f"parity_bench_{env}_{uuid.uuid4().hex[:8]}"
            admin.execute(f"CREATE DATABASE {name}")
            dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
            with psycopg.connect(dsn, autocommit=True) as c:
                for t in range(20):
                    c.execute(f"CREATE TABLE t{t} (id int primary key, v text)")
            dsns[env] = dsn
    return dsns


def drop_pg(dsns: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        for dsn in dsns.values():
            admin.execute(f"DROP DATABASE IF EXISTS {dsn.rsplit('/', 1)[1]} WITH (FORCE)")


def add_latency(seconds: float) -> None:
    """Every AWS client parity makes sleeps this long before each request is sent."""
    from parity.collectors.aws.base import AwsSession

    original = AwsSession.client

    def client(self: AwsSession, service: str, region: str, recorder: Any) -> Any:
        c = original(self, service, region, recorder)
        c.meta.events.register("before-send", lambda **_: time.sleep(seconds))
        return c

    AwsSession.client = client  # type: ignore[method-assign]


def project(root: Path, endpoint: str, dsns: dict[str, str]) -> Path:
    compose = "services:\n" + "".join(
        f"  svc{i}:\n    image: shop/svc{i}:1.{i}\n    environment: {{A: '1', B: '2'}}\n"
        for i in range(30)
    )
    lines = []
    for env in ENVS:
        (root / env).mkdir()
        (root / env / "compose.yaml").write_text(compose)
        lines += [
            f"[environments.{env}]",
            f'aws = {{ endpoint_url = "{endpoint}", regions = ["{REGION}"] }}',
            "sources = [",
            f'  {{ type = "aws-ssm", paths = ["/shop/{env}/"], name = "ssm" }},',
            f'  {{ type = "sql", dsn = "{dsns[env]}", name = "db" }},',
            f'  {{ type = "compose", path = "{env}/compose.yaml" }},',
            "]",
        ]
    (root / "parity.toml").write_text("\n".join(lines) + "\n")
    return root / "parity.toml"


def timed(config: Path, names: list[str], workers: int, runs: int, show: bool = False) -> float:
    from parity.app.collect import collect_environments
    from parity.settings import load_settings

    settings = load_settings(str(config))
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        snaps = collect_environments(
            settings, names, workers=workers, progress=print if show else None
        )
        times.append(time.perf_counter() - began)
        bad = [e.message for s in snaps.values() for e in s.errors]
        if bad:
            sys.exit(f"collection failed: {bad[0]}")
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--params", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("-v", "--verbose", action="store_true", help="each source's time, once")
    args = ap.parse_args()
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
        PARITY_FINGERPRINT_KEY="parity-bench-fingerprint-key",
    )
    port = free_port()
    server = subprocess.Popen(  # its own process: an endpoint elsewhere, not our GIL's work
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    _wait_for(port)
    dsns: dict[str, str] = {}
    try:
        seed_aws(endpoint, args.params)
        dsns = seed_pg()
        add_latency(args.latency_ms / 1000)
        with tempfile.TemporaryDirectory() as tmp:
            config = project(Path(tmp), endpoint, dsns)
            if args.verbose:
                timed(config, list(ENVS), 8, 1, show=True)
            singles = {env: timed(config, [env], 8, args.runs) for env in ENVS}
            serial = timed(config, list(ENVS), 1, args.runs)
            concurrent = timed(config, list(ENVS), 8, args.runs)
    finally:
        if dsns:
            drop_pg(dsns)
        server.terminate()
        server.wait(timeout=30)
    slowest = max(singles.values())
    print(
        f"3 environments x (aws-ssm {args.params} parameters at {args.latency_ms:g} ms per "
        f"request, PostgreSQL, compose), median of {args.runs}"
    )
    for env, t in singles.items():
        print(f"  {env:<11} alone          {t:6.2f} s")
    print(f"  all, one source at a time  {serial:6.2f} s")
    print(f"  all, concurrently          {concurrent:6.2f} s")
    ratio = concurrent / slowest
    verdict = "ok" if ratio <= 1.3 else "over"
    print(
        f"concurrent / slowest single environment = {ratio:.2f} (target <= 1.3: {verdict}); "
        f"serial / concurrent = {serial / concurrent:.1f}x"
    )


if __name__ == "__main__":
    main()
