"""Rule implementations, one module per category; importing the package registers them all.

RULES maps each stable rule id to its implementation; the policy pack holds each rule's
metadata and severities, and the engine checks that both name the same rules.
"""

from __future__ import annotations

from . import (  # noqa: F401  (importing registers the rules)
    capacity,
    collection,
    config,
    data,
    database,
    dependencies,
    environments,
    hygiene,
    images,
    missing,
    running,
    secrets,
)
from .interface import RULES, Draft, Rule, RuleContext, rule

__all__ = ["RULES", "Draft", "Rule", "RuleContext", "rule"]
