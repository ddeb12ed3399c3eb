"""aws-dynamodb: data-volume figures (items and bytes) per table from DescribeTable."""

from __future__ import annotations

import fnmatch
from typing import Any

from pydantic import Field

from parity.model import DataVolume, Record

from .base import AwsCollector, AwsOptions


class DynamoOptions(AwsOptions):
    """Options of aws-dynamodb."""

    tables: list[str] = Field(default_factory=lambda: ["*"], description="Table name globs.")


def dynamo_transform(tables: list[dict[str, Any]], scope: str) -> list[DataVolume]:
    """DescribeTable results to records (DynamoDB refreshes counts about every 6 hours)."""
    out = []
    for t in sorted(tables, key=lambda t: t["TableName"]):
        name = t["TableName"]
        how = f"dynamodb:{name} (DescribeTable, ~6-hourly estimate)"
        out.append(
            DataVolume(scope, f"{name}:items", float(t.get("ItemCount", 0)), "items", False, how)
        )
        out.append(
            DataVolume(
                scope, f"{name}:bytes", float(t.get("TableSizeBytes", 0)), "bytes", False, how
            )
        )
    return out


class DynamoCollector(AwsCollector[DynamoOptions]):
    """ListTables (100 per page), DescribeTable per table in parallel."""

    type_name = "aws-dynamodb"
    Options = DynamoOptions
    OPERATIONS = {"dynamodb": ("ListTables", "DescribeTable")}
    summary = "DynamoDB tables: item count and size (DescribeTable estimates)"

    def collect_region(self, region: str) -> list[Record]:
        opts = self.options
        records: list[Record] = []
        ddb = self.client("dynamodb", region)
        names = sorted(
            n
            for n in self.paginate(ddb, "ListTables", "TableNames", 100)
            if any(fnmatch.fnmatchcase(n, g) for g in opts.tables)
        )

        def describe(name: str) -> dict[str, Any]:
            table: dict[str, Any] = ddb.describe_table(TableName=name)["Table"]
            return table

        tables = self.pool_map(describe, names)
        records.extend(dynamo_transform(tables, self.scope_for(region)))
        return records
