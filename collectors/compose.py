"""docker-compose files: per service image, environment, secrets, configs, ports, command."""

from __future__ import annotations

import shlex
from typing import Any

from pydantic import Field

from parity.errors import CollectorError, ParseError
from parity.model import Image, SecretRef

from ._imageref import parse_image_ref
from ._parsing import load_yaml_documents
from .dotenv import parse_dotenv
from .interface import Collector, CollectorResult, FileOptions


class ComposeOptions(FileOptions):
    """Options of the compose collector."""

    fingerprint_secret_files: bool = Field(
        default=True,
        description="Fingerprint (never store) the content of `file:` secrets, to catch sharing.",
    )


def _env_items(env: Any, shown: str, service: str) -> dict[str, str]:
    if env is None:
        return {}
    if isinstance(env, dict):
        return {str(k): "" if v is None else str(v) for k, v in env.items()}
    if isinstance(env, list):
        out = {}
        for item in env:
            key, _, value = str(item).partition("=")
            out[key] = value
        return out
    raise ParseError(shown, None, f"services.{service}.environment must be a list or a map")


def _names(items: Any) -> list[str]:
    out = []
    for item in items or []:
        out.append(str(item.get("source")) if isinstance(item, dict) else str(item))
    return out


def _ports(items: Any) -> list[str]:
    out = []
    for p in items or []:
        if isinstance(p, dict):
            out.append(f"{p.get('published', '')}:{p.get('target', '')}/{p.get('protocol', 'tcp')}")
        else:
            out.append(str(p))
    return sorted(out)


class ComposeCollector(Collector[ComposeOptions]):
    """Reads a docker-compose file and the env_files it references."""

    type_name = "compose"
    Options = ComposeOptions
    summary = "docker-compose services: image, environment, env_file, secrets, ports, command"

    def collect(self) -> CollectorResult:
        opts = self.options
        path = self.ctx.resolve(opts.path)
        shown = self.ctx.display(path)
        docs = load_yaml_documents(self.ctx.read_text(path), shown)
        doc = docs[0] if len(docs) == 1 else None
        if not isinstance(doc, dict) or not isinstance(doc.get("services"), dict):
            raise ParseError(shown, None, "no 'services' map: is this a compose file?")
        result = CollectorResult()
        top_secrets = doc.get("secrets") or {}
        for service, spec in sorted(doc["services"].items()):
            if not isinstance(spec, dict):
                raise ParseError(shown, None, f"services.{service} must be a map")
            scope = f"{self.scope}/{service}"
            where = f"{shown}#services.{service}"
            if spec.get("image"):
                repo, tag, digest = parse_image_ref(str(spec["image"]))
                result.records.append(Image(scope, service, repo, tag, digest, where))
            env: dict[str, tuple[str, str]] = {}
            env_files = spec.get("env_file") or []
            for ef in [env_files] if isinstance(env_files, str | dict) else env_files:
                ef_path = ef.get("path") if isinstance(ef, dict) else ef
                required = ef.get("required", True) if isinstance(ef, dict) else True
                full = path.parent / str(ef_path)
                if not full.is_file() and not required:
                    continue
                ef_shown = self.ctx.display(full)
                for e in parse_dotenv(self.ctx.read_text(full), ef_shown):
                    env[e.key] = (e.value, f"{ef_shown}:{e.line}")
            for k, v in _env_items(spec.get("environment"), shown, service).items():
                env[k] = (v, f"{where}.environment")
            for k, (v, src) in sorted(env.items()):
                result.records.append(self.ctx.config_entry(scope, k, v, src, env_var=True))
            for name in _names(spec.get("secrets")):
                fp = self._secret_fingerprint(top_secrets.get(name), path)
                result.records.append(
                    SecretRef(scope, name, "compose-secret", f"{where}.secrets", fingerprint=fp)
                )
            configs = _names(spec.get("configs"))
            if configs:
                result.records.append(
                    self.ctx.config_entry(scope, "configs", sorted(configs), f"{where}.configs")
                )
            if spec.get("ports"):
                result.records.append(
                    self.ctx.config_entry(scope, "ports", _ports(spec["ports"]), f"{where}.ports")
                )
            if spec.get("command") is not None:
                cmd = spec["command"]
                text = shlex.join(map(str, cmd)) if isinstance(cmd, list) else str(cmd)
                result.records.append(
                    self.ctx.config_entry(scope, "command", text, f"{where}.command")
                )
        return result

    def _secret_fingerprint(self, decl: Any, compose_path: Any) -> str | None:
        if not self.options.fingerprint_secret_files or not isinstance(decl, dict):
            return None
        if not decl.get("file"):
            return None
        secret_path = compose_path.parent / str(decl["file"])
        try:
            content = secret_path.read_text(encoding="utf-8").strip()
        except OSError as e:
            raise CollectorError(
                f"compose secret file {self.ctx.display(secret_path)} is not readable",
                hint="fix the path, or set fingerprint_secret_files = false",
            ) from e
        return self.ctx.guard.fingerprint(content) if content else None
