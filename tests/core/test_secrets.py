"""Secret detection and keyed fingerprints."""

from __future__ import annotations

import os
import stat

import pytest

from parity.secrets.guard import (
    Fingerprinter,
    SecretGuard,
    is_secret_key,
    is_secret_value,
    key_id_of,
    load_fingerprinter,
)


@pytest.mark.parametrize(
    "key",
    [
        "DB_PASSWORD",
        "api_key",
        "STRIPE_SECRET",
        "GITHUB_TOKEN",
        "database.password",
        "PRIVATE_KEY",
        "SENTRY_DSN",
        "aws_secret_access_key",
    ],
)
def test_secret_keys(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize(
    "key", ["DB_PASSWORD_FILE", "TOKEN_TTL", "SECRET_ARN", "LOG_LEVEL", "AUTHOR", "HOST"]
)
def test_not_secret_keys(key: str) -> None:
    assert not is_secret_key(key)


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_abcdefghijklmnopqrstuvwxyz0123",
        "sk_live_abc123",
        "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc",
        "q8Zr2Lw9Xk3Vn7Tp5Ys1Ub4",
    ],
)
def test_secret_values(value: str) -> None:
    assert is_secret_value(value)


@pytest.mark.parametrize(
    "value",
    [
        "production",
        "https://api.example.com/v1/users",
        "123e4567-e89b-12d3-a456-426614174000",
        "INFO",
        "acme-shop-prod-uploads",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
    ],
)
def test_plain_values(value: str) -> None:
    assert not is_secret_value(value)


def test_url_password_is_split_off() -> None:
    from parity.secrets.classify import classify

    verdict = classify("DATABASE_URL", "postgres://u:p%40ss@h:5432/db")
    assert verdict == ("postgres://u:***@h:5432/db", ("p%40ss",))
    assert classify("HOMEPAGE", "https://user@host/x").secrets == ()


def test_guard_keeps_url_comparable_and_fingerprints_password() -> None:
    value, fp = SecretGuard().classify("DATABASE_URL", "postgres://u:pw123@db.prod/app")
    assert value == "postgres://u:***@db.prod/app"
    assert fp and "pw123" not in fp


def test_fingerprints_are_keyed_and_carry_key_id() -> None:
    a, b = Fingerprinter(b"k1"), Fingerprinter(b"k2")
    assert a("x") == a("x") != b("x")
    assert key_id_of(a("x")) == a.key_id != b.key_id
    assert "k1" not in repr(a)


def test_key_file_created_0600_and_reused(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("PARITY_FINGERPRINT_KEY")
    path = tmp_path / "sub" / "fp.key"
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY_FILE", str(path))
    first = load_fingerprinter()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_fingerprinter()("v") == first("v")


def test_key_file_readable_by_others_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from parity.errors import ConfigError

    monkeypatch.delenv("PARITY_FINGERPRINT_KEY")
    path = tmp_path / "fp.key"
    path.write_text("k\n")
    path.chmod(0o644)
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY_FILE", str(path))
    with pytest.raises(ConfigError, match="readable by others"):
        load_fingerprinter()
