"""aws-s3: data-volume figures (objects and bytes) per bucket, by bounded listing or CloudWatch."""

from __future__ import annotations

import fnmatch
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import Field

from parity.model import DataVolume, Record

from ..interface import BaseOptions
from .base import AwsCollector, AwsOptions


class S3Options(AwsOptions):
    """Options of aws-s3."""

    buckets: list[str] = Field(default_factory=lambda: ["*"], description="Bucket name globs.")
    max_objects: int = Field(
        default=100_000,
        ge=1000,
        description="Listing cap per bucket; beyond it the count is a lower-bound estimate.",
    )
    use_cloudwatch: bool = Field(
        default=False,
        description="Use CloudWatch daily storage metrics (estimate) instead of listing.",
    )


def s3_transform(rows: list[tuple[str, int, int, bool, str]], scope: str) -> list[DataVolume]:
    """(bucket, objects, bytes, exact, how) rows to records."""
    out = []
    for bucket, objects, size, exact, how in sorted(rows):
        out.append(DataVolume(scope, f"{bucket}:objects", float(objects), "objects", exact, how))
        out.append(DataVolume(scope, f"{bucket}:bytes", float(size), "bytes", exact, how))
    return out


class S3Collector(AwsCollector[S3Options]):
    """Counts objects and bytes per bucket: bounded listing, or CloudWatch storage metrics."""

    type_name = "aws-s3"
    Options = S3Options
    OPERATIONS = {"s3": ("ListBuckets", "ListObjectsV2")}
    summary = "S3 buckets: object count and bytes (listing capped, or CloudWatch estimate)"

    @classmethod
    def declared_operations(cls, options: BaseOptions) -> dict[str, tuple[str, ...]]:
        if getattr(options, "use_cloudwatch", False):
            return {"s3": ("ListBuckets",), "cloudwatch": ("GetMetricStatistics",)}
        return cls.OPERATIONS

    def collect_region(self, region: str) -> list[Record]:
        opts = self.options
        records: list[Record] = []
        s3 = self.client("s3", region)
        buckets = sorted(
            b["Name"]
            for b in s3.list_buckets().get("Buckets", [])
            if any(fnmatch.fnmatchcase(b["Name"], g) for g in opts.buckets)
        )
        if opts.use_cloudwatch:
            cw = self.client("cloudwatch", region)

            def measure(b: str) -> tuple[str, int, int, bool, str]:
                return self._cloudwatch(cw, b)

        else:

            def measure(b: str) -> tuple[str, int, int, bool, str]:
                return self._listing(s3, b, opts.max_objects)

        rows = self.pool_map(measure, buckets)
        records.extend(s3_transform(rows, self.scope_for(region)))
        return records

    def _listing(self, s3: Any, bucket: str, cap: int) -> tuple[str, int, int, bool, str]:
        objects = size = 0
        truncated = False
        for obj in self.paginate(s3, "ListObjectsV2", "Contents", 1000, Bucket=bucket):
            objects += 1
            size += int(obj.get("Size", 0))
            if objects >= cap:
                truncated = True
                break
        how = f"s3:{bucket} (listing{' capped at ' + str(cap) if truncated else ''})"
        return bucket, objects, size, not truncated, how

    def _cloudwatch(self, cw: Any, bucket: str) -> tuple[str, int, int, bool, str]:
        end = datetime.now(UTC)
        start = end - timedelta(days=2)

        def latest(metric: str, storage: str) -> int:
            resp = cw.get_metric_statistics(
                Namespace="AWS/S3",
                MetricName=metric,
                StartTime=start,
                EndTime=end,
                Period=86400,
                Statistics=["Average"],
                Dimensions=[
                    {"Name": "BucketName", "Value": bucket},
                    {"Name": "StorageType", "Value": storage},
                ],
            )
            points = sorted(resp.get("Datapoints", []), key=lambda p: p["Timestamp"])
            return int(points[-1]["Average"]) if points else 0

        objects = latest("NumberOfObjects", "AllStorageTypes")
        size = latest("BucketSizeBytes", "StandardStorage")
        return bucket, objects, size, False, f"s3:{bucket} (CloudWatch daily metric)"
