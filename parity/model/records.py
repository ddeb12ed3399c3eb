"""Record kinds: immutable NamedTuples, each describing its own identity and compared fields.

Records are NamedTuples rather than pydantic models because a large environment has a million
of them and the gate must stay fast and small (a NamedTuple is created ~4x faster than a frozen
dataclass and is smaller). Metadata lives as ClassVars on a subclass of the field tuple.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, NamedTuple


class Kind(StrEnum):
    """Record kinds; the first element of every record's identity."""

    CONFIG = "config"
    DEPENDENCY = "dependency"
    IMAGE = "image"
    SECRET_REF = "secret-ref"
    REQUIRED_KEY = "required-key"
    DATA_VOLUME = "data-volume"
    SCHEMA = "schema"
    MIGRATION = "migration"


class RefBackend(StrEnum):
    """Where a referenced value lives. Only secret stores make a missing reference a
    `secret-missing`; a ConfigMap reference is ordinary configuration."""

    K8S_SECRET = "k8s-secret"
    K8S_CONFIGMAP = "k8s-configmap"
    COMPOSE_SECRET = "compose-secret"
    AWS_SSM = "aws-ssm"
    AWS_SECRETS_MANAGER = "aws-secretsmanager"
    EXTERNAL_SECRET = "external-secret"
    ENV = "env"  # an environment variable that supplies the value at run time (node-config)
    TERRAFORM = "terraform"  # a Terraform expression (`var.x`, `module.a.b`) evaluated at plan

    @property
    def secret(self) -> bool:
        """True for secret stores (their values are never read in clear)."""
        return self not in (RefBackend.K8S_CONFIGMAP, RefBackend.ENV, RefBackend.TERRAFORM)


class ValueRef(NamedTuple):
    """A value that comes from elsewhere: the store and the name inside it."""

    backend: RefBackend
    name: str

    def __str__(self) -> str:
        return f"{self.backend.value}:{self.name}"

    @property
    def secret(self) -> bool:
        """True when the referenced store is a secret store."""
        return RefBackend(self.backend).secret


class _ConfigEntryFields(NamedTuple):
    """The stored fields of ConfigEntry (metadata lives on the subclass)."""

    scope: str
    key: str
    value: str | None
    source: str
    fingerprint: str | None = None
    value_ref: ValueRef | None = None
    env_var: bool = False
    structured: Any = None
    digest: str | None = None


class ConfigEntry(_ConfigEntryFields):
    """One configuration key as an environment sets it.

    scope: where the key lives (source name, plus service/workload/container when nested).
    key: the key, dotted for nested files (`database.pool.size`).
    value: the comparable value; None when it is a secret or comes from a reference.
    source: `path:line` or another locator a person can open.
    fingerprint: *secret* fingerprint — keyed HMAC of the secret part when the value (or a
      URL's password) is secret. Only this feeds `secret-shared`.
    value_ref: where the value comes from when it is a reference (a Secret, a ConfigMap key).
    env_var: True when the key is a process environment variable (can satisfy code reads).
    structured: the parsed nested value (JSON-able), kept to explain a changed structure.
    digest: *content* digest (plain sha256) of non-secret structure too large to keep; equal
      digests mean equal content, never a shared secret.
    """

    __slots__ = ()

    kind: ClassVar[Kind] = Kind.CONFIG
    category: ClassVar[str] = "config"
    identity: ClassVar[tuple[str, ...]] = ("scope", "key")
    compared: ClassVar[tuple[str, ...]] = ("value", "fingerprint", "value_ref", "digest")
    named: ClassVar[bool] = False  # config keys may legitimately embed env names (`hosts.prod`)

    @property
    def group(self) -> tuple[str, str]:
        """Identity prefix: records only ever align within one (kind, scope) group."""
        return (Kind.CONFIG, self.scope)

    @property
    def secret(self) -> bool:
        """True when this entry's value must never be shown or compared in clear."""
        return self.fingerprint is not None and self.value is None


class _DependencyFields(NamedTuple):
    """The stored fields of Dependency (metadata lives on the subclass)."""

    ecosystem: str
    name: str
    version: str
    source: str
    dev: bool = False


class Dependency(_DependencyFields):
    """A resolved package version: ecosystem (`pypi`, `npm`), normalized name, version."""

    __slots__ = ()

    kind: ClassVar[Kind] = Kind.DEPENDENCY
    category: ClassVar[str] = "dependencies"
    identity: ClassVar[tuple[str, ...]] = ("ecosystem", "name")
    compared: ClassVar[tuple[str, ...]] = ("version",)
    named: ClassVar[bool] = True

    @property
    def group(self) -> tuple[str, str]:
        """Identity prefix: dependencies align per ecosystem."""
        return (Kind.DEPENDENCY, self.ecosystem)

    @property
    def key(self) -> str:
        """Identity suffix: the normalized package name."""
        return self.name


class _ImageFields(NamedTuple):
    """The stored fields of Image (metadata lives on the subclass)."""

    workload: str
    container: str
    repository: str
    tag: str | None
    digest: str | None
    source: str


class Image(_ImageFields):
    """A container image a workload runs: tag and digest are kept apart to catch moved tags.

    workload: service or workload (`web`, `Deployment/web`), scoped by source name.
    container: container name inside the workload (the service name for compose).
    repository: image repository without tag or digest, registry host included.
    tag: the tag, or None when the reference has none (Docker then pulls `latest`).
    digest: `sha256:…` when pinned or resolved, else None.
    """

    __slots__ = ()

    kind: ClassVar[Kind] = Kind.IMAGE
    category: ClassVar[str] = "images"
    identity: ClassVar[tuple[str, ...]] = ("workload", "container")
    compared: ClassVar[tuple[str, ...]] = ("repository", "tag", "digest")
    named: ClassVar[bool] = True

    @property
    def group(self) -> tuple[str, str]:
        """Identity prefix: images align per workload."""
        return (Kind.IMAGE, self.workload)

    @property
    def key(self) -> str:
        """Identity suffix: the container name."""
        return self.container

    @property
    def image_ref(self) -> str:
        """The image reference as a person would write it."""
        out = self.repository
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out


class _SecretRefFields(NamedTuple):
    """The stored fields of SecretRef (metadata lives on the subclass)."""

    scope: str
    name: str
    backend: str
    source: str
    env_var: str | None = None
    fingerprint: str | None = None
    version: str | None = None
    last_changed: str | None = None
    rotation_enabled: bool | None = None
    kms_key: str | None = None


class SecretRef(_SecretRefFields):
    """A reference to a secret (name/ARN), never its value; at most a keyed fingerprint.

    scope: where it is referenced (source, workload, container).
    name: the referenced secret (`db-credentials/password`, an ARN, a compose secret name).
    backend: the store (a RefBackend value).
    env_var: the environment variable it is exposed as, when it is one.
    version / last_changed / rotation_enabled / kms_key: store metadata, when the store has it.
    """

    __slots__ = ()

    kind: ClassVar[Kind] = Kind.SECRET_REF
    category: ClassVar[str] = "secrets"
    identity: ClassVar[tuple[str, ...]] = ("scope", "name")
    compared: ClassVar[tuple[str, ...]] = ()
    named: ClassVar[bool] = True

    @property
    def group(self) -> tuple[str, str]:
        """Identity prefix: secret references align per scope."""
        return (Kind.SECRET_REF, self.scope)

    @property
    def key(self) -> str:
        """Identity suffix: the secret's name."""
        return self.name


class _RequiredKeyFields(NamedTuple):
    """The stored fields of RequiredKey (metadata lives on the subclass)."""

    key: str
    source: str
    has_default: bool = False
    optional: bool = False  # read so that absence is handled (`.get`, `getenv`, `process.env`)


class RequiredKey(_RequiredKeyFields):
    """An environment variable the code reads; `source` is the file:line of the first read."""

    __slots__ = ()

    kind: ClassVar[Kind] = Kind.REQUIRED_KEY
    category: ClassVar[str] = "config"
    identity: ClassVar[tuple[str, ...]] = ("key",)
    compared: ClassVar[tuple[str, ...]] = ()
    named: ClassVar[bool] = False

    @property
    def scope(self) -> str:
        """Required keys form one group per environment."""
        return ""

    @property
    def group(self) -> tuple[str, str]:
        """Identity prefix: required keys form one group per environment."""
        return (Kind.REQUIRED_KEY, "")


class _DataVolumeFields(NamedTuple):
    """The stored fields of DataVolume (metadata lives on the subclass)."""

    scope: str
    key: str
    value: float
    unit: str
    exact: bool
    source: str


class DataVolume(_DataVolumeFields):
    """A data-volume figure: a staging database a thousandth of production's hides bugs.

    scope: store and location (`aws-dynamodb/eu-west-1`); key: `resource:metric`
    (`orders:items`); value and unit (`items`, `bytes`, `objects`, `rows`); exact: False for
    estimates (DynamoDB's 6-hourly counts, CloudWatch metrics, capped listings).
    """

    __slots__ = ()

    kind: ClassVar[Kind] = Kind.DATA_VOLUME
    category: ClassVar[str] = "data"
    identity: ClassVar[tuple[str, ...]] = ("scope", "key")
    compared: ClassVar[tuple[str, ...]] = ("value",)
    named: ClassVar[bool] = True

    @property
    def group(self) -> tuple[str, str]:
        """Identity prefix: volumes align per store."""
        return (Kind.DATA_VOLUME, self.scope)
