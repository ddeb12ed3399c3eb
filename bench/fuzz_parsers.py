"""A longer fuzz run of every parser than the test suite's (hypothesis, same properties).

    python bench/fuzz_parsers.py [EXAMPLES]   # default 3000 per parser

Prints, per parser, the examples run; an escaping non-parity exception stops the run with
hypothesis's minimal failing input.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent / "tests" / "core"))

from hypothesis import HealthCheck, given, settings
from test_fuzz_parsers import PARSERS, TEXT, _only_our_errors


def _fuzz(parse: Callable[[str], Any], examples: int) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(text=TEXT)
    def run(text: str) -> None:
        _only_our_errors(parse, text)

    run()  # an escaping exception is the finding: hypothesis prints the minimal input


def main() -> None:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    for name, parse in PARSERS.items():
        started = time.perf_counter()
        _fuzz(parse, examples)
        took = time.perf_counter() - started
        print(f"{name:<14} {examples:>6} examples  {took:6.1f} s  ok")


if __name__ == "__main__":
    main()
