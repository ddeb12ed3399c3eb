"""aws-ssm: Parameter Store parameters under paths; SecureString values only as fingerprints."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from parity.errors import CollectorError
from parity.model import ConfigEntry, Record, RefBackend, SecretRef, ValueRef

from ..interface import BaseOptions, CollectContext
from .base import AwsCollector, AwsOptions


class SsmOptions(AwsOptions):
    """Options of aws-ssm."""

    paths: list[str] = Field(min_length=1, description="Parameter paths, e.g. /shop/prod/.")
    recursive: bool = Field(default=True, description="Include nested paths.")
    fingerprint_secure: bool = Field(
        default=False,
        description="Fetch SecureString values (kms:Decrypt) to keep a keyed fingerprint only.",
    )


def transform(
    params: list[dict[str, Any]],
    path: str,
    scope: str,
    region: str,
    ctx: CollectContext,
    *,
    decrypted: bool = False,
) -> list[ConfigEntry | SecretRef]:
    """Parameters to records; keys are relative to the configured path so envs align.

    A SecureString's value is fingerprinted only when it was fetched decrypted (opt-in); without
    decryption AWS returns ciphertext, which is neither stored nor fingerprinted.
    """
    out: list[ConfigEntry | SecretRef] = []
    prefix = path.rstrip("/") + "/"
    for p in sorted(params, key=lambda p: p["Name"]):
        name = p["Name"]
        key = name[len(prefix) :] if name.startswith(prefix) else name.lstrip("/")
        where = f"ssm:{region}:{name}"
        if p.get("Type") == "SecureString":
            value = p.get("Value") if decrypted else None
            fp = ctx.guard.fingerprint(value) if isinstance(value, str) and value else None
            modified = p.get("LastModifiedDate")
            out.append(
                SecretRef(
                    scope,
                    key,
                    "aws-ssm",
                    where,
                    fingerprint=fp,
                    version=str(p["Version"]) if "Version" in p else None,
                    last_changed=str(modified.isoformat()) if modified is not None else None,
                )
            )
            out.append(
                ConfigEntry(
                    scope,
                    key,
                    None,
                    where,
                    fingerprint=fp,
                    value_ref=ValueRef(RefBackend.AWS_SSM, key),
                )
            )
        else:
            out.append(ctx.config_entry(scope, key, p.get("Value", ""), where))
    return out


class SsmCollector(AwsCollector[SsmOptions]):
    """Reads Parameter Store with GetParametersByPath (10 per page, the API maximum)."""

    type_name = "aws-ssm"
    Options = SsmOptions
    OPERATIONS = {"ssm": ("GetParametersByPath",)}
    summary = "SSM Parameter Store: String/StringList as config, SecureString as references"

    @classmethod
    def extra_iam_actions(cls, options: BaseOptions) -> tuple[str, ...]:
        return ("kms:Decrypt",) if getattr(options, "fingerprint_secure", False) else ()

    def collect_region(self, region: str) -> list[Record]:
        opts = self.options
        records: list[Record] = []
        ssm = self.client("ssm", region)

        def fetch(path: str, ssm: Any = ssm) -> list[dict[str, Any]]:
            return list(
                self.paginate(
                    ssm,
                    "GetParametersByPath",
                    "Parameters",
                    10,
                    Path=path,
                    Recursive=opts.recursive,
                    WithDecryption=opts.fingerprint_secure,
                )
            )

        for path, params in zip(opts.paths, self.pool_map(fetch, opts.paths), strict=True):
            if not params:
                raise CollectorError(
                    f"no SSM parameters under {path} in {region}",
                    hint="check the path, the region, and ssm:GetParametersByPath on it",
                )
            records.extend(
                transform(
                    params,
                    path,
                    self.scope_for(region),
                    region,
                    self.ctx,
                    decrypted=opts.fingerprint_secure,
                )
            )
        return records
