"""Collector registry: an explicit dict, plus plugin types from the `parity.collectors` group."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from parity.errors import ConfigError

from .aws import AWS_COLLECTORS
from .aws.config import AwsConfig
from .compose import ComposeCollector
from .config_file import ConfigFileCollector
from .dotenv import DotenvCollector
from .environ import EnvironCollector
from .interface import BaseOptions, Collector
from .k8s import K8sCollector
from .node_deps import NodeDepsCollector
from .python_deps import PythonDepsCollector
from .source_code import SourceCodeCollector

if TYPE_CHECKING:
    from parity.settings import SourceConfig

_BUILT_IN: tuple[type[Collector[Any]], ...] = (
    DotenvCollector,
    ConfigFileCollector,
    EnvironCollector,
    PythonDepsCollector,
    NodeDepsCollector,
    ComposeCollector,
    K8sCollector,
    SourceCodeCollector,
    *AWS_COLLECTORS,
)
COLLECTORS: dict[str, type[Collector[Any]]] = {c.type_name: c for c in _BUILT_IN}
ENTRY_POINT_GROUP = "parity.collectors"
# Per-environment connection tables (`[environments.X.aws]`), owned by collector families.
CONNECTIONS: dict[str, type[BaseModel]] = {"aws": AwsConfig}


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
