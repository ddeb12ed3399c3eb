"""The one secret classifier against a labelled table (tests/data/secrets/cases.tsv):
every secret part is kept out of the stored value, every plain value is stored unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity.secrets.classify import classify

TABLE = Path(__file__).parent.parent / "data" / "secrets" / "cases.tsv"


def _unescape(s: str) -> str:
    return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def cases() -> list[tuple[str, str, str, str]]:
    out = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        label, key, value, part, _note = line.split("\t")
        out.append((label, key, _unescape(value), _unescape(part)))
    return out


def test_the_table_is_large_enough() -> None:
    rows = cases()
    assert len(rows) >= 150
    assert sum(1 for r in rows if r[0] == "secret") >= 60


@pytest.mark.parametrize(("label", "key", "value", "part"), cases())
def test_classifier(label: str, key: str, value: str, part: str) -> None:
    verdict = classify(key, value)
    if label == "secret":
        assert verdict.secrets, f"{key}: secret not detected"
        assert verdict.value is None or part not in verdict.value, f"{key}: secret kept"
    else:
        assert verdict.secrets == () and verdict.value == value, f"{key}: plain value hidden"
