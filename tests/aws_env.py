"""AWS test environment: moto as a real HTTP server, seeded with two accounts that drift.

Account 111111111111 is production, 222222222222 staging; parity reaches each by assuming a role
in it (moto scopes resources to the assumed role's account), exactly as it would in AWS.
"""

from __future__ import annotations

import io
import json
import socket
import zipfile
from typing import Any

PROD, STAGING = "111111111111", "222222222222"
REGION = "eu-west-1"
CANARY = "Kq3AWSCANARYv8Rz5Lm2Pw7"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session(endpoint: str, account: str) -> Any:
    """A boto3 session inside one moto account (via AssumeRole, as parity does)."""
    import boto3

    base = boto3.Session(aws_access_key_id="seed", aws_secret_access_key="seed", region_name=REGION)
    creds = base.client("sts", endpoint_url=endpoint).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/seed", RoleSessionName="seeding"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=REGION,
    )


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return 'ok'\n")
    return buf.getvalue()


def _manifest(tag: str, build: str) -> str:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 7023,
                "digest": "sha256:" + (build * 64)[:64],
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 100,
                    "digest": "sha256:" + (build * 64)[:64],
                }
            ],
            "annotations": {"tag": tag},
        }
    )


def seed_account(
    endpoint: str,
    account: str,
    env: str,
    *,
    ssm_params: dict[str, tuple[str, str]],
    secrets: list[str],
    web_tag: str,
    worker_build: str,
    runtime: str,
    pg_version: str,
    orders: int,
    canary: bool = False,
) -> None:
    """One environment's resources; differences between calls are the seeded drift."""
    s = session(endpoint, account)

    def c(service: str) -> Any:
        return s.client(service, endpoint_url=endpoint)

    ssm = c("ssm")
    for name, (type_, value) in ssm_params.items():
        ssm.put_parameter(Name=f"/shop/{env}/{name}", Type=type_, Value=value)
    sm = c("secretsmanager")
    for name in secrets:
        sm.create_secret(
            Name=f"shop/{env}/{name}",
            SecretString=CANARY if canary and name == "db-credentials" else f"{env}-{name}-v",
        )
    ecr = c("ecr")
    registry = f"{account}.dkr.ecr.{REGION}.amazonaws.com"
    for repo, tag, build in (("shop/web", web_tag, "a"), ("shop/worker", "1.4.2", worker_build)):
        ecr.create_repository(repositoryName=repo)
        ecr.put_image(repositoryName=repo, imageManifest=_manifest(tag, build), imageTag=tag)
    ecs = c("ecs")
    ecs.create_cluster(clusterName=f"shop-{env}")
    param_arn = f"arn:aws:ssm:{REGION}:{account}:parameter/shop/{env}/DB_PASSWORD"
    for svc, image in (
        ("web", f"{registry}/shop/web:{web_tag}"),
        ("worker", f"{registry}/shop/worker:1.4.2"),
    ):
        td = ecs.register_task_definition(
            family=f"shop-{svc}",
            cpu="512",
            memory="1024",
            containerDefinitions=[
                {
                    "name": svc,
                    "image": image,
                    "cpu": 512,
                    "memory": 1024,
                    "essential": True,
                    "environment": [
                        {"name": "APP_ENV", "value": env},
                        {"name": "QUEUE", "value": "orders"},
                    ],
                    "secrets": [{"name": "DB_PASSWORD", "valueFrom": param_arn}],
                    "command": ["gunicorn", "shop.app:app"]
                    if svc == "web"
                    else ["celery", "worker"],
                    "logConfiguration": {"logDriver": "awslogs"},
                }
            ],
        )["taskDefinition"]["taskDefinitionArn"]
        ecs.create_service(
            cluster=f"shop-{env}",
            serviceName=svc,
            taskDefinition=td,
            desiredCount=2,
            launchType="FARGATE",
        )
    iam = c("iam")
    role = iam.create_role(RoleName="lambda-exec", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    c("lambda").create_function(
        FunctionName=f"shop-{env}-api",
        Runtime=runtime,
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": _zip()},
        MemorySize=256,
        Timeout=10,
        Environment={"Variables": {"APP_ENV": env, "TABLE": f"shop-{env}-orders"}},
    )
    c("rds").create_db_instance(
        DBInstanceIdentifier=f"shop-{env}-db",
        Engine="postgres",
        EngineVersion=pg_version,
        DBInstanceClass="db.t3.medium",
        AllocatedStorage=20,
        MasterUsername="shop",
        MasterUserPassword="not-a-real-pw-1",
    )
    ddb = c("dynamodb")
    table = f"shop-{env}-orders"
    ddb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    for i in range(orders):
        ddb.put_item(TableName=table, Item={"id": {"S": f"order-{i}"}, "total": {"N": str(i)}})
    s3 = c("s3")
    bucket = f"acme-shop-{env}-uploads"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"upload-{i}.txt", Body=b"x" * 100)


def seed(endpoint: str) -> None:
    """Production and staging, with the drift the end-to-end test expects."""
    common = {"LOG_LEVEL": ("String", "INFO"), "FEATURE_FLAGS": ("StringList", "checkout,wishlist")}
    seed_account(
        endpoint,
        PROD,
        "prod",
        ssm_params={
            **common,
            "DATABASE_URL": ("String", "postgres://shop@db.prod.internal/shop"),
            "MAIL_FROM": ("String", "orders@acme.example"),
            "CACHE_TTL": ("String", "300"),
            "DB_PASSWORD": ("SecureString", CANARY),
        },
        secrets=["db-credentials", "stripe-key"],
        web_tag="1.4.2",
        worker_build="a",
        runtime="python3.12",
        pg_version="15.5",
        orders=200,
        canary=True,
    )
    seed_account(
        endpoint,
        STAGING,
        "staging",
        ssm_params={
            **common,
            "DATABASE_URL": ("String", "postgres://shop@db.staging.internal/shop"),
            "MAIL_FORM": ("String", "orders@acme.example"),
            "DB_PASSWORD": ("SecureString", "staging-db-password-1"),
        },
        secrets=["db-credentials"],
        web_tag="1.5.0",
        worker_build="b",
        runtime="python3.11",
        pg_version="15.4",
        orders=2,
    )


def parity_toml(endpoint: str, *, max_attempts: int = 2, fingerprint: bool = True) -> str:
    """A parity.toml reaching both accounts through the moto endpoint."""
    fp = "true" if fingerprint else "false"
    out = 'reference = "production"\n'
    for env, short, account in (("production", "prod", PROD), ("staging", "staging", STAGING)):
        out += f"""
[environments.{env}.aws]
endpoint_url = "{endpoint}"
regions = ["{REGION}"]
role_arn = "arn:aws:iam::{account}:role/parity-audit"
external_id = "parity-test"
max_attempts = {max_attempts}

[environments.{env}]
sources = [
  {{ type = "aws-ssm", paths = ["/shop/{short}/"], fingerprint_secure = {fp} }},
  {{ type = "aws-secrets", prefix = "shop/{short}/", fingerprint = {fp} }},
  {{ type = "aws-ecs" }},
  {{ type = "aws-lambda", prefix = "shop-" }},
  {{ type = "aws-rds" }},
  {{ type = "aws-ecr" }},
  {{ type = "aws-dynamodb" }},
  {{ type = "aws-s3" }},
]
"""
    return out
