"""docker-compose projects: per service image (or build), environment, secrets, configs, ports,
command, volumes, deploy resources and the settings that change how a container runs.

The project is read as Compose reads it (see _compose_load): a set of files merged by the
specification's rules (`paths = ["compose.yaml", "compose.production.yaml"]`, with `!reset`
and `!override`), `include`, `extends` across files, profiles (only the services of active
profiles run), `${VAR}` interpolation from the project's `.env` and the source's
`env`/`env_file` options, env_files relative to the file that declares them. Unresolved
variables are noticed (a finding in production-like environments) and stay visible as
`<unresolved=VAR>`. A service built from a Dockerfile (no `image:`) is a workload like any
other, its build context, target and args compared.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from typing import Any

from pydantic import Field, model_validator

from parity.align.imageref import parse_image_ref
from parity.align.values import UNRESOLVED
from parity.errors import CollectorError, ParseError
from parity.model import Image, Notice, SecretRef

from ._compose_load import Project, Service, load_project
from ._flatten import flatten
from .dotenv import parse_dotenv
from .interface import BaseOptions, Collector, CollectorResult


class ComposeOptions(BaseOptions):
    """Options of the compose collector."""

    path: str | None = Field(
        default=None,
        description="The compose file, or a COMPOSE_FILE-style list (`a.yaml:b.yaml`).",
    )
    paths: list[str] = Field(
        default_factory=list,
        description="Several compose files merged in order, as `docker compose -f a -f b` "
        "(COMPOSE_FILE); relative paths resolve from the first file's directory.",
    )
    profiles: list[str] = Field(
        default_factory=list,
        description="Active profiles (`--profile`); a service with `profiles:` runs only "
        "when one of them is active. None by default, as `docker compose up`.",
    )

    @model_validator(mode="after")
    def _need_a_file(self) -> ComposeOptions:
        if not self.path and not self.paths:
            raise ValueError("give path or paths")
        return self

    def files(self) -> list[str]:
        """The compose files, base first; `path` may be a COMPOSE_FILE-style list
        (`compose.yaml:compose.prod.yaml`, the platform's path separator)."""
        first = [p for p in self.path.split(os.pathsep) if p] if self.path else []
        return first + list(self.paths)

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


# Settings that change how a service's container runs, compared per service.
_SCALARS = ("restart", "network_mode", "user", "read_only", "privileged", "pid", "ipc", "init")
_LISTS = ("cap_add", "cap_drop", "security_opt", "devices")
_TREES = ("deploy", "healthcheck", "logging")


def _volume(v: Any) -> str:
    """A volume as `source:target[:ro]` (long syntax too), the source as written."""
    if isinstance(v, dict):
        text = f"{v.get('source', '')}:{v.get('target', '')}".lstrip(":")
        return text + (":ro" if v.get("read_only") else "")
    return str(v)


def _settings(spec: dict[str, Any], where: str) -> Iterator[tuple[str, Any, str]]:
    """(key, value, where) of a service's build and runtime settings."""
    build = spec.get("build")
    if build is not None:
        b = {"context": build} if isinstance(build, str) else dict(build)
        for k in ("context", "dockerfile", "target"):
            if b.get(k) is not None:
                yield f"build.{k}", str(b[k]), f"{where}.build"
        args = b.get("args") or {}
        pairs = args.items() if isinstance(args, dict) else (a.partition("=")[::2] for a in args)
        for k, v in pairs:
            yield f"build.args.{k}", "" if v is None else v, f"{where}.build.args"
    for key in _SCALARS:
        if spec.get(key) is not None:
            yield key, spec[key], f"{where}.{key}"
    for key in _LISTS:
        if spec.get(key):
            yield key, sorted(str(x) for x in spec[key]), f"{where}.{key}"
    if spec.get("volumes"):
        yield "volumes", sorted(_volume(v) for v in spec["volumes"]), f"{where}.volumes"
    hosts = spec.get("extra_hosts")
    if hosts:
        items = [f"{k}:{v}" for k, v in hosts.items()] if isinstance(hosts, dict) else hosts
        yield "extra_hosts", sorted(str(x) for x in items), f"{where}.extra_hosts"
    for key in _TREES:
        tree = spec.get(key)
        if isinstance(tree, dict):
            if key == "healthcheck" and isinstance(tree.get("test"), list):
                tree = {**tree, "test": shlex.join(map(str, tree["test"]))}
            for k, v in flatten(tree):
                yield f"{key}.{k}", v, f"{where}.{key}"


class ComposeCollector(Collector[ComposeOptions]):
    """Reads a docker-compose project and the env_files it references."""

    type_name = "compose"
    Options = ComposeOptions
    summary = (
        "docker compose: file sets, profiles, include, extends, interpolation; images and "
        "builds, env, secrets, ports, volumes, deploy"
    )

    def location(self) -> str:
        return ", ".join(self.ctx.display(self.ctx.resolve(p)) for p in self.options.files())

    def collect(self) -> CollectorResult:
        files = [self.ctx.resolve(p) for p in self.options.files()]
        for path in files:
            if not path.exists():
                raise CollectorError(f"{self.ctx.display(path)} does not exist")
        project = load_project(
            self.ctx,
            files,
            self.options.env,
            [self.ctx.resolve(p) for p in self.options.env_file],
            self.options.profiles,
        )
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
        elif spec.get("build") is not None:  # built from a Dockerfile: the service's own artifact
            result.records.append(Image(scope, service, service, None, None, f"{where}.build"))
        for key, value, at in _settings(spec, where):
            origin = svc.origins.get(key.split(".", 1)[0])
            if origin is not None and origin != svc.file:  # set by an override file
                at = at.replace(shown, self.ctx.display(origin), 1)
            result.records.append(self.ctx.config_entry(scope, key, value, at))
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
            self.ctx.resolve(self.options.files()[0]).parent / str(decl["file"]), "secret file"
        )
        try:
            content = self.ctx.read_text(secret_path, allow_empty=True).strip()
        except CollectorError as e:
            raise CollectorError(
                f"compose secret file {self.ctx.display(secret_path)} is not readable",
                hint="fix the path, or set fingerprint_secret_files = false",
            ) from e
        return self.ctx.guard.fingerprint(content) if content else None
