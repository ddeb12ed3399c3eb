"""Docker collector against a real engine: N running containers, serial vs bounded-concurrent.

Starts Podman's Docker-compatible API service in a temporary directory (as the tests do, see
tests/docker_env.py), runs N busybox sleepers (default 200) under one compose project label,
then collects them with max_workers=1 and max_workers=8 and prints wall time and API calls per
container (target: 1 list + 1 inspect per container + 1 inspect per distinct image, plus the
one version call). Everything is removed afterwards.
Run: python bench/docker_engine.py [--containers 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> None:
    import subprocess

    import requests
    from docker_env import CONF, Engine

    from parity.collectors.docker_engine import DockerCollector, DockerConfig, DockerOptions
    from parity.collectors.interface import CollectContext

    ap = argparse.ArgumentParser()
    ap.add_argument("--containers", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="pd", dir="/tmp"))
    eng = Engine(root)
    (root / "containers.conf").write_text(CONF)
    proc = subprocess.Popen([*eng.base, "system", "service", "--time=0", eng.url], env=eng.env)
    try:
        while not eng.sock.exists():
            time.sleep(0.1)
        eng.image("localhost/bench-sleeper:1.0")
        client = eng.client()
        t0 = time.perf_counter()
        for i in range(args.containers):
            client.containers.run(
                "localhost/bench-sleeper:1.0",
                detach=True,
                name=f"bench-svc{i}-1",
                labels={
                    "com.docker.compose.project": "bench",
                    "com.docker.compose.service": f"svc{i}",
                },
                environment={"INDEX": str(i)},
            )
        print(f"started {args.containers} containers in {time.perf_counter() - t0:.1f} s")

        calls: Counter[str] = Counter()
        send = requests.Session.send

        def counting(self: Any, request: Any, **kw: Any) -> Any:
            path = request.path_url.split("?")[0].split("/", 2)[-1]
            kind = "containers/json" if path == "containers/json" else path.split("/")[0] + "/{id}"
            calls[f"{request.method} {kind}"] += 1
            return send(self, request, **kw)

        requests.Session.send = counting  # type: ignore[method-assign]
        for workers in (1, 8):
            times = []
            for _ in range(args.repeat):
                calls.clear()
                cfg = DockerConfig(host=eng.url, max_workers=workers)
                ctx = CollectContext("bench", Path("."), connections={"docker": cfg})
                t0 = time.perf_counter()
                result = DockerCollector(DockerOptions(compose_project="bench"), ctx).run()
                times.append(time.perf_counter() - t0)
            n_images = sum(1 for r in result.records if type(r).__name__ == "Image")
            print(
                f"max_workers={workers}: {statistics.median(times):.2f} s median of {args.repeat}"
                f" ({n_images} services); calls: {dict(calls)}"
            )
        per = (sum(calls.values()) - 1) / args.containers
        print(f"API calls per container (excluding the version call): {per:.3f}")
        requests.Session.send = send  # type: ignore[method-assign]
        client.close()
    finally:
        eng.podman("rm", "--all", "--force", "--time", "0")
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
