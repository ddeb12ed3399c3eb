"""aws-ecr: repositories' tags and digests, and tag-to-digest resolution for ECS and Lambda.

The same tag pointing at different digests in two accounts means the image was rebuilt or the
tag moved: only digests say whether staging tested what production runs.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from typing import Any

from pydantic import Field

from parity.model import Image, Record

from .base import AwsCollector, AwsOptions

ECR_HOST = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?$"
)


def ecr_repository(repository: str) -> tuple[str, str, str] | None:
    """(account, region, repository name) when an image repository is hosted in ECR."""
    host, _, name = repository.partition("/")
    m = ECR_HOST.match(host)
    return (m["account"], m["region"], name) if m and name else None


def resolve_digests(
    collector: AwsCollector[Any], images: list[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Digests for (ECR repository URI, tag) pairs; one DescribeImages call per repository."""
    by_repo: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for repo, tag in sorted(set(images)):
        parsed = ecr_repository(repo)
        if parsed:
            by_repo[parsed].append(tag)

    def describe(item: tuple[tuple[str, str, str], list[str]]) -> dict[tuple[str, str], str]:
        (account, region, name), tags = item
        ecr = collector.client("ecr", region)
        out: dict[tuple[str, str], str] = {}
        uri = f"{account}.dkr.ecr.{region}.amazonaws.com/{name}"
        for i in range(0, len(tags), 100):
            resp = ecr.describe_images(
                registryId=account,
                repositoryName=name,
                imageIds=[{"imageTag": t} for t in tags[i : i + 100]],
            )
            for detail in resp.get("imageDetails", []):
                for t in detail.get("imageTags") or []:
                    out[(uri, t)] = detail["imageDigest"]
        return out

    resolved: dict[tuple[str, str], str] = {}
    for part in collector.pool_map(describe, sorted(by_repo.items())):
        resolved.update(part)
    return resolved


class EcrOptions(AwsOptions):
    """Options of aws-ecr."""

    repositories: list[str] = Field(
        default_factory=list, description="Names (globs); all if empty."
    )
    tags: list[str] = Field(default_factory=lambda: ["*"], description="Tag globs to record.")


def transform(
    repos: list[dict[str, Any]], images: list[list[dict[str, Any]]], scope: str, tags: list[str]
) -> list[Image]:
    """Repository images to Image records: workload = repository, container = tag."""
    out = []
    for repo, details in zip(repos, images, strict=True):
        for d in details:
            for tag in d.get("imageTags") or []:
                if any(fnmatch.fnmatchcase(tag, g) for g in tags):
                    out.append(
                        Image(
                            f"{scope}/{repo['repositoryName']}",
                            tag,
                            repo["repositoryUri"],
                            tag,
                            d["imageDigest"],
                            f"ecr:{repo['repositoryName']}:{tag}",
                        )
                    )
    return out


class EcrCollector(AwsCollector[EcrOptions]):
    """Lists repositories and their tagged images."""

    type_name = "aws-ecr"
    Options = EcrOptions
    OPERATIONS = {"ecr": ("DescribeRepositories", "DescribeImages")}
    summary = "ECR repositories: tag -> digest, to catch moved tags across accounts"

    def collect_region(self, region: str) -> list[Record]:
        opts = self.options
        records: list[Record] = []
        ecr = self.client("ecr", region)
        repos = [
            r
            for r in self.paginate(ecr, "DescribeRepositories", "repositories", 1000)
            if not opts.repositories
            or any(fnmatch.fnmatchcase(r["repositoryName"], g) for g in opts.repositories)
        ]
        repos.sort(key=lambda r: r["repositoryName"])

        def images(repo: dict[str, Any], ecr: Any = ecr) -> list[dict[str, Any]]:
            return list(
                self.paginate(
                    ecr,
                    "DescribeImages",
                    "imageDetails",
                    1000,
                    repositoryName=repo["repositoryName"],
                    filter={"tagStatus": "TAGGED"},
                )
            )

        records.extend(
            transform(repos, self.pool_map(images, repos), self.scope_for(region), opts.tags)
        )
        return records
