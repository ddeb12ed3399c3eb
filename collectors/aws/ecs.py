"""aws-ecs: clusters -> services -> active task definitions: images, env, secrets, capacity."""

from __future__ import annotations

import shlex
from typing import Any

from pydantic import Field

from parity.align.imageref import parse_image_ref
from parity.model import ConfigEntry, Image, Record, RefBackend, SecretRef, ValueRef

from ..interface import BaseOptions, CollectContext
from .base import AwsCollector, AwsOptions, strip_arn
from .ecr import resolve_digests


class EcsOptions(AwsOptions):
    """Options of aws-ecs."""

    clusters: list[str] = Field(default_factory=list, description="Cluster names; all if empty.")
    resolve_digests: bool = Field(
        default=True, description="Resolve ECR image tags to digests (ecr:DescribeImages)."
    )


def _secret_backend(value_from: str) -> str:
    # Secrets Manager references are always ARNs; SSM ones may be ARNs or bare names.
    return "aws-secretsmanager" if ":secretsmanager:" in value_from else "aws-ssm"


def transform(
    services: list[tuple[str, dict[str, Any], dict[str, Any]]],
    digests: dict[tuple[str, str], str],
    scope_of: Any,
    ctx: CollectContext,
) -> list[Record]:
    """(cluster, service, task definition) triples to records."""
    out: list[Record] = []
    for cluster, svc, td in services:
        workload = scope_of(cluster, svc["serviceName"])
        where = f"ecs:{cluster}/{svc['serviceName']}:{strip_arn(td.get('taskDefinitionArn', ''))}"
        out.append(ctx.config_entry(workload, "desiredCount", svc.get("desiredCount"), where))
        launch = svc.get("launchType") or ",".join(
            sorted(c.get("capacityProvider", "") for c in svc.get("capacityProviderStrategy", []))
        )
        out.append(ctx.config_entry(workload, "launchType", launch, where))
        for key in ("cpu", "memory"):
            if td.get(key) is not None:
                out.append(ctx.config_entry(workload, f"task.{key}", td[key], where))
        for c in td.get("containerDefinitions", []):
            name = c["name"]
            cscope = f"{workload}/{name}"
            repo, tag, digest = parse_image_ref(c.get("image", ""))
            digest = digest or digests.get((repo, tag or "latest"))
            out.append(Image(workload, name, repo, tag, digest, where))
            for e in sorted(c.get("environment", []), key=lambda e: e["name"]):
                out.append(
                    ctx.config_entry(cscope, e["name"], e.get("value", ""), where, env_var=True)
                )
            for s in sorted(c.get("secrets", []), key=lambda s: s["name"]):
                ref = strip_arn(s["valueFrom"])
                out.append(
                    SecretRef(
                        cscope, ref, _secret_backend(s["valueFrom"]), where, env_var=s["name"]
                    )
                )
                out.append(
                    ConfigEntry(
                        cscope,
                        s["name"],
                        None,
                        where,
                        value_ref=ValueRef(RefBackend(_secret_backend(s["valueFrom"])), ref),
                        env_var=True,
                    )
                )
            for key in ("cpu", "memory", "memoryReservation"):
                if c.get(key) is not None:
                    out.append(ctx.config_entry(cscope, key, c[key], where))
            cmd = [*(c.get("entryPoint") or []), *(c.get("command") or [])]
            if cmd:
                out.append(ctx.config_entry(cscope, "command", shlex.join(cmd), where))
            log = (c.get("logConfiguration") or {}).get("logDriver")
            if log:
                out.append(ctx.config_entry(cscope, "logDriver", log, where))
    return out


class EcsCollector(AwsCollector[EcsOptions]):
    """Walks clusters and services; DescribeServices 10 at a time, task definitions in parallel."""

    type_name = "aws-ecs"
    Options = EcsOptions
    OPERATIONS = {
        "ecs": ("ListClusters", "ListServices", "DescribeServices", "DescribeTaskDefinition"),
    }
    summary = "ECS services: images (+digests), env, secrets, cpu/memory, command, capacity"

    @classmethod
    def declared_operations(cls, options: BaseOptions) -> dict[str, tuple[str, ...]]:
        if getattr(options, "resolve_digests", True):
            return {**cls.OPERATIONS, "ecr": ("DescribeImages",)}
        return cls.OPERATIONS

    def collect_region(self, region: str) -> list[Record]:
        opts = self.options
        records: list[Record] = []
        ecs = self.client("ecs", region)
        if opts.clusters:
            clusters = sorted(opts.clusters)
        else:
            clusters = sorted(
                a.rsplit("/", 1)[-1] for a in self.paginate(ecs, "ListClusters", "clusterArns", 100)
            )

        def services_of(cluster: str, ecs: Any = ecs) -> list[dict[str, Any]]:
            arns = list(self.paginate(ecs, "ListServices", "serviceArns", 100, cluster=cluster))
            out: list[dict[str, Any]] = []
            for i in range(0, len(arns), 10):
                out += ecs.describe_services(cluster=cluster, services=arns[i : i + 10])["services"]
            return [s for s in out if s.get("status") != "INACTIVE"]

        per_cluster = self.pool_map(services_of, clusters)
        pairs = [(c, s) for c, svcs in zip(clusters, per_cluster, strict=True) for s in svcs]
        td_arns = sorted({s["taskDefinition"] for _, s in pairs})

        def task_def(arn: str, ecs: Any = ecs) -> dict[str, Any]:
            result: dict[str, Any] = ecs.describe_task_definition(taskDefinition=arn)
            return result["taskDefinition"]  # type: ignore[no-any-return]

        tds = dict(zip(td_arns, self.pool_map(task_def, td_arns), strict=True))
        triples = sorted(
            ((c, s, tds[s["taskDefinition"]]) for c, s in pairs),
            key=lambda t: (t[0], t[1]["serviceName"]),
        )
        digests: dict[tuple[str, str], str] = {}
        if opts.resolve_digests:
            wanted = []
            for _, _, td in triples:
                for c in td.get("containerDefinitions", []):
                    repo, tag, digest = parse_image_ref(c.get("image", ""))
                    if not digest:
                        wanted.append((repo, tag or "latest"))
            digests = resolve_digests(self, wanted)
        records.extend(
            transform(triples, digests, lambda c, s, r=region: self.scope_for(r, c, s), self.ctx)
        )
        return records
