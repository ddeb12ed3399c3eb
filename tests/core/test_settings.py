"""Configuration: validation errors name file and key; env vars override; ${VAR} expansion."""

from __future__ import annotations

import pytest

from parity.app.collect import collect_environment
from parity.errors import ConfigError
from parity.settings import load_settings

BASE = """
reference = "production"
[environments.production]
sources = [{ type = "dotenv", path = "p.env" }]
[environments.staging]
sources = [{ type = "dotenv", path = "s.env" }]
"""


def test_loads_and_resolves_paths(tree) -> None:
    root = tree({"parity.toml": BASE, "p.env": "A=1\n", "s.env": "A=2\n"})
    s = load_settings(str(root / "parity.toml"))
    assert s.reference == "production"
    assert list(s.environments) == ["production", "staging"]
    snap = collect_environment(s, "staging")
    assert [(r.key, r.value, r.source) for r in snap.records] == [("A", "2", "s.env:1")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n" + BASE, "parity.toml: colour: unknown key"),
        (BASE + "colour = 1\n", "parity.toml: environments.staging.colour: unknown key"),
        (
            BASE.replace('path = "p.env"', 'path = "p.env", pth = 1'),
            "environments.production.sources[0].pth: unknown key",
        ),
        (
            BASE.replace('type = "dotenv", path = "s.env"', 'type = "dotenvv", path = "s.env"'),
            "environments.staging.sources[0].type: unknown collector type 'dotenvv'",
        ),
        (BASE.replace('reference = "production"', "reference = 3"), "reference: Input should be"),
        (BASE.replace('reference = "production"', 'reference = "prod"'), "reference 'prod' is not"),
        (BASE + "[oops\n", "invalid TOML"),
    ],
)
def test_config_errors_name_file_and_key(tree, text: str, message: str) -> None:
    root = tree({"parity.toml": text})
    with pytest.raises(ConfigError) as e:
        load_settings(str(root / "parity.toml"))
    assert message in str(e.value)
    assert "parity.toml" in str(e.value)


def test_env_var_overrides_file(tree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree({"parity.toml": BASE})
    monkeypatch.setenv("PARITY_REFERENCE", "staging")
    assert load_settings(str(root / "parity.toml")).reference == "staging"


def test_env_overrides_nest_merge_and_parse_structures(tree, monkeypatch) -> None:
    root = tree({"parity.toml": BASE + '[environments.staging.aws]\nprofile = "ci"\n'})
    monkeypatch.setenv("PARITY_ENVIRONMENTS__STAGING__AWS__MAX_WORKERS", "3")
    monkeypatch.setenv("parity_max_file_mb", "7.5")  # names are case-insensitive
    monkeypatch.setenv("PARITY_ALIASES", '{"production": ["live-eu"]}')
    monkeypatch.setenv("PARITY_FINGERPRINT_KEY", "not-a-setting-0123456789")  # ignored here
    s = load_settings(str(root / "parity.toml"))
    # the env var merged into the file's table instead of replacing it
    assert s.environments["staging"].connections["aws"] == {
        "profile": "ci",
        "max_workers": 3,
    }
    assert s.max_file_mb == 7.5
    assert "live-eu" in s.env_aliases()["production"]
    assert [src.type for src in s.environments["production"].sources] == ["dotenv"]


def test_env_overrides_never_crash_on_conflicting_names(tree, monkeypatch) -> None:
    """pydantic-settings reads the variables; `PARITY_X` beside `PARITY_X__Y` keeps the
    nested one, and names that are no setting (`PARITY_`, `PARITY_REFERENCE__`) are ignored."""
    root = tree({"parity.toml": BASE + '[environments.staging.aws]\nregions = ["eu-west-1"]\n'})
    monkeypatch.setenv("PARITY_ENVIRONMENTS", "x")
    monkeypatch.setenv("PARITY_ENVIRONMENTS__STAGING__AWS__PROFILE", "ci")
    monkeypatch.setenv("PARITY_", "x")
    monkeypatch.setenv("PARITY_REFERENCE__", "y")
    s = load_settings(str(root / "parity.toml"))
    assert s.environments["staging"].connections["aws"] == {
        "regions": ["eu-west-1"],
        "profile": "ci",
    }
    assert s.reference == "production"
    monkeypatch.delenv("PARITY_ENVIRONMENTS__STAGING__AWS__PROFILE")
    with pytest.raises(ConfigError, match="PARITY_ENVIRONMENTS"):  # `x` alone is no JSON
        load_settings(str(root / "parity.toml"))


def test_settings_are_pydantic_settings() -> None:
    from pydantic_settings import BaseSettings

    from parity.settings import Settings

    assert issubclass(Settings, BaseSettings)
    assert Settings.model_config["env_prefix"] == "PARITY_"
    assert Settings.model_config["env_nested_delimiter"] == "__"


def test_env_override_is_validated_like_the_file(tree, monkeypatch) -> None:
    root = tree({"parity.toml": BASE})
    monkeypatch.setenv("PARITY_MAX_FILE_MB", "-1")
    with pytest.raises(ConfigError, match="max_file_mb") as e:
        load_settings(str(root / "parity.toml"))
    assert "PARITY_MAX_FILE_MB" in str(e.value)  # the hint says where the value came from


def test_pyproject_tool_section(tree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(
        {
            "pyproject.toml": "[project]\nname='x'\n[tool.parity]\n"
            + BASE.replace("[environments", "[tool.parity.environments")
        }
    )
    monkeypatch.chdir(root)
    assert set(load_settings(None).environments) == {"production", "staging"}


def test_var_expansion_and_missing_var(tree, monkeypatch: pytest.MonkeyPatch) -> None:
    text = BASE.replace('path = "s.env"', 'path = "${ENV_DIR}/s.env"')
    root = tree({"parity.toml": text, "sub/s.env": "A=3\n"})
    s = load_settings(str(root / "parity.toml"))
    with pytest.raises(ConfigError, match="environment variable ENV_DIR is not set"):
        collect_environment(s, "staging")
    monkeypatch.setenv("ENV_DIR", "sub")
    assert collect_environment(s, "staging").records[0].value == "3"


def test_third_party_collector_from_entry_point(tree, monkeypatch: pytest.MonkeyPatch) -> None:
    import parity.registry as registry
    from parity.collectors.interface import Collector, CollectorResult, FileOptions
    from parity.model import ConfigEntry

    class Plugin(Collector):
        type_name = "vault-kv"
        Options = FileOptions

        def collect(self) -> CollectorResult:
            return CollectorResult(records=[ConfigEntry(self.scope, "FROM_PLUGIN", "1", "vault")])

    class EP:
        name, value = "vault-kv", "acme_parity:Plugin"

        def load(self) -> type[Collector]:
            return Plugin

    monkeypatch.setattr(
        registry, "entry_points", lambda group: [EP()] if group == "parity.collectors" else []
    )
    text = BASE.replace('type = "dotenv", path = "s.env"', 'type = "vault-kv", path = "x"')
    root = tree({"parity.toml": text, "p.env": "A=1\n"})
    snap = collect_environment(load_settings(str(root / "parity.toml")), "staging")
    assert [(r.scope, r.key) for r in snap.records] == [("vault-kv", "FROM_PLUGIN")]
