"""Policies: the rules (declared with their code), the pack of vocabularies and contracts
(default.yaml), project overrides, and evaluation."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parity.errors import ConfigError
from parity.model.rules import RuleSpec

from .model import Policy, PolicyOverride

DEFAULT_PACK = "default.yaml"


def _read_yaml(text: str, where: str) -> Any:
    """The policy document through the shared bounded loader; problems are ConfigErrors."""
    from parity.errors import ParseError
    from parity.inputs.yamlio import load_yaml_documents

    try:
        docs = load_yaml_documents(text, where)
    except ParseError as e:
        raise ConfigError(e.message) from e
    if len(docs) > 1:
        raise ConfigError(f"{where}: a policy file holds one YAML document")
    return docs[0] if docs else None


def _validation_error(where: str, err: ValidationError) -> ConfigError:
    from parity.errors import format_validation_error

    return ConfigError(format_validation_error(where, err))


def _pack_text() -> str:
    """The pack's text, read through this package's own loader: that works from an unpacked
    wheel, a zip or a checkout alike, and unlike importlib.resources.files it does not import
    zipfile and its readers for one read of the gate's start-up."""
    get_data = getattr(__spec__.loader, "get_data", None)  # importlib.abc costs what we save
    if get_data is None:
        raise ConfigError(f"cannot read {DEFAULT_PACK}: {__package__} was loaded without data")
    data: bytes = get_data(os.path.join(os.path.dirname(__file__), DEFAULT_PACK))
    return data.decode("utf-8")


def rule_specs() -> dict[str, RuleSpec]:
    """Every built-in rule's spec, as declared with its code, in the order rules run."""
    from .rules import RULES

    return {rule_id: RULES[rule_id].spec for rule_id in RULES}


@cache
def default_policy() -> Policy:
    """The built-in rules' specs with the pack's vocabularies and contracts (package data).
    Our own trusted file, so libyaml's C loader reads it; parsed once."""
    import yaml

    text = _pack_text()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    pack = yaml.load(text, Loader=loader)
    try:
        return Policy.model_validate({**pack, "rules": rule_specs()})
    except ValidationError as e:
        raise _validation_error(DEFAULT_PACK, e) from e


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_environments(policy: Policy, environments: Iterable[str], where: str) -> None:
    """Waivers naming an environment that is not configured are mistakes, not no-ops."""
    known = list(environments)
    for i, w in enumerate(policy.waivers):
        if known and not any(c in w.environment for c in "*?[") and w.environment not in known:
            raise ConfigError(
                f"{where}: waivers[{i}].environment: unknown environment {w.environment!r}"
                + _did_you_mean(w.environment, known)
            )


def merge(base: Policy, override: PolicyOverride, where: str) -> Policy:
    """Apply a project file to the pack: rule overrides by id, lists extend, scalars replace."""
    from .rules import RULES

    rules = dict(base.rules)
    for rule_id, change in override.rules.items():
        if rule_id not in rules:  # a third party's rule runs when a project policy names it
            plugin = RULES.plugin(rule_id)
            if plugin is None:
                raise ConfigError(
                    f"{where}: rules.{rule_id}: unknown rule id" + _did_you_mean(rule_id, rules),
                    hint=f"known rules: {', '.join(sorted(RULES))}",
                )
            rules[rule_id] = plugin.spec
        upd: dict[str, Any] = {
            k: v for k, v in change.model_dump().items() if v is not None and k != "levels"
        }
        unknown = sorted(set(change.levels) - set(rules[rule_id].levels))
        if unknown:
            raise ConfigError(
                f"{where}: rules.{rule_id}.levels: unknown level(s) {', '.join(unknown)}",
                hint=f"{rule_id} has levels: {', '.join(sorted(rules[rule_id].levels)) or 'none'}",
            )
        if change.severity is not None and not change.levels:
            # `severity` alone means the whole rule, sub-cases included
            upd["levels"] = dict.fromkeys(rules[rule_id].levels, change.severity)
        elif change.levels:
            upd["levels"] = {**rules[rule_id].levels, **change.levels}
        rules[rule_id] = rules[rule_id].model_copy(update=upd)
    if override.version_levels:
        vm = rules["version-mismatch"]
        rules["version-mismatch"] = vm.model_copy(
            update={"levels": {**vm.levels, **override.version_levels}}
        )
    data: dict[str, Any] = base.model_dump()
    data["rules"] = rules
    for key in (
        "weights",
        "production_like",
        "mutable_tags",
        "typo_max_distance",
        "data_volume_min_ratio",
        "data_volume_max_ratio",
    ):
        value = getattr(override, key)
        if value is not None:
            data[key] = value
    for key in (
        "contracts",
        "ignore",
        "waivers",
        "mode_keys",
        "stop_words",
        "operational_keys",
        "non_production_aids",
        "pointer_keys",
        "sidecar_keys",
        "protection_keys",
    ):
        data[key] = [*getattr(base, key), *getattr(override, key)]
    if override.capacity is not None:
        cap, more = data["capacity"], override.capacity
        cap["keys"] = [*cap["keys"], *more.keys]
        cap["kinds"] = [*cap["kinds"], *more.kinds]
        for field in ("min_ratio", "per_environment"):
            if getattr(more, field) is not None:
                cap[field] = getattr(more, field)
        if more.severity is not None:  # `capacity: {severity: warning}` is the below level
            spec = rules["capacity-drift"]
            rules["capacity-drift"] = spec.model_copy(
                update={"levels": {**spec.levels, "below": more.severity}}
            )
    data["data_volume_ratios"] = {**base.data_volume_ratios, **override.data_volume_ratios}
    for i, w in enumerate(override.waivers):
        if not any(c in w.rule for c in "*?[") and w.rule not in rules:
            raise ConfigError(
                f"{where}: waivers[{i}].rule: unknown rule {w.rule!r}"
                + _did_you_mean(w.rule, rules)
            )
    data["list_keys"] = {**base.list_keys, **override.list_keys}
    return Policy.model_validate(data)


def load_policy(path: Path | None, max_bytes: int = 50 * 1024 * 1024) -> Policy:
    """Default pack, with the project's policy file merged in when one is configured."""
    base = default_policy()
    if path is None:
        return base
    from parity.inputs.files import read_input

    where = str(path)
    text = read_input(path, "policy file", max_bytes=max_bytes)
    raw = _read_yaml(text, where) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: a policy file must be a mapping")
    try:
        override = PolicyOverride.model_validate(raw)
    except ValidationError as e:
        raise _validation_error(where, e) from e
    if override.extends == "none":  # the rules as declared, none of the pack's vocabularies
        base = Policy(rules=rule_specs())
    return merge(base, override, where)
