"""aws-lambda: functions' runtime, handler, memory, timeout, layers, env, concurrency, image."""

from __future__ import annotations

import fnmatch
from typing import Any

from pydantic import Field

from parity.align.imageref import parse_image_ref
from parity.model import Dependency, Image, Record

from ..interface import BaseOptions, CollectContext
from .base import AwsCollector, AwsOptions
from .ecr import resolve_digests


class LambdaOptions(AwsOptions):
    """Options of aws-lambda: select functions by name prefix/globs and/or tags."""

    prefix: str | None = Field(default=None, description="Function name prefix.")
    names: list[str] = Field(default_factory=list, description="Function name globs.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags a function must have.")
    resolve_digests: bool = Field(default=True, description="Resolve ECR tags to digests.")


def _layer(arn: str) -> tuple[str, str]:
    # arn:aws:lambda:region:account:layer:NAME:VERSION
    parts = arn.split(":")
    return (parts[6], parts[7]) if len(parts) >= 8 else (arn, "")


def transform(
    functions: list[dict[str, Any]],
    details: list[dict[str, Any]],
    scope_of: Any,
    ctx: CollectContext,
) -> list[Record]:
    """Function configurations (+ concurrency / image details) to records."""
    out: list[Record] = []
    for fn, extra in zip(functions, details, strict=True):
        name = fn["FunctionName"]
        workload = scope_of(name)
        where = f"lambda:{name}"
        if fn.get("Runtime"):
            out.append(Dependency("aws-lambda-runtime", name, fn["Runtime"], where))
        for key, field in (
            ("handler", "Handler"),
            ("memory", "MemorySize"),
            ("timeout", "Timeout"),
            ("package_type", "PackageType"),
        ):
            if fn.get(field) is not None:
                out.append(ctx.config_entry(workload, key, fn[field], where))
        out.append(
            ctx.config_entry(
                workload,
                "architectures",
                ",".join(sorted(fn.get("Architectures") or ["x86_64"])),
                where,
            )
        )
        for layer in fn.get("Layers") or []:
            lname, version = _layer(layer["Arn"])
            out.append(ctx.config_entry(workload, f"layers.{lname}", version, where))
        reserved = extra.get("reserved_concurrency")
        out.append(
            ctx.config_entry(
                workload,
                "reserved_concurrency",
                "unreserved" if reserved is None else reserved,
                where,
            )
        )
        env = ((fn.get("Environment") or {}).get("Variables")) or {}
        for k in sorted(env):
            out.append(ctx.config_entry(f"{workload}/env", k, env[k], where, env_var=True))
        if extra.get("image_uri"):
            repo, tag, digest = parse_image_ref(extra["image_uri"])
            digest = digest or extra.get("resolved_digest")
            out.append(Image(workload, "function", repo, tag, digest, where))
    return out


class LambdaCollector(AwsCollector[LambdaOptions]):
    """ListFunctions (50 per page), then per-function concurrency (and image) in parallel."""

    type_name = "aws-lambda"
    Options = LambdaOptions
    OPERATIONS = {"lambda": ("ListFunctions", "GetFunctionConcurrency", "GetFunction")}
    summary = "Lambda: runtime, handler, memory, timeout, layers, env, concurrency, image"

    @classmethod
    def declared_operations(cls, options: BaseOptions) -> dict[str, tuple[str, ...]]:
        ops = dict(cls.OPERATIONS)
        if getattr(options, "tags", None):
            ops["lambda"] = (*ops["lambda"], "ListTags")
        if getattr(options, "resolve_digests", True):
            ops["ecr"] = ("DescribeImages",)
        return ops

    def collect_region(self, region: str) -> list[Record]:
        opts = self.options
        records: list[Record] = []
        lam = self.client("lambda", region)
        fns = [
            f
            for f in self.paginate(lam, "ListFunctions", "Functions", 50)
            if (not opts.prefix or f["FunctionName"].startswith(opts.prefix))
            and (
                not opts.names or any(fnmatch.fnmatchcase(f["FunctionName"], g) for g in opts.names)
            )
        ]
        if opts.tags:

            def tagged(fn: dict[str, Any], lam: Any = lam) -> bool:
                tags = lam.list_tags(Resource=fn["FunctionArn"]).get("Tags", {})
                return all(tags.get(k) == v for k, v in opts.tags.items())

            fns = [f for f, ok in zip(fns, self.pool_map(tagged, fns), strict=True) if ok]
        fns.sort(key=lambda f: f["FunctionName"])

        def detail(fn: dict[str, Any], lam: Any = lam) -> dict[str, Any]:
            name = fn["FunctionName"]
            conc = lam.get_function_concurrency(FunctionName=name)
            out: dict[str, Any] = {"reserved_concurrency": conc.get("ReservedConcurrentExecutions")}
            if fn.get("PackageType") == "Image":
                code = lam.get_function(FunctionName=name).get("Code", {})
                out["image_uri"] = code.get("ImageUri")
                resolved = code.get("ResolvedImageUri") or ""
                out["resolved_digest"] = resolved.split("@", 1)[1] if "@" in resolved else None
            return out

        details = self.pool_map(detail, fns)
        if opts.resolve_digests:
            wanted = []
            for d in details:
                if d.get("image_uri") and not d.get("resolved_digest"):
                    repo, tag, digest = parse_image_ref(d["image_uri"])
                    if not digest:
                        wanted.append((repo, tag or "latest"))
            digests = resolve_digests(self, wanted) if wanted else {}
            for d in details:
                if d.get("image_uri") and not d.get("resolved_digest"):
                    repo, tag, _ = parse_image_ref(d["image_uri"])
                    d["resolved_digest"] = digests.get((repo, tag or "latest"))
        records.extend(transform(fns, details, lambda n, r=region: self.scope_for(r, n), self.ctx))
        return records
