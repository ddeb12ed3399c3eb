"""Collector registry: built-in types by name, plus plugin types from the `parity.collectors`
entry-point group (parity.registry)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from parity.errors import ConfigError
from parity.registry import Registry

from .interface import BaseOptions, Collector

if TYPE_CHECKING:
    from parity.settings import SourceConfig

# type name -> "module:Class". Named, not imported: a gate on .env files must not pay for
# importing the AWS, Kubernetes or compose collectors (start-up time is a feature).
_BUILT_IN: dict[str, str] = {
    name: f"{__name__}.{spec}"
    for name, spec in {
        "dotenv": "dotenv:DotenvCollector",
        "config-file": "config_file:ConfigFileCollector",
        "environ": "environ:EnvironCollector",
        "python-deps": "python_deps:PythonDepsCollector",
        "node-deps": "node_deps:NodeDepsCollector",
        "compose": "compose:ComposeCollector",
        "k8s": "k8s:K8sCollector",
        "source-code": "source_code:SourceCodeCollector",
        "terraform": "terraform:TerraformCollector",
        "terraform-state": "terraform_state:TerraformStateCollector",
        "aws-ssm": "aws.ssm:SsmCollector",
        "aws-secrets": "aws.secrets:SecretsCollector",
        "aws-ecs": "aws.ecs:EcsCollector",
        "aws-lambda": "aws.lambda_:LambdaCollector",
        "aws-rds": "aws.rds:RdsCollector",
        "aws-ecr": "aws.ecr:EcrCollector",
        "aws-s3": "aws.s3:S3Collector",
        "aws-dynamodb": "aws.dynamodb:DynamoCollector",
        "sql": "sql.collector:SqlCollector",
        "docker": "docker_engine:DockerCollector",
    }.items()
}
_CONNECTIONS: dict[str, str] = {
    "aws": f"{__name__}.aws.config:AwsConfig",
    "docker": f"{__name__}.docker_engine:DockerConfig",
}


def _collector(name: str, found: Any) -> type[Collector[Any]]:
    if not (isinstance(found, type) and issubclass(found, Collector)):
        raise ConfigError(f"the collector registered as {name!r} is not a Collector")
    return found


def _connection(name: str, found: Any) -> type[BaseModel]:
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise ConfigError(f"the connection table registered as {name!r} is not a model")
    return found


COLLECTORS: Registry[type[Collector[Any]]] = Registry(
    "collector type", _BUILT_IN, "parity.collectors", _collector
)
# Per-environment connection tables (`[environments.X.aws]`), owned by collector families.
CONNECTIONS: Registry[type[BaseModel]] = Registry(
    "connection table", _CONNECTIONS, "parity.connections", _connection
)


def get_collector(type_name: str) -> type[Collector[Any]]:
    """Built-in collector by type, else a plugin's; unknown types are configuration errors."""
    return COLLECTORS.get_or_plugin(type_name)


def validate_connection(where: str, loc: str, family: str, raw: Any) -> BaseModel:
    """Check an environment's connection table against its family's model."""
    from parity.errors import format_validation_error

    if family not in CONNECTIONS:
        raise ConfigError(
            f"{where}: {loc}: unknown key",
            hint=f"connection tables: {', '.join(sorted(CONNECTIONS))}",
        )
    try:
        return CONNECTIONS[family].model_validate(raw)
    except ValidationError as e:
        msg = format_validation_error(where, e)
        raise ConfigError(msg.replace(f"{where}: ", f"{where}: {loc}.")) from e


def validate_source_options(where: str, loc: str, source: SourceConfig) -> BaseOptions:
    """Check a source's options against its collector's model; name the file and key on error."""
    from parity.errors import format_validation_error

    try:
        cls = get_collector(source.type)
    except ConfigError as e:
        raise ConfigError(f"{where}: {loc}.type: {e.message}", hint=e.hint) from e
    try:
        return cls.Options(**source.options)
    except ValidationError as e:
        msg = format_validation_error(where, e)
        raise ConfigError(msg.replace(f"{where}: ", f"{where}: {loc}.")) from e
