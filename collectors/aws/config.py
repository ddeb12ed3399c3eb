"""How one environment reaches AWS: the `[environments.X.aws]` table, owned by the AWS family.

Every field can be overridden from the environment:
PARITY_ENVIRONMENTS__<ENV>__AWS__<FIELD> (nested with `__`, read by pydantic-settings).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AwsConfig(BaseModel):
    """How one environment reaches AWS."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile: str | None = Field(default=None, description="Named profile (~/.aws/config).")
    regions: list[str] = Field(
        default_factory=list, description="Regions to collect; default: the profile's region."
    )
    role_arn: str | None = Field(default=None, description="Role to assume for this env.")
    external_id: str | None = Field(default=None, description="External id for the role.")
    endpoint_url: str | None = Field(default=None, description="LocalStack / moto endpoint.")
    max_attempts: int = Field(
        default=5, ge=0, le=20, description="Adaptive retries after the first attempt."
    )
    max_workers: int = Field(default=8, ge=1, le=64, description="Concurrent API calls.")
    connect_timeout: float = Field(default=5.0, gt=0, description="Seconds to connect.")
    read_timeout: float = Field(default=10.0, gt=0, description="Seconds to read a response.")
    deadline: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Seconds one source may take in all, retries included: an endpoint that "
        "accepts connections and never answers fails the source by then.",
    )
