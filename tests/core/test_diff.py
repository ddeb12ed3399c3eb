"""Diff engine: identity alignment, environment-name normalization, typo pairing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parity.align import typos
from parity.align.diff import align, build_index, find_typos
from parity.align.normalize import EnvNormalizer
from parity.align.typos import osa_within
from parity.model import ConfigEntry, Dependency, Kind
from parity.settings import DEFAULT_ALIASES

from conftest import snap


def c(key: str, value: str | None, scope: str = "env") -> ConfigEntry:
    return ConfigEntry(scope, key, value, f"{scope}:1", env_var=True)


def test_alignment_by_identity_within_scope() -> None:
    ref = build_index(snap("production", c("A", "1"), c("B", "2"), c("A", "9", scope="other")), [])
    env = build_index(
        snap("staging", c("A", "1"), c("C", "3"), Dependency("pypi", "x", "1", "r")), []
    )
    d = align(ref, env)
    assert [r.key for r in d.missing[Kind.CONFIG]] == ["B", "A"]  # scope env then other
    assert [r.key for r in d.extra[Kind.CONFIG]] == ["C"]
    assert d.changed[Kind.CONFIG] == []
    assert [r.key for r in d.extra[Kind.DEPENDENCY]] == ["x"]
    assert d.subjects[Kind.CONFIG] == 4


def test_ignore_globs_drop_records() -> None:
    idx = build_index(snap("production", c("TZ", "x"), c("A", "1")), ["TZ"])
    assert list(idx.groups[(Kind.CONFIG, "env")]) == ["A"]


def test_env_name_tokens_are_normalized_with_aliases() -> None:
    n = EnvNormalizer(["production", "staging"], DEFAULT_ALIASES)
    assert n.same("production", "db.prod.internal", "staging", "db.staging.internal")
    assert n.same("production", "bucket-prd-1", "staging", "bucket-stg-1")
    assert not n.same("production", "db.prod.internal", "staging", "db.prod.internal.x")
    assert n.foreign("staging", "https://api.prod.internal") == ("production", "prod")
    assert n.foreign("staging", "https://reproduce.example") is None  # token boundaries
    # glued on both sides where the name allows no separator (an Azure resource group)
    assert n.same("production", "lpgprod", "staging", "lpgstaging")
    assert not n.same("production", "lpgprod", "staging", "lpgstage2")
    assert not n.same("production", "prodx", "staging", "stagingy")


def test_typos_pair_one_to_one_and_respect_length() -> None:
    pairs = find_typos(["DATABASE_URL", "REDIS_URL", "FOO"], ["DATABSE_URL", "REDIS-URL", "BAR"])
    assert pairs == [("DATABASE_URL", "DATABSE_URL"), ("REDIS_URL", "REDIS-URL")]


def test_typos_scale_without_all_pairs() -> None:
    missing = [f"KEY_{i:05d}_NAME" for i in range(3000)]
    extra = [f"KEY_{i:05d}_NAEM" for i in range(0, 3000, 3)] + [f"OTHER_{i}" for i in range(3000)]
    pairs = find_typos(missing, extra)
    assert len(pairs) == 1000
    assert ("KEY_00003_NAME", "KEY_00003_NAEM") in pairs


def test_typo_pair_replaces_missing_pair() -> None:
    ref = build_index(snap("production", c("DATABASE_URL", "x")), [])
    env = build_index(snap("staging", c("DATABSE_URL", "x")), [])
    d = align(ref, env)
    assert [(a.key, b.key) for a, b in d.typos] == [("DATABASE_URL", "DATABSE_URL")]
    assert d.missing[Kind.CONFIG] == [] and d.extra[Kind.CONFIG] == []


def test_no_typo_between_keys_differing_only_in_numbers() -> None:
    missing = ["apps.23.name", "worker", "node1", "SHARD_01_HOST"]
    extra = ["apps.24.name", "worker1", "node2", "SHARD_02_HOST"]
    assert find_typos(missing, extra) == []


def test_no_typo_when_the_edit_replaces_a_whole_short_word() -> None:
    missing = ["flags.a", "SERVICE_A_URL", "hosts.ab"]
    extra = ["flags.b", "SERVICE_B_URL", "hosts.ba"]
    assert find_typos(missing, extra) == []  # two things named, not one misspelt
    assert find_typos(["API_KEY"], ["API_KYE"]) == [("API_KEY", "API_KYE")]


def test_no_typo_for_short_keys_or_keys_set_in_both_environments() -> None:
    assert find_typos(["AB_C"], ["AB_D"]) == []  # too short to call it a typo
    taken = frozenset({"DATABSE_URL"})  # the reference sets it too: both are meant
    assert find_typos(["DATABASE_URL"], ["DATABSE_URL"], 2, taken) == []
    assert find_typos(["DATABASE_URL"], ["DATABSE_URL"]) == [("DATABASE_URL", "DATABSE_URL")]


def test_typo_search_uses_the_matrix_path_for_large_inputs() -> None:
    missing = [f"SERVICE_{w}_ENDPOINT" for w in _words(800)]
    extra = [m.replace("ENDPOINT", "ENDPIONT") for m in missing[:5]] + [
        f"OTHER_{w}_SETTING" for w in _words(800, seed=2)
    ]
    pairs = find_typos(missing, extra)  # 805 x 800 candidates: above the per-key threshold
    assert sorted(x for _, x in pairs) == sorted(extra[:5])


def _words(n: int, seed: int = 1) -> list[str]:
    import random
    import string

    rng = random.Random(seed)
    return sorted({"".join(rng.choices(string.ascii_uppercase, k=6)) for _ in range(n)})


@settings(max_examples=400, deadline=None)
@given(
    st.text("abcAB_.", max_size=14),
    st.text("abcAB_.", max_size=14),
    st.integers(min_value=0, max_value=3),
)
def test_python_osa_agrees_with_rapidfuzz(a: str, b: str, k: int) -> None:
    from rapidfuzz.distance import OSA

    assert osa_within(a, b, k) == OSA.distance(a, b, score_cutoff=k)


def test_small_and_large_searches_pair_the_same_keys(monkeypatch) -> None:
    missing = ["DATABASE_URL", "REDIS_URL", "API_KEY", "SERVICE_A_URL", "CACHE_TTL", "LOG_LEVEL"]
    extra = ["DATABSE_URL", "REDIS-URL", "API_KYE", "SERVICE_B_URL", "CAHCE_TTL", "LOGLEVEL"]
    small = find_typos(missing, extra)  # 36 pairs: compared in Python, rapidfuzz not needed
    monkeypatch.setattr(typos, "_PYTHON_PAIRS", 0)
    assert find_typos(missing, extra) == small
    assert ("CACHE_TTL", "CAHCE_TTL") in small and ("API_KEY", "API_KYE") in small
