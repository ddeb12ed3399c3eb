"""Collector registry: an explicit dict, plus plugin types from the `parity.collectors` group."""

from __future__ import annotations

from importlib.metadata import entry_points

from pydantic import ValidationError

from parity.errors import ConfigError

from .aws import AWS_COLLECTORS
from .compose import ComposeCollector
from .config_file import ConfigFileCollector
from .dotenv import DotenvCollector
from .environ import EnvironCollector
from .interface import BaseOptions, Collector
from .k8s import K8sCollector
from .node_deps import NodeDepsCollector
from .python_deps import PythonDepsCollector
from .source_code import SourceCodeCollector

COLLECTORS: dict[str, type[Collector]] = {
    c.type_name: c
    for c in (
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
}
ENTRY_POINT_GROUP = "parity.collectors"


def get_collector(type_name: str) -> type[Collector]:
    """Built-in collector by type, else a plugin's; unknown types are configuration errors."""
    if type_name in COLLECTORS:
        return COLLECTORS[type_name]
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == type_name:
            cls = ep.load()
            if not (isinstance(cls, type) and issubclass(cls, Collector)):
                raise ConfigError(f"plugin {ep.value} for {type_name!r} is not a Collector")
            return cls
    known = ", ".join(sorted(COLLECTORS))
    raise ConfigError(f"unknown collector type {type_name!r}", hint=f"known types: {known}")


def validate_source_options(where: str, loc: str, source: object) -> BaseOptions:
    """Check a source's options against its collector's model; name the file and key on error."""
    from parity.settings import SourceConfig, format_validation_error

    assert isinstance(source, SourceConfig)
    try:
        cls = get_collector(source.type)
    except ConfigError as e:
        raise ConfigError(f"{where}: {loc}.type: {e.message}", hint=e.hint) from e
    try:
        return cls.Options(**source.options)
    except ValidationError as e:
        msg = format_validation_error(where, e)
        raise ConfigError(msg.replace(f"{where}: ", f"{where}: {loc}.")) from e
