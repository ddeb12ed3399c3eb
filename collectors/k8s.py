"""Kubernetes manifests: containers, env and references, ConfigMaps; Secrets as references only."""

from __future__ import annotations

import base64
import binascii
import shlex
from typing import Any

from pydantic import Field, model_validator

from parity.errors import ParseError
from parity.model import ConfigEntry, Image, RefBackend, SecretRef, ValueRef

from ._imageref import parse_image_ref
from ._parsing import load_yaml_documents
from .interface import BaseOptions, CollectContext, Collector, CollectorResult

_POD_SPEC_PATH: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


class K8sOptions(BaseOptions):
    """Options of the k8s collector: one or more manifest files."""

    path: str | None = Field(default=None, description="One manifest file.")
    paths: list[str] = Field(default_factory=list, description="Several manifest files.")

    @model_validator(mode="after")
    def _need_a_path(self) -> K8sOptions:
        if not self.path and not self.paths:
            raise ValueError("set path or paths")
        return self


def load_manifests(text: str, shown: str) -> list[dict[str, Any]]:
    """All objects of a multi-document file, `kind: List` expanded."""
    docs = load_yaml_documents(text, shown)
    out: list[dict[str, Any]] = []
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict) or "kind" not in doc:
            raise ParseError(shown, None, f"document {i + 1} is not a Kubernetes object (no kind)")
        if doc["kind"] == "List" or doc["kind"].endswith("List"):
            out.extend(x for x in doc.get("items") or [] if isinstance(x, dict))
        else:
            out.append(doc)
    return out


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for p in path:
        obj = obj.get(p) if isinstance(obj, dict) else None
    return obj


def _secret_items(obj: dict[str, Any], shown: str, name: str) -> dict[str, str]:
    items: dict[str, str] = {}
    for key, b64 in (obj.get("data") or {}).items():
        try:
            items[key] = base64.b64decode(str(b64), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError) as e:
            raise ParseError(shown, None, f"Secret {name} data.{key} is not valid base64") from e
    for key, value in (obj.get("stringData") or {}).items():
        items[key] = str(value)
    return items


def transform(
    objects: list[dict[str, Any]], shown: str, scope: str, ctx: CollectContext
) -> CollectorResult:
    """Objects to records (pure but for fingerprinting, which the context's guard does)."""
    result = CollectorResult()
    configmaps: dict[str, dict[str, str]] = {}
    secrets: dict[str, dict[str, str]] = {}
    for obj in objects:
        name = str(_dig(obj, ("metadata", "name")) or "")
        if obj["kind"] == "ConfigMap":
            configmaps[name] = {k: str(v) for k, v in (obj.get("data") or {}).items()}
            for k, v in sorted(configmaps[name].items()):
                result.records.append(
                    ctx.config_entry(f"{scope}/ConfigMap/{name}", k, v, f"{shown}#ConfigMap/{name}")
                )
        elif obj["kind"] == "Secret":
            secrets[name] = _secret_items(obj, shown, name)
            for k, v in sorted(secrets[name].items()):
                result.records.append(
                    SecretRef(
                        f"{scope}/Secret",
                        f"{name}/{k}",
                        "k8s-secret",
                        f"{shown}#Secret/{name}",
                        fingerprint=ctx.guard.fingerprint(v) if v else None,
                    )
                )
    for obj in objects:
        kind = obj["kind"]
        if kind not in _POD_SPEC_PATH:
            continue
        name = str(_dig(obj, ("metadata", "name")) or "")
        workload = f"{scope}/{kind}/{name}"
        where = f"{shown}#{kind}/{name}"
        replicas = _dig(obj, ("spec", "replicas"))
        if replicas is not None:
            result.records.append(ctx.config_entry(workload, "replicas", replicas, where))
        pod = _dig(obj, _POD_SPEC_PATH[kind]) or {}
        containers = [*(pod.get("initContainers") or []), *(pod.get("containers") or [])]
        for c in containers:
            cname = str(c.get("name", ""))
            cscope = f"{workload}/{cname}"
            cwhere = f"{where}/{cname}"
            if c.get("image"):
                repo, tag, digest = parse_image_ref(str(c["image"]))
                result.records.append(Image(workload, cname, repo, tag, digest, cwhere))
            _container_env(c, cscope, cwhere, configmaps, secrets, ctx, result)
            cmd = [*(c.get("command") or []), *(c.get("args") or [])]
            if cmd:
                result.records.append(
                    ctx.config_entry(cscope, "command", shlex.join(map(str, cmd)), cwhere)
                )
            if c.get("resources"):
                result.records.append(ctx.config_entry(cscope, "resources", c["resources"], cwhere))
    return result


def _container_env(
    c: dict[str, Any],
    cscope: str,
    cwhere: str,
    configmaps: dict[str, dict[str, str]],
    secrets: dict[str, dict[str, str]],
    ctx: CollectContext,
    result: CollectorResult,
) -> None:
    env: dict[str, ConfigEntry] = {}
    for src in c.get("envFrom") or []:
        prefix = str(src.get("prefix", ""))
        if "configMapRef" in src:
            cm = str(src["configMapRef"].get("name"))
            for k, v in configmaps.get(cm, {}).items():
                env[prefix + k] = ctx.config_entry(cscope, prefix + k, v, cwhere, env_var=True)
            if cm not in configmaps:
                result.records.append(
                    ctx.config_entry(cscope, f"envFrom.configMapRef.{cm}", cm, cwhere)
                )
        if "secretRef" in src:
            sec = str(src["secretRef"].get("name"))
            result.records.append(SecretRef(cscope, sec, "k8s-secret", cwhere))
            for k in secrets.get(sec, {}):
                env[prefix + k] = ConfigEntry(
                    cscope,
                    prefix + k,
                    None,
                    cwhere,
                    value_ref=ValueRef(RefBackend.K8S_SECRET, f"{sec}/{k}"),
                    env_var=True,
                )
    for item in c.get("env") or []:
        key = str(item.get("name"))
        vf = item.get("valueFrom")
        if isinstance(vf, dict) and "secretKeyRef" in vf:
            ref = f"{vf['secretKeyRef'].get('name')}/{vf['secretKeyRef'].get('key')}"
            result.records.append(SecretRef(cscope, ref, "k8s-secret", cwhere, env_var=key))
            env[key] = ConfigEntry(
                cscope,
                key,
                None,
                cwhere,
                value_ref=ValueRef(RefBackend.K8S_SECRET, ref),
                env_var=True,
            )
        elif isinstance(vf, dict) and "configMapKeyRef" in vf:
            cm, k = vf["configMapKeyRef"].get("name"), vf["configMapKeyRef"].get("key")
            if cm in configmaps and k in configmaps[cm]:
                env[key] = ctx.config_entry(cscope, key, configmaps[cm][k], cwhere, env_var=True)
            else:
                env[key] = ConfigEntry(
                    cscope,
                    key,
                    None,
                    cwhere,
                    value_ref=ValueRef(RefBackend.K8S_CONFIGMAP, f"{cm}/{k}"),
                    env_var=True,
                )
        elif isinstance(vf, dict):
            kind, spec = next(iter(vf.items()))
            detail = spec.get("fieldPath") or spec.get("resource") if isinstance(spec, dict) else ""
            env[key] = ConfigEntry(cscope, key, f"{kind}:{detail}", cwhere, env_var=True)
        else:
            env[key] = ctx.config_entry(cscope, key, item.get("value", ""), cwhere, env_var=True)
    result.records.extend(env[k] for k in sorted(env))


class K8sCollector(Collector[K8sOptions]):
    """Reads Kubernetes manifest files."""

    type_name = "k8s"
    Options = K8sOptions
    summary = "Kubernetes manifests: workloads' containers, env, references, ConfigMaps, Secrets"

    def _paths(self) -> list[str]:
        opts = self.options
        return ([opts.path] if opts.path else []) + list(opts.paths)

    def location(self) -> str:
        return ", ".join(self.ctx.display(self.ctx.resolve(p)) for p in self._paths()) or "k8s"

    def collect(self) -> CollectorResult:
        paths = self._paths()
        objects: list[dict[str, Any]] = []
        shown = ""
        for p in paths:
            full = self.ctx.resolve(p)
            shown = self.ctx.display(full)
            objects.extend(load_manifests(self.ctx.read_text(full), shown))
        return transform(
            objects, shown if len(paths) == 1 else self.location(), self.scope, self.ctx
        )
