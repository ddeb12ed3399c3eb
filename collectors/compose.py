"""docker-compose projects: per service image, environment, secrets, configs, ports, command.

The project is read as Compose reads it (see _compose_load): `include`, `extends` across files,
`${VAR}` interpolation from the project's `.env` and the source's `env`/`env_file` options,
env_files relative to the file that declares them. Unresolved variables are noticed (a finding
in production-like environments) and stay visible as `<unresolved=VAR>`.
"""

from __future__ import annotations

import shlex
from typing import Any

from pydantic import Field

from parity.align.imageref import parse_image_ref
from parity.align.values import UNRESOLVED
from parity.errors import CollectorError, ParseError
from parity.model import Image, Notice, SecretRef

from ._compose_load import Project, Service, load_project
from .dotenv import parse_dotenv
from .interface import Collector, CollectorResult, FileOptions


class ComposeOptions(FileOptions):
    """Options of the compose collector."""

    fingerprint_secret_files: bool = Field(
        default=True,
        description="Fingerprint (never store) the content of `file:` secrets, to catch sharing.",
    )
    env: dict[str, str] = Field(
        default_factory=dict, description="Variables for interpolation (over the .env file)."
    )
    env_file: list[str] = Field(
        default_factory=list, description="Extra .env files for interpolation, in order."
    )


def _env_items(env: Any, shown: str, service: str) -> dict[str, str | None]:
    if env is None:
        return {}
    if isinstance(env, dict):
        return {str(k): None if v is None else str(v) for k, v in env.items()}
    if isinstance(env, list):
        out: dict[str, str | None] = {}
        for item in env:
            key, sep, value = str(item).partition("=")
            out[key] = value if sep else None
        return out
    raise ParseError(shown, None, f"services.{service}.environment must be a list or a map")


def _names(items: Any) -> list[str]:
    return [str(i.get("source")) if isinstance(i, dict) else str(i) for i in items or []]


def _ports(items: Any) -> list[str]:
    out = []
    for p in items or []:
        if isinstance(p, dict):
            out.append(f"{p.get('published', '')}:{p.get('target', '')}/{p.get('protocol', 'tcp')}")
        else:
            out.append(str(p))
    return sorted(out)


class ComposeCollector(Collector[ComposeOptions]):
    """Reads a docker-compose project and the env_files it references."""

    type_name = "compose"
    Options = ComposeOptions
    summary = "docker compose: include, extends, interpolation; image, env, secrets, ports"

    def collect(self) -> CollectorResult:
        path = self.ctx.resolve(self.options.path)
        project = load_project(
            self.ctx,
            path,
            self.options.env,
            [self.ctx.resolve(p) for p in self.options.env_file],
        )
        if not project.services and not path.exists():
            raise CollectorError(f"{self.ctx.display(path)} does not exist")
        result = CollectorResult()
        for name in sorted(project.services):
            self._service(project.services[name], project, result)
        for var, where in sorted(project.unresolved.items()):
            result.notices.append(
                Notice(
                    code="unresolved-variable",
                    subject=var,
                    source=where,
                    message=f"${{{var}}} is not set (project .env, env, env_file) in {where}",
                )
            )
        return result

    def _service(self, svc: Service, project: Project, result: CollectorResult) -> None:
        spec, service = svc.spec, svc.name
        shown = self.ctx.display(svc.file)
        scope = f"{self.scope}/{service}"
        where = f"{shown}#services.{service}"
        if spec.get("image"):
            repo, tag, digest = parse_image_ref(str(spec["image"]))
            result.records.append(Image(scope, service, repo, tag, digest, where))
        env: dict[str, tuple[str, str]] = {}
        for ef, required in svc.env_files:
            if not ef.is_file() and not required:
                continue
            try:
                ef = self.ctx.confined(ef, "env_file")
                ef_shown = self.ctx.display(ef)
                text = self.ctx.read_text(ef, allow_empty=True)
            except CollectorError as err:  # Compose would refuse this service: say so, go on
                err.message = f"env_file of service {service} ({shown}): {err.message}"
                err.hint = (
                    "create it, or mark it `required: false` if it is optional; a path in a "
                    "file reached through `extends` is relative to that file, as Compose reads it"
                )
                result.partial.append((scope, err))
                continue
            for entry in parse_dotenv(text, ef_shown):
                env[entry.key] = (entry.value, f"{ef_shown}:{entry.line}")
        for k, v in _env_items(spec.get("environment"), shown, service).items():
            if v is None:  # `KEY` alone: taken from the shell running compose
                env[k] = (UNRESOLVED.format(k), f"{where}.environment")
            else:
                env[k] = (v, f"{where}.environment")
        for k, (v, src) in sorted(env.items()):
            result.records.append(self.ctx.config_entry(scope, k, v, src, env_var=True))
        for secret in _names(spec.get("secrets")):
            fp = self._secret_fingerprint(project.top_secrets.get(secret), svc)
            result.records.append(
                SecretRef(scope, secret, "compose-secret", f"{where}.secrets", fingerprint=fp)
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
        for key in ("command", "entrypoint"):
            if spec.get(key) is not None:
                cmd = spec[key]
                text = shlex.join(map(str, cmd)) if isinstance(cmd, list) else str(cmd)
                result.records.append(self.ctx.config_entry(scope, key, text, f"{where}.{key}"))

    def _secret_fingerprint(self, decl: Any, svc: Service) -> str | None:
        if not self.options.fingerprint_secret_files or not isinstance(decl, dict):
            return None
        if not decl.get("file"):
            return None
        secret_path = self.ctx.confined(
            self.ctx.resolve(self.options.path).parent / str(decl["file"]), "secret file"
        )
        try:
            content = self.ctx.read_text(secret_path, allow_empty=True).strip()
        except CollectorError as e:
            raise CollectorError(
                f"compose secret file {self.ctx.display(secret_path)} is not readable",
                hint="fix the path, or set fingerprint_secret_files = false",
            ) from e
        return self.ctx.guard.fingerprint(content) if content else None
