"""aws-rds: instances and clusters: engine versions (as dependencies), class, multi-AZ, params."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from parity.model import Dependency, Record

from ..interface import CollectContext
from .base import AwsCollector, AwsOptions


class RdsOptions(AwsOptions):
    """Options of aws-rds."""

    parameters: bool = Field(default=True, description="Record non-default parameters.")


def transform(
    instances: list[dict[str, Any]],
    clusters: list[dict[str, Any]],
    params: dict[str, list[dict[str, Any]]],
    scope_of: Any,
    ctx: CollectContext,
) -> list[Record]:
    """DB instances/clusters and their user-set parameters to records."""
    out: list[Record] = []
    for kind, items, id_key in (
        ("cluster", clusters, "DBClusterIdentifier"),
        ("instance", instances, "DBInstanceIdentifier"),
    ):
        for db in sorted(items, key=lambda d: d[id_key]):
            ident = db[id_key]
            workload = scope_of(kind, ident)
            where = f"rds:{kind}/{ident}"
            out.append(Dependency(f"aws-rds-{db['Engine']}", ident, db["EngineVersion"], where))
            out.append(ctx.config_entry(workload, "engine", db["Engine"], where))
            if kind == "instance":
                if db.get("DBClusterIdentifier"):
                    out.append(
                        ctx.config_entry(workload, "cluster", db["DBClusterIdentifier"], where)
                    )
                out.append(
                    ctx.config_entry(workload, "instance_class", db["DBInstanceClass"], where)
                )
                groups = [g["DBParameterGroupName"] for g in db.get("DBParameterGroups", [])]
            else:
                groups = []
                if db.get("DBClusterParameterGroup"):
                    out.append(
                        ctx.config_entry(
                            workload,
                            "cluster_parameter_group",
                            db["DBClusterParameterGroup"],
                            where,
                        )
                    )
            out.append(ctx.config_entry(workload, "multi_az", bool(db.get("MultiAZ")), where))
            for g in groups:
                out.append(ctx.config_entry(workload, "parameter_group", g, where))
                for p in sorted(params.get(g, []), key=lambda p: p["ParameterName"]):
                    out.append(
                        ctx.config_entry(
                            f"{workload}/parameters",
                            p["ParameterName"],
                            p.get("ParameterValue", ""),
                            f"rds:pg/{g}",
                        )
                    )
    return out


class RdsCollector(AwsCollector[RdsOptions]):
    """DescribeDBInstances / DescribeDBClusters (100 per page), user parameters per group."""

    type_name = "aws-rds"
    Options = RdsOptions
    OPERATIONS = {"rds": ("DescribeDBInstances", "DescribeDBClusters", "DescribeDBParameters")}
    summary = "RDS: engine versions, instance class, multi-AZ, non-default parameters"

    def collect_region(self, region: str) -> list[Record]:
        opts = self.options
        records: list[Record] = []
        rds = self.client("rds", region)
        instances = list(self.paginate(rds, "DescribeDBInstances", "DBInstances", 100))
        clusters = list(self.paginate(rds, "DescribeDBClusters", "DBClusters", 100))
        groups = (
            sorted(
                {
                    g["DBParameterGroupName"]
                    for db in instances
                    for g in db.get("DBParameterGroups", [])
                }
            )
            if opts.parameters
            else []
        )

        def user_params(group: str, rds: Any = rds) -> list[dict[str, Any]]:
            return list(
                self.paginate(
                    rds,
                    "DescribeDBParameters",
                    "Parameters",
                    100,
                    DBParameterGroupName=group,
                    Source="user",
                )
            )

        params = dict(zip(groups, self.pool_map(user_params, groups), strict=True))
        records.extend(
            transform(
                instances,
                clusters,
                params,
                lambda kind, ident, r=region: self.scope_for(r, kind, ident),
                self.ctx,
            )
        )
        return records
