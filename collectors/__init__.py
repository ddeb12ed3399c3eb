"""Collector registry: an explicit dict, plus plugin types from the `parity.collectors` group."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from parity.errors import ConfigError

from .interface import BaseOptions, Collector

if TYPE_CHECKING:
    from parity.settings import SourceConfig

# type name -> "module:Class". Named, not imported: a gate on .env files must not pay for
# importing the AWS, Kubernetes or compose collectors (start-up time is a feature).
_BUILT_IN: dict[str, str] = {
    "dotenv": "dotenv:DotenvCollector",
    "config-file": "config_file:ConfigFileCollector",
    "environ": "environ:EnvironCollector",
    "python-deps": "python_deps:PythonDepsCollector",
    "node-deps": "node_deps:NodeDepsCollector",
    "compose": "compose:ComposeCollector",
    "k8s": "k8s:K8sCollector",
    "source-code": "source_code:SourceCodeCollector",
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
}
_CONNECTIONS: dict[str, str] = {
    "aws": "aws.config:AwsConfig",
    "docker": "docker_engine:DockerConfig",
}


def _load(spec: str) -> Any:
    module, _, name = spec.partition(":")
    return getattr(import_module(f"{__name__}.{module}"), name)


class _Registry(Mapping[str, type[Collector[Any]]]):
    """The explicit registry, importing a collector's module on first lookup."""

    def __getitem__(self, type_name: str) -> type[Collector[Any]]:
        cls: type[Collector[Any]] = _load(_BUILT_IN[type_name])
        return cls

    def __iter__(self) -> Iterator[str]:
        return iter(_BUILT_IN)

    def __len__(self) -> int:
        return len(_BUILT_IN)


class _Connections(Mapping[str, type[BaseModel]]):
    """Per-environment connection tables (`[environments.X.aws]`), owned by families."""

    def __getitem__(self, family: str) -> type[BaseModel]:
        model: type[BaseModel] = _load(_CONNECTIONS[family])
        return model

    def __iter__(self) -> Iterator[str]:
        return iter(_CONNECTIONS)

    def __len__(self) -> int:
        return len(_CONNECTIONS)


def entry_points(group: str) -> Any:
    """Installed plugins of a group (importlib.metadata is loaded only when asked)."""
    from importlib.metadata import entry_points as installed

    return installed(group=group)


COLLECTORS: Mapping[str, type[Collector[Any]]] = _Registry()
CONNECTIONS: Mapping[str, type[BaseModel]] = _Connections()
ENTRY_POINT_GROUP = "parity.collectors"


def get_collector(type_name: str) -> type[Collector[Any]]:
    """Built-in collector by type, else a plugin's; unknown types are configuration errors."""
    if type_name in COLLECTORS:
        return COLLECTORS[type_name]
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == type_name:
            cls = ep.load()
            if not (isinstance(cls, type) and issubclass(cls, Collector)):
                raise ConfigError(f"plugin {ep.value} for {type_name!r} is not a Collector")
            return cls
    from difflib import get_close_matches

    known = ", ".join(sorted(COLLECTORS))
    close = get_close_matches(type_name, list(COLLECTORS), n=1)
    suggestion = f"; did you mean {close[0]!r}?" if close else ""
    raise ConfigError(
        f"unknown collector type {type_name!r}{suggestion}", hint=f"known types: {known}"
    )


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
