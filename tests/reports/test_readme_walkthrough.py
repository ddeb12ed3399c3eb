"""The README's walkthrough shows the golden report: its excerpt and the figures it quotes
are read from tests/reports/golden/sample_report.txt, so they cannot drift apart silently."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
GOLDEN = (ROOT / "tests/reports/golden/sample_report.txt").read_text().splitlines()


def _walkthrough() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Walkthrough of the sample")
    return readme[start : readme.index("\n## ", start + 1)]


def test_the_excerpt_is_the_golden_table_in_order() -> None:
    block = re.search(r"```\n(.*?)```", _walkthrough(), re.S)
    assert block
    shown = [line for line in block.group(1).splitlines() if line != "..."]
    at = 0
    for line in shown:
        assert line in GOLDEN[at:], f"README line not in the golden table (in order): {line!r}"
        at = GOLDEN.index(line, at) + 1
    assert shown[-1] == GOLDEN[-1]  # the verdict line, with its count


def test_quoted_figures_are_in_the_golden_table() -> None:
    flat = " ".join(" ".join(GOLDEN).split())
    quotes = re.findall(r'"([^"`]*\d[^"`]*)"', " ".join(_walkthrough().split()))
    assert quotes, "the walkthrough quotes no figure"
    for quote in quotes:
        assert quote in flat, f"README quotes {quote!r}, which the golden report does not say"
