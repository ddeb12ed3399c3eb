"""Rules describe themselves: the registry, the specs declared with the code and the README's
rule table agree, and a third party's rule runs when a project policy names it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from parity.policies import default_policy
from parity.policies.catalog import render_rules
from parity.policies.rules import RULES

from conftest import cli, report_for, snap

README = Path(__file__).parents[2] / "README.md"


def test_the_readme_rule_table_is_generated_from_the_registry() -> None:
    text = README.read_text()
    table = re.search(r"<!-- rules:begin[^>]*-->\n(.*?)<!-- rules:end -->", text, re.S)
    assert table, "the README lost its generated rule table markers"
    assert table.group(1) == render_rules(default_policy().rules.values(), "markdown"), (
        "README rule table drifted: paste `parity rules -f markdown` between the markers"
    )


def test_every_registered_rule_declares_a_complete_spec_under_its_id() -> None:
    for rule_id in RULES:
        spec = RULES[rule_id].spec
        assert spec.id == rule_id and spec.title and spec.rationale and spec.remedy
        assert spec.fires, f"{rule_id} does not say when it fires"
        assert set(spec.subsumes) <= set(RULES)
        module = RULES.builtins[rule_id].split(":")[0].rsplit(".", 1)[-1]
        assert module not in ("config", "hygiene"), "name modules for what their rules judge"
    assert list(default_policy().rules) == list(RULES)


def test_the_pack_holds_no_rule_metadata() -> None:
    pack = (Path(__file__).parents[2] / "policies" / "default.yaml").read_text()
    assert "\nrules:" not in pack and "rationale:" not in pack


def test_stale_waiver_runs_after_the_rules_it_judges(tree: Any) -> None:
    assert RULES["stale-waiver"].last
    policy = "waivers:\n  - {rule: missing-key, reason: never fires, expires: 2099-01-01}\n"
    root = tree(
        {
            "parity.toml": 'policy = "p.yaml"\n[environments.production]\n'
            'sources = [{ type = "dotenv", path = "a.env" }]\n[environments.staging]\n'
            'sources = [{ type = "dotenv", path = "a.env" }]\n',
            "a.env": "A=1\n",
            "p.yaml": policy,
        }
    )
    r = cli("check", "-c", str(root / "parity.toml"), "-f", "json", "--fail-on", "never")
    assert '"rule": "stale-waiver"' in r.out


def test_a_plugin_rule_runs_when_the_project_policy_names_it(
    tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parity.registry as registry
    from parity.policies.rules import Draft, rule

    @rule(
        "no-friday-deploys",
        category="config",
        severity="warning",
        title="Friday",
        rationale="Because.",
        remedy="Wait.",
        fires="always",
    )
    def friday(ctx: Any) -> Any:
        yield Draft(ctx.envs[-1], "config:x:FRIDAY", "it is Friday somewhere")

    class EP:
        name, value = "no-friday-deploys", "acme:friday"

        def load(self) -> Any:
            return friday

    monkeypatch.setattr(
        registry, "entry_points", lambda group: [EP()] if group == "parity.rules" else []
    )
    plain = report_for(snap("production"), snap("staging"))
    assert not plain.findings  # not named by a policy: not run
    named = report_for(
        snap("production"), snap("staging"), policy={"rules": {"no-friday-deploys": {}}}
    )
    assert [(f.rule, f.severity) for f in named.findings] == [("no-friday-deploys", "warning")]


def test_a_plugin_report_format_is_found_through_its_entry_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same registry mechanism for formats: `-f csv` from a third party's package."""
    import parity.registry as registry

    def render_csv(report: Any, rules: Any = None, options: Any = None) -> str:
        return "rule,environment\n" + "".join(
            f"{f.rule},{f.environment}\n" for f in report.findings
        )

    class EP:
        name, value = "csv", "acme:render_csv"

        def load(self) -> Any:
            return render_csv

    monkeypatch.setattr(
        registry, "entry_points", lambda group: [EP()] if group == "parity.formats" else []
    )
    cfg = str(Path(__file__).parents[2] / "sample_envs" / "parity.toml")
    r = cli("check", "-c", cfg, "-f", "csv")
    assert r.out.startswith("rule,environment\n") and "key-typo,staging" in r.out
    assert cli("check", "-c", cfg, "-f", "cvs").code == 2
