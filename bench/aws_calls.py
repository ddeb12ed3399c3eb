"""AWS API efficiency: calls made per collector vs the pagination minimum, serial vs concurrent.

Seeds moto (a real HTTP server on loopback) with 1,000 SSM parameters, 100 ECS services and
200 Lambda functions, runs the collectors and prints, per collector, the calls made against
the minimum (ceil(n / max page size) per list/describe call, plus the per-item calls the data
needs), the ratio (target <= 1.1x), and wall time with max_workers=1 vs 8.

moto runs in this process, so without network latency concurrency cannot help (the server
competes for the same GIL). --latency-ms adds a sleep before each request is sent, modelling
the round trip to a real AWS endpoint, which is what the bounded pool overlaps.
Run: python bench/aws_calls.py [--latency-ms 20]
"""

from __future__ import annotations

import io
import logging
import math
import os
import socket
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

N_PARAMS, N_SERVICES, N_FUNCTIONS = 1000, 100, 200
REGION = "eu-west-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(endpoint: str) -> None:
    import boto3

    s = boto3.Session(aws_access_key_id="bench", aws_secret_access_key="bench", region_name=REGION)
    ssm = s.client("ssm", endpoint_url=endpoint)
    for i in range(N_PARAMS):
        ssm.put_parameter(Name=f"/bench/app/KEY_{i:04d}", Type="String", Value=f"v{i}")
    ecs = s.client("ecs", endpoint_url=endpoint)
    ecs.create_cluster(clusterName="bench")
    for i in range(N_SERVICES):
        td = ecs.register_task_definition(
            family=f"svc-{i:03d}",
            containerDefinitions=[
                {
                    "name": "app",
                    "image": "nginx:1.25",
                    "memory": 256,
                    "environment": [{"name": "N", "value": str(i)}],
                }
            ],
        )["taskDefinition"]["taskDefinitionArn"]
        ecs.create_service(
            cluster="bench", serviceName=f"svc-{i:03d}", taskDefinition=td, desiredCount=1
        )
    role = s.client("iam", endpoint_url=endpoint).create_role(
        RoleName="bench", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(e, c):\n    return 1\n")
    lam = s.client("lambda", endpoint_url=endpoint)
    for i in range(N_FUNCTIONS):
        lam.create_function(
            FunctionName=f"fn-{i:03d}",
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": buf.getvalue()},
        )


MINIMUM = {
    "aws-ssm": math.ceil(N_PARAMS / 10),
    "aws-ecs": 1 + math.ceil(N_SERVICES / 100) + math.ceil(N_SERVICES / 10) + N_SERVICES,
    "aws-lambda": math.ceil(N_FUNCTIONS / 50) + N_FUNCTIONS,
}
OPTIONS: dict[str, dict[str, Any]] = {
    "aws-ssm": {"paths": ["/bench/app/"]},
    "aws-ecs": {},
    "aws-lambda": {},
}


def add_latency(seconds: float) -> None:
    """Sleep before every request parity sends (not the seeding's)."""
    from parity.collectors.aws.base import AwsSession

    original = AwsSession.client

    def client(self: AwsSession, service: str, region: str, recorder: Any) -> Any:
        c = original(self, service, region, recorder)
        c.meta.events.register("before-send", lambda **_: time.sleep(seconds))
        return c

    AwsSession.client = client  # type: ignore[method-assign]


def run(endpoint: str, type_name: str, workers: int) -> tuple[int, float, int]:
    from parity.collectors import COLLECTORS
    from parity.collectors.aws.config import AwsConfig
    from parity.collectors.interface import CollectContext

    cls = COLLECTORS[type_name]
    cfg = AwsConfig(endpoint_url=endpoint, regions=[REGION], max_workers=workers)
    ctx = CollectContext("bench", Path("."), connections={"aws": cfg})
    c = cls(cls.Options(**OPTIONS[type_name]), ctx)
    t = time.perf_counter()
    result = c.run()
    return len(c.recorder.calls), time.perf_counter() - t, len(result.records)


def main() -> None:
    import argparse

    from moto.server import ThreadedMotoServer

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    args = ap.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_EC2_METADATA_DISABLED="true",
        PARITY_FINGERPRINT_KEY="bench",
    )
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        t = time.perf_counter()
        seed(endpoint)
        print(
            f"seeded moto in {time.perf_counter() - t:.1f} s: {N_PARAMS} SSM parameters, "
            f"{N_SERVICES} ECS services, {N_FUNCTIONS} Lambda functions",
            file=sys.stderr,
        )
        for latency in (0.0, args.latency_ms / 1000):
            if latency:
                add_latency(latency)
            print(f"\nsimulated round trip {latency * 1000:.0f} ms per request")
            print(
                f"{'collector':<11} {'calls':>6} {'minimum':>8} {'ratio':>6} {'records':>8} "
                f"{'serial s':>9} {'8 workers s':>12} {'speed-up':>9}"
            )
            for type_name, minimum in MINIMUM.items():
                calls, serial, records = run(endpoint, type_name, 1)
                calls8, concurrent, _ = run(endpoint, type_name, 8)
                assert calls == calls8, "call count must not depend on concurrency"
                print(
                    f"{type_name:<11} {calls:>6} {minimum:>8} {calls / minimum:>5.2f}x "
                    f"{records:>8} {serial:>9.2f} {concurrent:>12.2f} "
                    f"{serial / concurrent:>8.1f}x"
                )
        print("target: ratio <= 1.10x (moto ignores Lambda's MaxItems and returns one page)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
