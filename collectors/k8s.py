"""Kubernetes manifests: every object, containers in detail, Secrets as references only.

- Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod): per container
  image, env (literal, ConfigMap and Secret references), command, resources and the rest of
  the container spec; the rest of the workload spec (replicas, strategy, volumes…) as config.
- ConfigMaps: one record per data key. A value is reported at its source: containers that pull
  it in (`envFrom`, `configMapKeyRef`) hold a reference to it, so one changed key is one
  finding, not one per consumer.
- Secrets, ExternalSecrets and SealedSecrets: references (a Secret's content only as a keyed
  fingerprint); every other kind (Service, Ingress, HPA, PDB, PVC, RBAC, CRDs): its spec as
  config keyed by kind/name, lists aligned by identity.
- Kustomize's content-hash suffixes (`proxy-c4mbcfhhft`) are removed from ConfigMap and Secret
  names and from every reference to them, so generated objects align across environments.
"""

from __future__ import annotations

import base64
import binascii
import re
import shlex
from typing import Any

from pydantic import Field, model_validator

from parity.align.imageref import parse_image_ref
from parity.errors import ParseError
from parity.inputs.yamlio import load_yaml_documents
from parity.model import ConfigEntry, Image, RefBackend, SecretRef, ValueRef

from ._flatten import flatten
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
# kustomize's configMapGenerator/secretGenerator suffix: 10 characters of its hash alphabet.
_KUSTOMIZE_HASH = re.compile(r"^(.+)-[bcdfghjklmnpqrstvwxz2456789]{10}$")
_CONTAINER_HANDLED = {"name", "image", "env", "envFrom", "command", "args", "resources"}
_SKIP_TOP = {"apiVersion", "kind", "metadata", "status"}


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
        if str(doc["kind"]).endswith("List"):
            out.extend(x for x in doc.get("items") or [] if isinstance(x, dict) and "kind" in x)
        else:
            out.append(doc)
    return out


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for p in path:
        obj = obj.get(p) if isinstance(obj, dict) else None
    return obj


def base_name(name: str) -> str:
    """A generated object's name without kustomize's content-hash suffix."""
    m = _KUSTOMIZE_HASH.match(name)
    return m.group(1) if m and re.search(r"\d", name[-10:]) else name


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


class _Manifests:
    """One transform run: the objects, their renamed generated names, and the output."""

    def __init__(self, objects: list[dict[str, Any]], shown: str, scope: str, ctx: CollectContext):
        self.objects, self.shown, self.scope, self.ctx = objects, shown, scope, ctx
        self.result = CollectorResult()
        self.renames: dict[str, str] = {}
        for obj in objects:
            if obj.get("kind") in ("ConfigMap", "Secret"):
                name = str(_dig(obj, ("metadata", "name")) or "")
                if base_name(name) != name:
                    self.renames[name] = base_name(name)
        self.configmaps: dict[str, dict[str, str]] = {}
        self.secrets: dict[str, dict[str, str]] = {}

    def name(self, obj: dict[str, Any]) -> str:
        raw = str(_dig(obj, ("metadata", "name")) or "")
        return self.renames.get(raw, raw)

    def rename(self, value: Any) -> Any:
        """Generated names replaced by their base name wherever they are referenced."""
        if isinstance(value, str):
            return self.renames.get(value, value)
        if isinstance(value, dict):
            return {k: self.rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.rename(v) for v in value]
        return value

    def add_config(self, scope: str, data: Any, where: str, prefix: str = "") -> None:
        for key, value in flatten(self.rename(data), self.ctx.list_keys, where):
            full = f"{prefix}.{key}" if prefix and key else (prefix or key)
            self.result.records.append(self.ctx.config_entry(scope, full, value, where))

    def run(self) -> CollectorResult:
        for obj in self.objects:
            kind, name = str(obj["kind"]), self.name(obj)
            where = f"{self.shown}#{kind}/{name}"
            if kind == "ConfigMap":
                data = {**(obj.get("data") or {}), **(obj.get("binaryData") or {})}
                self.configmaps[name] = {k: str(v) for k, v in data.items()}
                for k, v in sorted(self.configmaps[name].items()):
                    self.result.records.append(
                        self.ctx.config_entry(f"{self.scope}/ConfigMap/{name}", k, v, where)
                    )
            elif kind == "Secret":
                self.secrets[name] = _secret_items(obj, self.shown, name)
                for k, v in sorted(self.secrets[name].items()):
                    fp = self.ctx.guard.fingerprint(v) if v else None
                    self.result.records.append(
                        SecretRef(
                            f"{self.scope}/Secret",
                            f"{name}/{k}",
                            "k8s-secret",
                            where,
                            fingerprint=fp,
                        )
                    )
        for obj in self.objects:
            kind, name = str(obj["kind"]), self.name(obj)
            where = f"{self.shown}#{kind}/{name}"
            if kind in _POD_SPEC_PATH:
                self.workload(obj, kind, name, where)
            elif kind in ("ExternalSecret", "SealedSecret"):
                self.secret_resource(obj, kind, name, where)
            elif kind not in ("ConfigMap", "Secret"):
                body = (
                    obj.get("spec")
                    if isinstance(obj.get("spec"), dict)
                    else {k: v for k, v in obj.items() if k not in _SKIP_TOP}
                )
                self.add_config(f"{self.scope}/{kind}/{name}", body, where)
        return self.result

    def secret_resource(self, obj: dict[str, Any], kind: str, name: str, where: str) -> None:
        """ExternalSecret / SealedSecret: the keys they provide, as references (never values)."""
        spec = obj.get("spec") or {}
        target = str(_dig(spec, ("target", "name")) or name)
        keys = [str(d.get("secretKey")) for d in spec.get("data") or [] if isinstance(d, dict)]
        keys += list((spec.get("encryptedData") or {}).keys())
        backend = "external-secret" if kind == "ExternalSecret" else "sealed-secret"
        for k in sorted(set(keys)) or [""]:
            ref = f"{target}/{k}" if k else target
            self.result.records.append(SecretRef(f"{self.scope}/Secret", ref, backend, where))
        rest = {k: v for k, v in spec.items() if k not in ("data", "encryptedData", "dataFrom")}
        self.add_config(f"{self.scope}/{kind}/{name}", rest, where)

    def workload(self, obj: dict[str, Any], kind: str, name: str, where: str) -> None:
        workload = f"{self.scope}/{kind}/{name}"
        pod_path = _POD_SPEC_PATH[kind]
        pod = _dig(obj, pod_path) or {}
        spec = dict(obj.get("spec") or {})
        rest = _without(spec, pod_path[1:]) if len(pod_path) > 1 else {}
        pod_rest = {k: v for k, v in pod.items() if k not in ("containers", "initContainers")}
        self.add_config(workload, rest, where)
        self.add_config(workload, pod_rest, where, prefix="pod")
        path = ".".join(pod_path)
        for field in ("initContainers", "containers"):
            listed = pod.get(field)
            if listed is not None and not (
                isinstance(listed, list) and all(isinstance(c, dict) for c in listed)
            ):  # the API server rejects it; so does parity, rather than read no container
                raise ParseError(
                    self.shown, None, f"{kind}/{name}: {path}.{field} must be a list of containers"
                )
        if not isinstance(pod, dict) or not pod.get("containers"):
            raise ParseError(self.shown, None, f"{kind}/{name}: {path}.containers is missing")
        for c in [*(pod.get("initContainers") or []), *(pod.get("containers") or [])]:
            self.container(c, workload, where)

    def container(self, c: dict[str, Any], workload: str, where: str) -> None:
        cname = str(c.get("name", ""))
        cscope, cwhere = f"{workload}/{cname}", f"{where}/{cname}"
        if c.get("image"):
            repo, tag, digest = parse_image_ref(str(c["image"]))
            self.result.records.append(Image(workload, cname, repo, tag, digest, cwhere))
        self.container_env(c, cscope, cwhere)
        cmd = [*(c.get("command") or []), *(c.get("args") or [])]
        if cmd:
            self.result.records.append(
                self.ctx.config_entry(cscope, "command", shlex.join(map(str, cmd)), cwhere)
            )
        if c.get("resources"):
            self.result.records.append(
                self.ctx.config_entry(cscope, "resources", c["resources"], cwhere)
            )
        rest = {k: v for k, v in c.items() if k not in _CONTAINER_HANDLED}
        self.add_config(cscope, rest, cwhere)

    def container_env(self, c: dict[str, Any], cscope: str, cwhere: str) -> None:
        env: dict[str, ConfigEntry] = {}
        ctx = self.ctx
        # `$(NAME)` expands to a variable defined earlier in the container (Kubernetes'
        # dependent environment variables); a secret one stays a reference
        known: dict[str, str | None] = {}

        def ref(key: str, backend: RefBackend, name: str) -> ConfigEntry:
            return ConfigEntry(
                cscope, key, None, cwhere, value_ref=ValueRef(backend, name), env_var=True
            )

        for src in c.get("envFrom") or []:
            prefix = str(src.get("prefix", ""))
            if "configMapRef" in src:
                cm = self.rename(str(src["configMapRef"].get("name")))
                for k, v in self.configmaps.get(cm, {}).items():
                    env[prefix + k] = ref(prefix + k, RefBackend.K8S_CONFIGMAP, f"{cm}/{k}")
                    known[prefix + k] = v
                if cm not in self.configmaps:
                    self.result.records.append(
                        ctx.config_entry(cscope, f"envFrom.configMapRef.{cm}", cm, cwhere)
                    )
            if "secretRef" in src:
                sec = self.rename(str(src["secretRef"].get("name")))
                self.result.records.append(SecretRef(cscope, sec, "k8s-secret", cwhere))
                for k in self.secrets.get(sec, {}):
                    env[prefix + k] = ref(prefix + k, RefBackend.K8S_SECRET, f"{sec}/{k}")
                    known[prefix + k] = None
        for item in c.get("env") or []:
            key = str(item.get("name"))
            vf = item.get("valueFrom")
            if isinstance(vf, dict) and "secretKeyRef" in vf:
                skr = vf["secretKeyRef"] or {}
                name = f"{self.rename(str(skr.get('name')))}/{skr.get('key')}"
                self.result.records.append(
                    SecretRef(cscope, name, "k8s-secret", cwhere, env_var=key)
                )
                env[key] = ref(key, RefBackend.K8S_SECRET, name)
                known[key] = None
            elif isinstance(vf, dict) and "configMapKeyRef" in vf:
                ckr = vf["configMapKeyRef"] or {}
                cm, k = self.rename(str(ckr.get("name"))), str(ckr.get("key"))
                env[key] = ref(key, RefBackend.K8S_CONFIGMAP, f"{cm}/{k}")
                known[key] = self.configmaps.get(cm, {}).get(k)
            elif isinstance(vf, dict) and vf:
                kind, spec = next(iter(vf.items()))
                detail = (
                    spec.get("fieldPath") or spec.get("resource") if isinstance(spec, dict) else ""
                )
                env[key] = ConfigEntry(cscope, key, f"{kind}:{detail}", cwhere, env_var=True)
            else:
                raw = item.get("value", "")
                if isinstance(raw, str) and "$(" in raw:
                    raw = expand_dependent(raw, known)
                env[key] = ctx.config_entry(cscope, key, raw, cwhere, env_var=True)
                known[key] = raw if isinstance(raw, str) else str(raw)
        self.result.records.extend(env[k] for k in sorted(env))


_DEPENDENT = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def expand_dependent(value: str, known: dict[str, str | None]) -> str:
    """Kubernetes' `$(VAR)` expansion: a variable defined earlier in the container is
    substituted; an unknown or secret one stays `$(VAR)` (a reference, never a literal);
    `$$` is a literal `$`."""

    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        found = known.get(m.group(1))
        return found if found is not None and "$(" not in found else m.group(0)

    return _DEPENDENT.sub(sub, value)


def _without(spec: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """A copy of spec with the pod spec at `path` removed (it is read in detail)."""
    if not path:
        return {}
    head, rest = path[0], path[1:]
    out = dict(spec)
    if head in out and isinstance(out[head], dict):
        inner = _without(out[head], rest)
        if rest:
            out[head] = inner
        else:
            del out[head]
        if not out.get(head):
            out.pop(head, None)
    if head == "template" and isinstance(out.get("template"), dict):
        out["template"] = {k: v for k, v in out["template"].items() if k != "metadata"}
        if not out["template"]:
            del out["template"]
    return out


def transform(
    objects: list[dict[str, Any]], shown: str, scope: str, ctx: CollectContext
) -> CollectorResult:
    """Objects to records (pure but for fingerprinting, which the context's guard does)."""
    return _Manifests(objects, shown, scope, ctx).run()


class K8sCollector(Collector[K8sOptions]):
    """Reads Kubernetes manifest files."""

    type_name = "k8s"
    Options = K8sOptions
    summary = "Kubernetes manifests: every object; workloads in detail; Secrets as references"

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
