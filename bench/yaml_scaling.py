"""YAML sources at scale: config-file and k8s pairs of N leaves against a .env pair of N keys.

Writes three projects (production + staging, ~1% drift) of the same size and times
`parity check -f json` end to end on each (median of --repeat runs, peak RSS of the last);
target: YAML sources within 3x the .env pair. libyaml (PyYAML's CSafeLoader) parses; the
Python loader is used only for redefined anchors.
Run: python bench/yaml_scaling.py [--leaves 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
from pathlib import Path

from diff_scaling import timed_check

TOML = (
    "[environments.production]\nsources = [{{type='{t}', path='production.{ext}', name='app'}}]\n"
    "[environments.staging]\nsources = [{{type='{t}', path='staging.{ext}', name='app'}}]\n"
)


def values(n: int, env: str) -> list[tuple[int, str]]:
    return [
        (i, f"v{i}-changed" if env == "staging" and i % 100 == 0 else f"v{i}") for i in range(n)
    ]


def write_env(root: Path, n: int) -> None:
    for env in ("production", "staging"):
        text = "".join(f"KEY_{i:07d}={v}\n" for i, v in values(n, env))
        (root / f"{env}.env").write_text(text)
    (root / "parity.toml").write_text(TOML.format(t="dotenv", ext="env"))


def write_config(root: Path, n: int) -> None:
    for env in ("production", "staging"):
        lines = []
        for i, v in values(n, env):
            if i % 100 == 0:
                lines.append(f"section{i // 100:05d}:")
            lines.append(f"  key{i:07d}: {v}")
        (root / f"{env}.yaml").write_text("\n".join(lines) + "\n")
    (root / "parity.toml").write_text(TOML.format(t="config-file", ext="yaml"))


def write_k8s(root: Path, n: int) -> None:
    for env in ("production", "staging"):
        docs = []
        for i, v in values(n, env):
            if i % 100 == 0:
                head = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                docs.append(f"{head}  name: cm{i // 100:05d}\ndata:")
            docs.append(f'  key{i:07d}: "{v}"')
        (root / f"{env}.yaml").write_text("\n".join(docs) + "\n")
    (root / "parity.toml").write_text(TOML.format(t="k8s", ext="yaml"))


def run(root: Path, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        wall, proc = timed_check(root / "parity.toml")
        times.append(wall)
        if proc.returncode != 0:
            raise SystemExit(f"{root}: exit {proc.returncode}: {proc.stderr[-500:]}")
    return statistics.median(times), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leaves", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as d:
        for name, writer in (
            ("dotenv", write_env),
            ("config-file", write_config),
            ("k8s", write_k8s),
        ):
            root = Path(d) / name
            root.mkdir()
            writer(root, args.leaves)
            results[name] = run(root, args.repeat)
    base = results["dotenv"][0]
    print(f"{'source':12} {'median s':>9} {'vs .env':>8}   (N = {args.leaves:,} leaves per env)")
    for name, (secs, _peak) in results.items():
        print(f"{name:12} {secs:9.2f} {secs / base:7.2f}x")
    print("target: YAML sources within 3x the .env pair")


if __name__ == "__main__":
    main()
