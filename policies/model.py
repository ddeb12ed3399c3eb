"""Policy pack model: rule metadata, contracts, roles, waivers, weights, validated on load."""

from __future__ import annotations

import fnmatch
import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from parity.model.findings import Severity
from parity.model.rules import RuleSpec, Waiver


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@cache
def _globs(globs: tuple[str, ...]) -> re.Pattern[str]:
    """Globs compiled once into one regex (contracts are checked against many keys)."""
    return re.compile("|".join(fnmatch.translate(g) for g in globs))


class RuleOverride(_Strict):
    """A project's change to one rule."""

    severity: Severity | None = None
    enabled: bool | None = None
    levels: dict[str, Severity] = Field(default_factory=dict)


class Contract(_Strict):
    """Per-key expectation, by glob on the key (or on the full subject)."""

    keys: list[str] = Field(min_length=1, description="Globs on key or `kind:scope:key`.")
    rule: Literal["must-equal", "may-differ", "must-differ"] | None = None
    regex: dict[str, str] = Field(
        default_factory=dict, description="Environment glob -> regex the value must match."
    )

    @field_validator("regex")
    @classmethod
    def _compile(cls, v: dict[str, str]) -> dict[str, str]:
        for env, rx in v.items():
            try:
                re.compile(rx)
            except re.error as e:
                raise ValueError(f"regex for {env!r} is invalid: {e}") from e
        return v

    def matches(self, key: str, subject: str) -> bool:
        """True when the contract applies to this key."""
        pattern = _globs(tuple(self.keys))
        return bool(pattern.match(key) or pattern.match(subject))


class Capacity(_Strict):
    """What is capacity (sized per environment by design) and when a smaller size matters."""

    keys: list[str] = Field(
        default_factory=list,
        description="Dotted globs on key parts (`replicas`, `*_WORKERS`, `limits.cpu`): the "
        "matched part and everything below it is capacity.",
    )
    kinds: list[str] = Field(
        default_factory=list,
        description="Object kinds that are capacity as a whole (`PodDisruptionBudget`).",
    )
    min_ratio: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="Below this share of the reference's size, capacity-drift takes its "
        "`below` level (warning by default); unset: smaller is always info.",
    )
    per_environment: int = Field(
        default=0,
        ge=0,
        description="With more units than this in one environment, one capacity-drift finding "
        "per environment and direction instead of one per unit (0: never).",
    )


class CapacityOverride(_Strict):
    """A project's change to the capacity section: lists extend, scalars replace;
    `severity` is shorthand for rules.capacity-drift.levels.below."""

    keys: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    min_ratio: float | None = Field(default=None, gt=0, le=1)
    per_environment: int | None = Field(default=None, ge=0)
    severity: Severity | None = None


class Policy(_Strict):
    """A complete, validated policy (the default pack with project overrides applied)."""

    version: Literal[1] = 1
    rules: dict[str, RuleSpec]
    weights: dict[Severity, float] = Field(
        default_factory=lambda: {Severity.ERROR: 10.0, Severity.WARNING: 3.0, Severity.INFO: 0.5}
    )
    production_like: list[str] = Field(default_factory=lambda: ["production", "prod", "canary"])
    mutable_tags: list[str] = Field(default_factory=lambda: ["latest"])
    typo_max_distance: int = Field(default=2, ge=0, le=4)
    data_volume_min_ratio: float = Field(
        default=0.1, ge=0, le=1, description="Below this share of the reference's volume: finding."
    )
    data_volume_max_ratio: float | None = Field(
        default=None, gt=1, description="Above this multiple of the reference's volume: info."
    )
    data_volume_ratios: dict[str, float] = Field(
        default_factory=dict,
        description="Per-resource minimum ratios by glob (`public.audit_log: 0.001`); the "
        "last matching glob wins over data_volume_min_ratio.",
    )
    contracts: list[Contract] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    list_keys: dict[str, str] = Field(
        default_factory=dict,
        description="Identity field of list elements, by list path glob (`apps: name`).",
    )
    mode_keys: list[str] = Field(
        default_factory=list,
        description="Keys holding a build/run mode (`NODE_ENV`): an environment name in them "
        "is a mode, not a reference to that environment.",
    )
    stop_words: list[str] = Field(
        default_factory=list,
        description="Names containing an environment token that are not environment names "
        "(`svc.cluster.local`, `letsencrypt-prod`).",
    )
    capacity: Capacity = Field(default_factory=Capacity)
    operational_keys: list[str] = Field(
        default_factory=list,
        description="Monitoring, alerting, analytics and maintenance settings (dotted globs): "
        "they observe or operate an environment without changing what the code does, so one "
        "set on one side only is info.",
    )
    non_production_aids: list[str] = Field(
        default_factory=list,
        description="Settings a lower environment adds to protect real users or to debug "
        "(e-mail overrides, subject prefixes, basic auth, debug routes): set only outside "
        "production, they are info.",
    )
    pointer_keys: list[str] = Field(
        default_factory=list,
        description="Keys whose value names another environment on purpose (promotion "
        "targets, restore/seed sources, datacenters): never a cross-env-reference.",
    )
    protection_keys: list[str] = Field(
        default_factory=list,
        description="Settings that protect an environment's data when on (deletion "
        "protection, backups, encryption, Multi-AZ); `!key` for those that protect when off "
        "(`!skip_final_snapshot`). Off where the reference has them on: a warning; on where "
        "the reference has them off: an error (production lacks what staging has).",
    )
    sidecar_keys: list[str] = Field(
        default_factory=list,
        description="Keys that, set and not false, mean the unit runs a sidecar proxy "
        "(`mesh.enabled`): loopback there is the sidecar, not the container itself.",
    )

    def min_ratio(self, resource: str) -> float:
        """The data-volume threshold for one resource (table, bucket), overrides applied."""
        found = self.data_volume_min_ratio
        for glob, ratio in self.data_volume_ratios.items():
            if fnmatch.fnmatchcase(resource, glob):
                found = ratio
        return found

    def severity(self, rule: str, level: str | None = None) -> Severity:
        """Effective severity of a rule, or of one of its sub-cases."""
        return self.rules[rule].severity_for(level)

    def enabled(self, rule: str) -> bool:
        """Whether a rule runs at all."""
        return self.rules[rule].enabled

    def contract_for(self, key: str, subject: str) -> Contract | None:
        """The last matching contract wins, so project contracts override the pack's."""
        found = None
        for c in self.contracts:
            if c.matches(key, subject):
                found = c
        return found

    def is_production_like(self, env: str) -> bool:
        """Role of an environment by name glob."""
        return any(fnmatch.fnmatchcase(env.lower(), g.lower()) for g in self.production_like)


class PolicyOverride(_Strict):
    """What a project policy file may say; lists extend the pack, scalars replace it."""

    version: Literal[1] = 1
    extends: Literal["default", "none"] = "default"
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    weights: dict[Severity, float] | None = None
    version_levels: dict[Literal["major", "minor", "patch", "other"], Severity] | None = Field(
        default=None, description="Shorthand for rules.version-mismatch.levels."
    )
    production_like: list[str] | None = None
    mutable_tags: list[str] | None = None
    typo_max_distance: int | None = Field(default=None, ge=0, le=4)
    data_volume_min_ratio: float | None = Field(default=None, ge=0, le=1)
    data_volume_max_ratio: float | None = Field(default=None, gt=1)
    data_volume_ratios: dict[str, float] = Field(default_factory=dict)
    contracts: list[Contract] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    list_keys: dict[str, str] = Field(default_factory=dict)
    mode_keys: list[str] = Field(default_factory=list)
    stop_words: list[str] = Field(default_factory=list)
    capacity: CapacityOverride | None = None
    operational_keys: list[str] = Field(default_factory=list)
    non_production_aids: list[str] = Field(default_factory=list)
    pointer_keys: list[str] = Field(default_factory=list)
    sidecar_keys: list[str] = Field(default_factory=list)
    protection_keys: list[str] = Field(default_factory=list)
