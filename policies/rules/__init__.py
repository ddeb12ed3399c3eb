"""The rules, one module per thing they judge, and their registry.

RULES maps each stable rule id to `"module:function"` (parity.registry: imported on first use;
third-party rules come from the `parity.rules` entry-point group and run when a project policy
names them). Each rule declares its own spec next to its code (`@rule(...)` in interface.py);
`parity rules -f markdown` prints the table the README carries.
"""

from __future__ import annotations

from typing import Any

from parity.errors import ConfigError
from parity.registry import Registry

from .interface import Draft, Rule, RuleContext, rule

# rule id -> "module:function", in the order they run (stale-waiver, which judges the others'
# findings, is marked `last`).
_BUILT_IN: dict[str, str] = {
    rule_id: f"{__name__}.{spec}"
    for rule_id, spec in {
        "capacity-drift": "capacity:capacity_drift",
        "collector-failed": "collection:collector_failed",
        "nothing-matched": "collection:nothing_matched",
        "key-typo": "keys:key_typo",
        "value-drift": "values:value_drift",
        "unset-required-key": "keys:unset_required_key",
        "contract-violation": "values:contract_violation",
        "protection-drift": "protection:protection_drift",
        "duplicate-key": "keys:duplicate_key",
        "data-volume-ratio": "data:data_volume_ratio",
        "schema-drift": "database:schema_drift",
        "migration-drift": "database:migration_drift",
        "missing-dependency": "dependencies:missing_dependency",
        "version-mismatch": "dependencies:version_mismatch",
        "cross-env-reference": "environments:cross_env_reference",
        "unsafe-prod-value": "unsafe:unsafe_prod_value",
        "placeholder-value": "placeholders:placeholder_value",
        "unresolved-variable": "placeholders:unresolved_variable",
        "image-drift": "images:image_drift",
        "missing-workload": "images:missing_workload",
        "missing-key": "missing:missing_key",
        "declared-vs-running": "running:declared_vs_running",
        "secret-missing": "secrets:secret_missing",
        "secret-shared": "secrets:secret_shared",
        "plaintext-secret": "secrets:plaintext_secret",
        "stale-waiver": "waivers:stale_waiver",
    }.items()
}


def _rule(rule_id: str, found: Any) -> Rule:
    if not isinstance(found, Rule):
        raise ConfigError(f"the rule registered as {rule_id!r} is not declared with @rule")
    if found.spec.id != rule_id:
        raise ConfigError(f"the rule registered as {rule_id!r} declares id {found.spec.id!r}")
    return found


RULES: Registry[Rule] = Registry("rule", _BUILT_IN, "parity.rules", _rule)

__all__ = ["RULES", "Draft", "Rule", "RuleContext", "rule"]
