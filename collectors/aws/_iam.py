"""Least-privilege IAM policy from the operations the configured aws-* sources declare."""

from __future__ import annotations

from typing import Any

from parity.errors import ConfigError
from parity.settings import Settings

from .base import AwsCollector, iam_action, is_read_only


def required_actions(settings: Settings, environments: list[str]) -> list[str]:
    """Sorted IAM actions the aws-* sources of these environments need."""
    from parity.collectors import get_collector

    actions: set[str] = set()
    for env in environments:
        for source in settings.environments[env].sources:
            cls = get_collector(source.type)
            if not issubclass(cls, AwsCollector):
                continue
            options = cls.Options(**source.options)
            for service, operations in cls.declared_operations(options).items():
                for op in operations:
                    if not is_read_only(op):  # a declaration bug must never widen access
                        raise ConfigError(f"{cls.type_name} declares non-read-only {op}")
                    actions.add(iam_action(service, op))
            actions.update(cls.extra_iam_actions(options))
    return sorted(actions)


def iam_policy(settings: Settings, environment: str | None) -> dict[str, Any]:
    """An IAM policy document (2012-10-17) allowing exactly the declared read-only calls."""
    envs = [environment] if environment else sorted(settings.environments)
    for env in envs:
        settings.environment(env)
    actions = required_actions(settings, envs)
    if not actions:
        raise ConfigError(f"no aws-* sources configured for {', '.join(envs) or 'any environment'}")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "ParityReadOnlyAudit", "Effect": "Allow", "Action": actions, "Resource": "*"}
        ],
    }
