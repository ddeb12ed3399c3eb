"""AWS collectors (boto3, imported lazily): read-only, paginated, concurrent, fail closed."""

from __future__ import annotations

from typing import Any

from .base import AwsCollector
from .dynamodb import DynamoCollector
from .ecr import EcrCollector
from .ecs import EcsCollector
from .lambda_ import LambdaCollector
from .rds import RdsCollector
from .s3 import S3Collector
from .secrets import SecretsCollector
from .ssm import SsmCollector

AWS_COLLECTORS: tuple[type[AwsCollector[Any]], ...] = (
    SsmCollector,
    SecretsCollector,
    EcsCollector,
    LambdaCollector,
    RdsCollector,
    EcrCollector,
    S3Collector,
    DynamoCollector,
)
