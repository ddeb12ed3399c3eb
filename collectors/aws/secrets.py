"""aws-secrets: Secrets Manager secrets as references (name, rotation, KMS key), never values."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from parity.errors import CollectorError
from parity.model import Record, SecretRef

from ..interface import BaseOptions, CollectContext
from .base import AwsCollector, AwsOptions


class SecretsOptions(AwsOptions):
    """Options of aws-secrets: select by name prefix and/or tags."""

    prefix: str | None = Field(default=None, description="Secret name prefix, e.g. shop/prod/.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags the secret must have.")
    fingerprint: bool = Field(
        default=False, description="Fetch values (BatchGetSecretValue) to keep fingerprints only."
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else None


def transform(
    secrets: list[dict[str, Any]],
    values: dict[str, str],
    prefix: str | None,
    scope: str,
    region: str,
    ctx: CollectContext,
) -> list[SecretRef]:
    """Secret metadata to references; names are relative to the prefix so envs align."""
    out = []
    for s in sorted(secrets, key=lambda s: s["Name"]):
        name = s["Name"]
        key = name[len(prefix) :] if prefix and name.startswith(prefix) else name
        value = values.get(s["ARN"])
        out.append(
            SecretRef(
                scope,
                key,
                "aws-secretsmanager",
                f"secretsmanager:{region}:{name}",
                fingerprint=ctx.guard.fingerprint(value) if value else None,
                last_changed=_iso(s.get("LastChangedDate")),
                rotation_enabled=bool(s.get("RotationEnabled", False)),
                kms_key=s.get("KmsKeyId") or "aws/secretsmanager",
                version=None,
            )
        )
    return out


class SecretsCollector(AwsCollector[SecretsOptions]):
    """Lists secrets with server-side filters; values only with fingerprint = true."""

    type_name = "aws-secrets"
    Options = SecretsOptions
    OPERATIONS = {"secretsmanager": ("ListSecrets",)}
    summary = "Secrets Manager: names, rotation, KMS key; values only as opt-in fingerprints"

    @classmethod
    def declared_operations(cls, options: BaseOptions) -> dict[str, tuple[str, ...]]:
        if getattr(options, "fingerprint", False):
            return {"secretsmanager": ("ListSecrets", "BatchGetSecretValue")}
        return cls.OPERATIONS

    @classmethod
    def extra_iam_actions(cls, options: BaseOptions) -> tuple[str, ...]:
        # BatchGetSecretValue is authorized per secret by GetSecretValue (and kms:Decrypt).
        if getattr(options, "fingerprint", False):
            return ("secretsmanager:GetSecretValue", "kms:Decrypt")
        return ()

    def collect_region(self, region: str) -> list[Record]:
        opts = self.options
        filters = []
        if opts.prefix:
            filters.append({"Key": "name", "Values": [opts.prefix]})
        for k, v in sorted(opts.tags.items()):
            filters += [{"Key": "tag-key", "Values": [k]}, {"Key": "tag-value", "Values": [v]}]
        records: list[Record] = []
        sm = self.client("secretsmanager", region)
        params: dict[str, Any] = {"Filters": filters} if filters else {}
        secrets = list(self.paginate(sm, "ListSecrets", "SecretList", 100, **params))
        if opts.prefix:  # the name filter matches prefixes of words too: be exact
            secrets = [s for s in secrets if s["Name"].startswith(opts.prefix)]
        values: dict[str, str] = {}
        if opts.fingerprint and secrets:
            arns = [s["ARN"] for s in secrets]
            batches = [arns[i : i + 20] for i in range(0, len(arns), 20)]

            def get(batch: list[str], sm: Any = sm) -> dict[str, Any]:
                page = sm.batch_get_secret_value(SecretIdList=batch)
                if page.get("Errors"):  # per-secret failures come back as data: fail closed
                    err = page["Errors"][0]
                    raise CollectorError(
                        f"AWS BatchGetSecretValue failed for {err.get('SecretId')} with "
                        f"{err.get('ErrorCode')}",
                        hint="grant secretsmanager:GetSecretValue (and kms:Decrypt) on it, "
                        "or set fingerprint = false",
                    )
                result: dict[str, Any] = page
                return result

            for page in self.pool_map(get, batches):
                for v in page["SecretValues"]:
                    if isinstance(v.get("SecretString"), str):
                        values[v["ARN"]] = v["SecretString"]
        records.extend(
            transform(secrets, values, opts.prefix, self.scope_for(region), region, self.ctx)
        )
        return records
