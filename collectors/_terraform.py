"""One Terraform root module as Terraform evaluates it: every `.tf` of it, the variable values
of its `tfvars` files in Terraform's order, references resolved where the values are known.

Shared by the `config-file` collector (a `.tf`/`.tfvars`/`.hcl` file or several) and the
`terraform` collector (a whole directory). What it produces:

- every attribute of every block, keyed by labels (`resource.aws_db_instance.main.x`); an
  attribute that is a whole reference (`= var.instance_class`) is kept as that reference
  (`RefBackend.TERRAFORM`): the value it resolves to is reported once, at the variable;
- each variable's effective value (`var.instance_class`: default, then terraform.tfvars, then
  `*.auto.tfvars`, then `-var-file`s, then `-var`s), from the file and line that set it; a
  `sensitive = true` variable's value is fingerprinted, never stored;
- module calls and required providers as dependencies (`terraform-module`, `terraform-provider`),
  versions from `?ref=`/`version =` and from `.terraform.lock.hcl` when present.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from parity.errors import ParseError
from parity.model import ConfigEntry, Dependency, Record, RefBackend, ValueRef

from . import _hcl
from ._flatten import flatten
from .interface import CollectContext

_WHOLE = re.compile(r"^\$\{([^{}]*)\}$")
_REF_QUERY = re.compile(r"[?&]ref=([^&]+)")


@dataclass
class Module:
    """A root module's files, parsed: (shown path, blocks, line index) per `.tf` file, and the
    variable values (shown path, {name: value}, line index) in Terraform's order."""

    files: list[tuple[str, dict[str, Any], _hcl.Lines]] = field(default_factory=list)
    var_files: list[tuple[str, dict[str, Any], _hcl.Lines]] = field(default_factory=list)
    cli_vars: dict[str, Any] = field(default_factory=dict)
    lock: dict[str, str] = field(default_factory=dict)  # provider source -> locked version

    def add_tf(self, shown: str, text: str) -> None:
        self.files.append((shown, _hcl.blocks(_hcl.parse_hcl(text, shown)), _hcl.Lines(text)))

    def add_tfvars(self, shown: str, text: str) -> None:
        if shown.endswith(".json"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as e:
                raise ParseError(shown, e.lineno, f"invalid JSON: {e.msg}") from e
            if not isinstance(data, dict):
                raise ParseError(shown, 1, "a .tfvars.json file holds one JSON object")
        else:
            data = _hcl.tfvars(_hcl.parse_hcl(text, shown))
        self.var_files.append((shown, data, _hcl.Lines(text)))

    def add_lock(self, text: str, shown: str) -> None:
        providers = _hcl.blocks(_hcl.parse_hcl(text, shown)).get("provider", {})
        for source, body in providers.items():
            if isinstance(body, dict) and body.get("version"):
                self.lock[_provider_name(source)] = str(body["version"])

    def records(self, ctx: CollectContext, scope: str, *, per_kind: bool) -> list[Record]:
        """The module's records: `per_kind` puts each block kind in a scope of its own
        (`terraform/resource`: `aws_db_instance.main.x`), else one scope with the kind in
        the key (`resource.aws_db_instance.main.x`, as a config file reads)."""
        variables, var_source, sensitive = self._variables()
        local = self._locals(variables)
        out: list[Record] = []
        seen: set[tuple[str, str]] = set()

        def place(key: str) -> tuple[str, str]:
            if not per_kind:
                return scope, key
            kind, _, rest = key.partition(".")
            return f"{scope}/{kind}", rest or kind

        for shown, blocks, lines in self.files:
            covered: set[str] = set()  # a module's or provider's version: its dependency's
            out.extend(self._dependencies(shown, blocks, lines, variables, local, covered))
            for kind, body in blocks.items():
                for key, value in flatten({kind: body}, ctx.list_keys, shown):
                    at, k = place(key)
                    if key in covered or (at, k) in seen or _declaration(key):
                        continue  # defined twice: Terraform refuses it; the first is reported
                    seen.add((at, k))
                    line = lines.line(key)
                    where = f"{shown}:{line}" if line else shown
                    out.append(_entry(ctx, at, k, value, where, variables, local, sensitive))
        for name, value in variables.items():
            at, k = place(f"var.{name}")
            source = var_source.get(name, "(no value)")
            if name in sensitive and value not in (None, ""):
                fp = ctx.guard.fingerprint(_text(value))
                out.append(ConfigEntry(at, k, None, source, fp))
            else:
                out.append(ctx.config_entry(at, k, value, source))
        return out

    def _variables(self) -> tuple[dict[str, Any], dict[str, str], set[str]]:
        values: dict[str, Any] = {}
        source: dict[str, str] = {}
        sensitive: set[str] = set()
        for shown, blocks, lines in self.files:
            for name, decl in (blocks.get("variable") or {}).items():
                decl = decl if isinstance(decl, dict) else {}
                if decl.get("sensitive") is True:
                    sensitive.add(name)
                if "default" in decl:
                    values[name] = decl["default"]
                    line = lines.line(f"variable.{name}.default")
                    source[name] = f"{shown}:{line}" if line else shown
                else:
                    values.setdefault(name, None)
        for shown, data, lines in self.var_files:  # later files win, as -var-file does
            for name, value in data.items():
                values[name] = value
                line = lines.line(name)
                source[name] = f"{shown}:{line}" if line else shown
        for name, value in self.cli_vars.items():
            values[name] = value
            source[name] = "vars (source options)"
        return values, source, sensitive

    def _locals(self, variables: Mapping[str, Any]) -> dict[str, Any]:
        local: dict[str, Any] = {}
        for _, blocks, _ in self.files:
            local.update(blocks.get("locals") or {})
        for _ in range(5):  # locals refer to locals: a few passes settle every finite chain
            local = {k: _hcl.resolve(v, variables, local) for k, v in local.items()}
        return local

    def _dependencies(
        self,
        shown: str,
        blocks: Mapping[str, Any],
        lines: _hcl.Lines,
        variables: Mapping[str, Any],
        local: Mapping[str, Any],
        covered: set[str],
    ) -> list[Record]:
        """Module calls and required providers as dependencies; the keys they speak for
        (`module.rds.source`, `.version`) are added to `covered`, reported once."""
        out: list[Record] = []
        for label, call in (blocks.get("module") or {}).items():
            if not isinstance(call, dict) or not isinstance(call.get("source"), str):
                continue
            source = _hcl.resolve(call["source"], variables, local)
            if not isinstance(source, str) or source.startswith(("./", "../", "/")):
                continue  # a local module is the repository's own code, not a dependency
            m = _REF_QUERY.search(source)
            version = m.group(1) if m else call.get("version")
            if not version:
                continue
            line = lines.line(f"module.{label}.source")
            name = _module_name(source)
            covered.update((f"module.{label}.source", f"module.{label}.version"))
            out.append(
                Dependency(
                    "terraform-module",
                    f"{label}:{name}",
                    str(version),
                    f"{shown}:{line}" if line else shown,
                )
            )
        terraform = blocks.get("terraform") or {}
        required = terraform.get("required_providers") if isinstance(terraform, dict) else None
        for local_name, req in (required or {}).items() if isinstance(required, dict) else ():
            if not isinstance(req, dict):
                continue
            provider = _provider_name(str(req.get("source") or f"hashicorp/{local_name}"))
            version = self.lock.get(provider) or req.get("version")
            if version:
                covered.update(
                    f"terraform.required_providers.{local_name}.{f}" for f in ("source", "version")
                )
                line = lines.line(f"terraform.required_providers.{local_name}")
                where = f"{shown}:{line}" if line else shown
                out.append(Dependency("terraform-provider", provider, str(version), where))
        return out


def _module_name(source: str) -> str:
    """A module source without what only says how to fetch it: `git::https://github.com/a/
    b.git?ref=v1` and `github.com/a/b?ref=v2` are one module, `github.com/a/b`."""
    name = _REF_QUERY.sub("", source).rstrip("?")
    name = re.sub(r"^(git::|hg::|s3::|gcs::)", "", name)
    name = re.sub(r"^(https?|ssh|git)://(git@)?", "", name)
    return re.sub(r"\.git(?=//|$)", "", name.removeprefix("git@").replace(":", "/", 1))


def _declaration(key: str) -> bool:
    """`variable.x.type`, `.default`, `.description`: a variable's declaration, not the
    environment's configuration — its effective value is reported once, at `var.x`."""
    return key.startswith("variable.")


def _provider_name(source: str) -> str:
    """`registry.terraform.io/hashicorp/aws` and `hashicorp/aws` are one provider."""
    parts = source.lower().split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else source.lower()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _entry(
    ctx: CollectContext,
    scope: str,
    key: str,
    value: Any,
    where: str,
    variables: Mapping[str, Any],
    local: Mapping[str, Any],
    sensitive: set[str],
) -> ConfigEntry:
    """An attribute: a whole reference stays a reference (its value is reported once, where
    it is set); an interpolation is resolved where every part is known; what still refers to
    something unknown here (a resource attribute, a function) is an expression, never a
    secret."""
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole:
            expr = whole.group(1).strip()
            return ConfigEntry(scope, key, expr, where, None, ValueRef(RefBackend.TERRAFORM, expr))
        if "${" in value:
            names = {r.removeprefix("var.") for r in _hcl.references(value)}
            if names & sensitive:  # an interpolation of a sensitive variable: withheld
                return ConfigEntry(
                    scope, key, value, where, None, ValueRef(RefBackend.TERRAFORM, value)
                )
            resolved = _hcl.resolve(value, variables, local)
            if _hcl.is_expression(resolved):
                return ConfigEntry(
                    scope, key, resolved, where, None, ValueRef(RefBackend.TERRAFORM, resolved)
                )
            value = resolved
    return ctx.config_entry(scope, key, value, where)
