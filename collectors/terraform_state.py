"""A Terraform state file: resources as deployed, not as declared.

Read from a local `terraform.tfstate` or from S3 (`s3://bucket/key`, the store's credentials:
the AWS chain, `PARITY_S3_ENDPOINT_URL`). Split as cartography does: `get` reads the bytes,
`transform` (pure, unit-tested on canned state) turns state version 4 into records — each
resource instance a scope (`state/module.rds.aws_db_instance.main`), its attributes keys;
attributes the state marks sensitive (`sensitive_attributes`) and sensitive outputs are
fingerprinted, never stored; every other value still goes through the one classifier.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import Field

from parity.errors import CollectorError, ParseError, SnapshotError
from parity.model import ConfigEntry, Record

from ._flatten import flatten
from .interface import BaseOptions, CollectContext, Collector, CollectorResult


class TerraformStateOptions(BaseOptions):
    """Options of the terraform-state collector."""

    path: str = Field(
        description="The state file: a local path, or s3://bucket/key (a remote backend)."
    )


def get_state(ctx: CollectContext, path: str) -> tuple[str, str]:
    """(shown location, text) of the state, from disk or S3."""
    if path.startswith("s3://"):
        import importlib.util

        if importlib.util.find_spec("boto3") is None:
            raise CollectorError(f"reading {path} needs boto3", hint="pip install 'parity[aws]'")
        from parity.store.objects import S3Objects

        bucket_and_prefix, _, key = path.rpartition("/")
        try:
            data = S3Objects(bucket_and_prefix).read(key)
        except SnapshotError as e:
            raise CollectorError(e.message, hint=e.hint) from e
        try:
            return path, data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise CollectorError(f"{path} is not UTF-8 text") from e
    file = ctx.resolve(path)
    return ctx.display(file), ctx.read_text(file)


def _sensitive_paths(instance: Mapping[str, Any]) -> set[str]:
    """Dotted attribute paths the state marks sensitive (`password`, `tags.token`, `x[0]`)."""
    out: set[str] = set()
    for steps in instance.get("sensitive_attributes") or []:
        parts: list[str] = []
        for step in steps if isinstance(steps, list) else []:
            if not isinstance(step, Mapping):
                continue
            value = step.get("value")
            if isinstance(value, Mapping):  # an index step: {"value": 0, "type": "number"}
                value = value.get("value")
            if step.get("type") == "get_attr":
                parts.append(str(value))
            else:
                parts.append(f"[{value}]")
        if parts:
            out.add(".".join(parts).replace(".[", "["))
    return out


def _covered(key: str, sensitive: set[str]) -> bool:
    return any(key == p or key.startswith((p + ".", p + "[")) for p in sensitive)


def transform(ctx: CollectContext, scope: str, text: str, shown: str) -> list[Record]:
    """State version 4 into records (pure but for the guard that fingerprints)."""
    try:
        state = json.loads(text)
    except json.JSONDecodeError as e:
        raise ParseError(shown, e.lineno, f"invalid JSON: {e.msg}") from e
    if not isinstance(state, dict) or not isinstance(state.get("resources", []), list):
        raise ParseError(shown, 1, "not a Terraform state (expected an object with resources)")
    version = state.get("version")
    if version != 4:
        raise ParseError(shown, 1, f"state version {version!r} is not supported (expected 4)")
    out: list[Record] = []
    for res in state.get("resources") or []:
        if not isinstance(res, Mapping):
            continue
        address = ".".join(
            str(x)
            for x in (
                res.get("module"),
                "data" if res.get("mode") == "data" else None,
                res.get("type"),
                res.get("name"),
            )
            if x
        )
        for inst in res.get("instances") or []:
            if not isinstance(inst, Mapping):
                continue
            index = inst.get("index_key")
            unit = f"{scope}/{address}" + (f"[{index}]" if index is not None else "")
            out.extend(_attributes(ctx, unit, inst, f"{shown}#{address}"))
    outputs = state.get("outputs") or {}
    for name, output in outputs.items() if isinstance(outputs, Mapping) else ():
        if not isinstance(output, Mapping):
            continue
        where = f"{shown}#outputs.{name}"
        if output.get("sensitive"):
            fp = ctx.guard.fingerprint(_text(output.get("value")))
            out.append(ConfigEntry(f"{scope}/output", name, None, where, fp))
        else:
            out.append(ctx.config_entry(f"{scope}/output", name, output.get("value"), where))
    return out


def _attributes(
    ctx: CollectContext, unit: str, inst: Mapping[str, Any], where: str
) -> Iterable[Record]:
    sensitive = _sensitive_paths(inst)
    attributes = inst.get("attributes") or {}
    for key, value in flatten(attributes, ctx.list_keys, where):
        if value in (None, "", [], {}):
            continue  # an attribute the provider left unset reads as absent
        if _covered(key, sensitive):
            yield ConfigEntry(unit, key, None, where, ctx.guard.fingerprint(_text(value)))
        else:
            yield ctx.config_entry(unit, key, value, where)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


class TerraformStateCollector(Collector[TerraformStateOptions]):
    """Reads a state file (local or S3) as deployed resource attributes."""

    type_name = "terraform-state"
    Options = TerraformStateOptions
    summary = "Terraform state (local or S3): deployed attributes, sensitive ones fingerprinted"

    def location(self) -> str:
        path = self.options.path
        return path if path.startswith("s3://") else self.ctx.display(self.ctx.resolve(path))

    def collect(self) -> CollectorResult:
        shown, text = get_state(self.ctx, self.options.path)
        return CollectorResult(records=transform(self.ctx, self.scope, text, shown))
