"""Shared AWS plumbing: one session per environment, recorded read-only calls, error translation.

boto3 is imported only when an aws-* source runs. Every collector declares the operations it may
call (OPERATIONS); a botocore `before-call` hook records what it actually calls so tests can
prove recorded ⊆ declared, and `parity iam-policy` derives least-privilege policies from the
declarations.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, TypeVar

from pydantic import Field

from parity.errors import CollectorError
from parity.model import Record

from ..interface import BaseOptions, CollectContext, Collector, CollectorResult
from .config import AwsConfig

T = TypeVar("T")
R = TypeVar("R")

READ_ONLY_PREFIXES = ("Describe", "List", "Get", "BatchGet")
# IAM action names that differ from the API operation name.
IAM_ACTION_OVERRIDES: dict[tuple[str, str], str] = {
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("lambda", "ListFunctions"): "lambda:ListFunctions",
}
IAM_PREFIX = {"cloudwatch": "cloudwatch", "secretsmanager": "secretsmanager"}
_ACCESS_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthorizationErrorException",
}
_BAD_CREDENTIALS = {
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "RequestExpired",
}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "RequestThrottled",
    "SlowDown",
}


def iam_action(service: str, operation: str) -> str:
    """`ssm:GetParametersByPath`: the IAM action an API operation needs."""
    return IAM_ACTION_OVERRIDES.get(
        (service, operation), f"{IAM_PREFIX.get(service, service)}:{operation}"
    )


class AwsOptions(BaseOptions):
    """Options every aws-* source accepts (connection settings live on the environment)."""

    regions: list[str] = Field(
        default_factory=list, description="Override the environment's regions for this source."
    )


class CallRecorder:
    """Thread-safe list of (service, operation) actually sent, fed by a botocore hook."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: list[tuple[str, str]] = []

    def hook(self, service: str) -> Callable[..., None]:
        """A `before-call` handler bound to one service."""

        def record(model: Any, **_: Any) -> None:
            with self._lock:
                self.calls.append((service, model.name))

        return record

    def counts(self) -> dict[tuple[str, str], int]:
        """Calls per operation."""
        out: dict[tuple[str, str], int] = {}
        for call in self.calls:
            out[call] = out.get(call, 0) + 1
        return out


class AwsSession:
    """One boto3 Session per environment (role assumed once), and clients made from it."""

    def __init__(self, environment: str, cfg: AwsConfig) -> None:
        self.environment = environment
        self.cfg = cfg
        self._lock = threading.Lock()
        self._session: Any = None

    def _make_session(self) -> Any:
        import boto3

        base = boto3.Session(profile_name=self.cfg.profile) if self.cfg.profile else boto3.Session()
        if not self.cfg.role_arn:
            return base
        sts = base.client(
            "sts",
            endpoint_url=self.cfg.endpoint_url,
            region_name=self.default_region(base),
            config=self._config(),
        )
        kwargs: dict[str, Any] = {
            "RoleArn": self.cfg.role_arn,
            "RoleSessionName": f"parity-{self.environment}"[:64],
        }
        if self.cfg.external_id:
            kwargs["ExternalId"] = self.cfg.external_id
        creds = sts.assume_role(**kwargs)["Credentials"]
        return boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=base.region_name,
        )

    def _config(self) -> Any:
        from botocore.config import Config

        from parity import __version__

        return Config(
            retries={"mode": "adaptive", "max_attempts": self.cfg.max_attempts},
            connect_timeout=self.cfg.connect_timeout,
            read_timeout=self.cfg.read_timeout,
            max_pool_connections=max(10, self.cfg.max_workers),
            user_agent_extra=f"parity/{__version__}",
        )

    @staticmethod
    def default_region(session: Any) -> str:
        """The profile's region, else us-east-1 (what the AWS CLI would use)."""
        return session.region_name or "us-east-1"

    @property
    def session(self) -> Any:
        """The (possibly role-assumed) session, created on first use."""
        with self._lock:
            if self._session is None:
                self._session = self._make_session()
            return self._session

    def regions(self, override: list[str]) -> list[str]:
        """Regions a source collects: its own override, the env's list, else the default."""
        return override or self.cfg.regions or [self.default_region(self.session)]

    def client(self, service: str, region: str, recorder: CallRecorder) -> Any:
        """A new client (sessions are not thread-safe: made under a lock) whose calls are
        recorded; each collector has its own, so recordings never mix."""
        session = self.session
        with self._lock:
            client = session.client(
                service,
                region_name=region,
                endpoint_url=self.cfg.endpoint_url,
                config=self._config(),
            )
        client.meta.events.register("before-call", recorder.hook(service))
        return client


AwsOptionsT = TypeVar("AwsOptionsT", bound=AwsOptions)


class AwsCollector(Collector[AwsOptionsT]):
    """Base of aws-* collectors: declared operations, clients, pagination, pool, errors."""

    Options: ClassVar[type[BaseOptions]] = AwsOptions
    OPERATIONS: ClassVar[dict[str, tuple[str, ...]]] = {}
    requires_extra = "aws"
    requires_modules = ("boto3",)

    def __init__(self, options: AwsOptionsT, ctx: CollectContext) -> None:
        super().__init__(options, ctx)
        self.recorder = CallRecorder()
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    @classmethod
    def declared_operations(cls, options: BaseOptions) -> dict[str, tuple[str, ...]]:
        """Operations this source may call with these options (opt-ins add some)."""
        return cls.OPERATIONS

    @classmethod
    def extra_iam_actions(cls, options: BaseOptions) -> tuple[str, ...]:
        """IAM actions needed beyond API operations (e.g. kms:Decrypt to fingerprint)."""
        return ()

    @property
    def aws_config(self) -> AwsConfig | None:
        """This environment's `[environments.X.aws]` table."""
        return self.ctx.connection_settings("aws", AwsConfig)

    def location(self) -> str:
        cfg = self.aws_config
        where = cfg.endpoint_url if cfg and cfg.endpoint_url else "AWS"
        return f"{self.type_name} @ {where}"

    def deadline(self) -> float | None:
        cfg = self.aws_config
        return cfg.deadline if cfg else None

    @property
    def aws(self) -> AwsSession:
        """The environment's single session, shared by all its aws-* sources."""
        cfg = self.aws_config
        if cfg is None:
            raise CollectorError(
                f"{self.type_name} needs AWS access but environment {self.ctx.environment} has "
                "no [environments.<env>.aws] table",
                hint="add an aws table (profile, regions, role_arn, endpoint_url)",
            )
        return self.ctx.cache.get(AwsSession, lambda: AwsSession(self.ctx.environment, cfg))

    def regions(self) -> list[str]:
        """Regions to collect for this source."""
        return self.aws.regions(self.options.regions)

    def client(self, service: str, region: str) -> Any:
        """A recorded client for one service in one region (made once per collector)."""
        with self._lock:
            if (service, region) not in self._clients:
                self._clients[(service, region)] = self.aws.client(service, region, self.recorder)
            return self._clients[(service, region)]

    def scope_for(self, region: str, *parts: str) -> str:
        """Scope naming the region only when several are collected (keeps single-region short)."""
        head = self.scope if len(self.regions()) == 1 else f"{self.scope}/{region}"
        return "/".join((head, *parts)) if parts else head

    def paginate(
        self, client: Any, operation: str, result_key: str, page_size: int | None, **params: Any
    ) -> Iterator[Any]:
        """Every item of a paginated list/describe call, at the largest page size allowed."""
        paginator = client.get_paginator(_snake(operation))
        config = {"PageSize": page_size} if page_size else {}
        for page in paginator.paginate(**params, PaginationConfig=config):
            yield from page.get(result_key) or []

    def pool_map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Run independent calls concurrently (bounded); results keep the input order."""
        items = list(items)
        if len(items) <= 1:
            return [fn(i) for i in items]
        cfg = self.aws_config
        workers = min(cfg.max_workers if cfg else 4, len(items))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parity-aws") as pool:
            return list(pool.map(fn, items))

    def collect(self) -> CollectorResult:
        """Every configured region, in order; each region is get (SDK calls) then transform."""
        return CollectorResult(
            records=[r for region in self.regions() for r in self.collect_region(region)]
        )

    def collect_region(self, region: str) -> list[Record]:
        """Subclasses: the records of one region."""
        raise NotImplementedError

    def translate_error(self, error: Exception) -> CollectorError | None:
        """Map botocore errors to messages naming operation, code and the fix."""
        e = error
        from botocore import exceptions as bx

        env = self.ctx.environment
        last = self.recorder.calls[-1] if self.recorder.calls else None
        if isinstance(e, bx.ClientError):
            err = e.response.get("Error", {})
            code = str(err.get("Code", "Unknown"))
            op = e.operation_name
            service = next(
                (s for s, o in reversed(self.recorder.calls) if o == op), last[0] if last else "?"
            )
            action = iam_action(service, op)
            base = f"AWS {op} failed with {code}"
            if code in _ACCESS_DENIED:
                return CollectorError(
                    f"{base}: access denied",
                    hint=f"grant {action} to the identity parity uses for {env} "
                    f"(`parity iam-policy --env {env}` prints the whole policy)",
                )
            if code in _BAD_CREDENTIALS:
                return CollectorError(
                    f"{base}: the credentials were rejected or have expired",
                    hint="refresh the credentials (e.g. `aws sso login`) or fix profile/role_arn",
                )
            if code in _THROTTLED:
                cfg = self.aws_config
                attempts = cfg.max_attempts if cfg else "?"
                return CollectorError(
                    f"{base}: throttled beyond {attempts} adaptive retries",
                    hint="lower max_workers or raise max_attempts in this environment's aws table",
                )
            return CollectorError(
                f"{base}",
                hint=f"check that {action} is allowed and the "
                "resource exists in this account/region",
            )
        if isinstance(e, bx.NoCredentialsError | bx.PartialCredentialsError):
            return CollectorError(
                f"no AWS credentials found for environment {env}",
                hint="set profile or role_arn in its aws table, or AWS_PROFILE / AWS_ACCESS_KEY_ID",
            )
        if isinstance(e, bx.ProfileNotFound):
            return CollectorError(
                f"AWS profile not found: {e.kwargs.get('profile')}",
                hint="check profile in the aws table and ~/.aws/config",
            )
        if isinstance(
            e,
            bx.EndpointConnectionError
            | bx.ConnectTimeoutError
            | bx.ReadTimeoutError
            | bx.ConnectionClosedError,
        ):
            url = e.kwargs.get("endpoint_url", "the endpoint")
            op = f" during {last[1]}" if last else ""
            return CollectorError(
                f"cannot reach {url}{op}", hint="check endpoint_url, regions and network access"
            )
        if isinstance(e, bx.NoRegionError):
            return CollectorError(
                "no AWS region configured", hint="set regions in the environment's aws table"
            )
        if isinstance(e, bx.BotoCoreError):
            return CollectorError(
                f"AWS SDK error: {type(e).__name__}", hint="re-run with --debug for details"
            )
        return None


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if (
            ch.isupper()
            and i
            and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower()))
        ):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def is_read_only(operation: str) -> bool:
    """Describe*/List*/Get*/BatchGet* only: what parity may ever call."""
    return operation.startswith(READ_ONLY_PREFIXES)


def strip_arn(value: str) -> str:
    """Resource part of an ARN (`arn:aws:ssm:eu-west-1:1111:parameter/a/b` -> `parameter/a/b`);
    account ids and regions differ between environments and must not break alignment."""
    if value.startswith("arn:"):
        parts = value.split(":", 5)
        if len(parts) == 6:
            return parts[5]
    return value
