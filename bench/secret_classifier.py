"""Precision and recall of the secret classifier on the labelled table, and its speed.

    python bench/secret_classifier.py

A "detected" secret is one whose secret part does not survive in the stored value; a "false
positive" is a plain value that was hidden or changed. The speed line classifies 1M typical
configuration pairs (the hot path of a large environment).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from parity.secrets.classify import classify

TABLE = Path(__file__).parent.parent / "tests" / "data" / "secrets" / "cases.tsv"


def main() -> None:
    tp = fp = fn = tn = 0
    misses: list[str] = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        label, key, value, part, _ = line.split("\t")
        value = value.replace("\\n", "\n").replace("\\\\", "\\")
        part = part.replace("\\n", "\n").replace("\\\\", "\\")
        verdict = classify(key, value)
        hidden = bool(verdict.secrets) and (verdict.value is None or part not in verdict.value)
        if label == "secret":
            tp, fn = tp + hidden, fn + (not hidden)
            if not hidden:
                misses.append(f"missed  {key}")
        else:
            changed = bool(verdict.secrets) or verdict.value != value
            fp, tn = fp + changed, tn + (not changed)
            if changed:
                misses.append(f"hidden  {key}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"cases: {tp + fn} secret, {fp + tn} plain")
    print(f"precision {precision:.3f}  recall {recall:.3f}  (tp {tp}, fp {fp}, fn {fn}, tn {tn})")
    for m in misses:
        print("  " + m)
    pairs = [(f"APP_SETTING_{i}", f"value-{i % 97}") for i in range(1_000_000)]
    t0 = time.perf_counter()
    for k, v in pairs:
        classify(k, v)
    print(f"1M plain pairs classified in {time.perf_counter() - t0:.2f} s")
    sys.exit(0)


if __name__ == "__main__":
    main()
