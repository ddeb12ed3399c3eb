"""Canary battery: 60+ secret shapes, a distinct canary per shape and environment, pushed
through every command and format and through error paths. No output may contain a canary,
its base64/hex/url-encoded forms, or any 8-character piece of it."""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import sqlite3
import threading
import urllib.parse
from pathlib import Path

import pytest

from parity.app.collect import collect_environment
from parity.settings import load_settings

from conftest import cli

ENVS = ("production", "staging")


def canary(i: int, env: str) -> str:
    """24 mixed-case letters and digits, unique per shape and environment."""
    digest = hashlib.sha256(f"{i}:{env}".encode()).digest()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:24])


# dotenv lines: secret by the key's name, by the value's shape, or in part of the value
DOTENV = [
    "DB_PASSWORD={c}",
    "SMTP_PASS={c}",
    "MASTER_KEY={c}",
    "MAILGUN_KEY={c}",
    "BASIC_AUTH=admin:{c}",
    "GPG_PASSPHRASE={c}",
    "JWT_SECRET={c}",
    "SESSION_SECRET={c}",
    "CLIENT_SECRET={c}",
    "ACCESS_TOKEN={c}",
    "API_KEY={c}",
    "SIGNING_KEY={c}",
    "ENCRYPTION_KEY={c}",
    "HMAC_SALT={c}",
    "ADMIN_PWD={c}",
    "WEBHOOK_SECRET={c}",
    "TWILIO_AUTH_TOKEN={c}",
    "DB_CREDENTIALS={c}",
    "SECRET_KEY_BASE={c}",
    "OPAQUE_GH=ghp_{c}abcdefghijkl",
    "OPAQUE_SLACK=xoxb-123456789012-{c}",
    "OPAQUE_STRIPE=sk_live_{c}",
    "OPAQUE_RK=rk_live_{c}",
    "OPAQUE_GOOGLE=AIza{c}abcdefghijk",
    "OPAQUE_GITLAB=glpat-{c}",
    "OPAQUE_NPM=npm_{c}abcdefghijkl",
    "OPAQUE_JWT=eyJ{c}.{c}.{c}",
    "OPAQUE_LARAVEL=base64:{c}{c}",
    "OPAQUE_ENTROPY={c}{c}",
    "OPAQUE_HOOK=https://hooks.slack.com/services/T01/B02/{c}",
    "DATABASE_URL=postgres://app:{c}@db.internal:5432/app",
    "REDIS_URL=redis://:{c}@cache:6379/0",
    "GIT_REMOTE=https://ghp_{c}abcdefghijkl@github.com/acme/app.git",
    "CALLBACK=https://api.acme.io/hook?token={c}&x=1",
    "JDBC=jdbc:postgresql://db:5432/app?user=app&password={c}",
    "LIBPQ=host=db port=5432 user=app password={c} sslmode=require",
    "SSLPW=host=db sslpassword={c}",
    "ADO=Server=db;Database=app;User Id=sa;Password={c};",
    "SAS=https://acct.blob.core.windows.net/c?sv=2021&sig={c}",
    'HEADER="Authorization: Bearer {c}"',
    'ARGS="--password {c} --verbose"',
    'ARGS2="--token={c} --port 80"',
    """SETTINGS_JSON='{{"user": "app", "password": "{c}"}}'""",
    "URLS=https://a:{c}@h1.acme.io/x,https://b:{c}@h2.acme.io/y",
    "PW_WITH_AT=postgres://app:{c}@x@db.internal/app",
    # round 2: abbreviations, token users, command lines, known token families, fallbacks
    "DB_PW={c}",
    "KEYSTORE_STOREPASS={c}",
    "GIT_DEP=git+https://ghp_{c}abcdefghijkl:x-oauth-basic@github.com/acme/x.git",
    "GIT_TOKEN_USER=https://{c}{c}@git.acme.io/acme/x.git",
    "BACKUP_CMD=mysqldump -u root -p{c} shop",
    'CLI_ARGS="serve --api-key {c} --port 80"',
    'CLI_ARGS2="serve --api-key={c}"',
    'JAVA_OPTS="-Xmx2g -Dspring.datasource.password={c} -Dfoo=bar"',
    "ENTRY=sh -c 'PGPASSWORD={c} psql -h db'",
    "ENTRY2=export GITHUB_TOKEN={c}; make release",
    "OPAQUE_TWILIO=SK{h}",
    "OPAQUE_TWILIO_SID=AC{h}",
    "OPAQUE_DOCKER=dckr_pat_{c}",
    "OPAQUE_VAULT=hvs.CAESI{c}",
    "OPAQUE_ANTHROPIC=sk-ant-api03-{c}{c}",
    "SPRING_FALLBACK=${{ADMIN_SECRET:{c}}}",
    """DOUBLE_JSON='"{{\\"password\\": \\"{c}\\"}}"'""",
]
YAML = [
    "credentials:\n  aws:\n    key: {c}\n    value: {c}x\n",
    "nested:\n  secret:\n    inner: {c}\n",
    "keystore:\n  storepass: {c}\n  keypass: {c}y\n",
    "database:\n  password: {c}\n",
    "auth:\n  bearer: {c}\n",
    "jwt:\n  signing: {c}\n",
    "users:\n  - name: admin\n    pass: {c}\n",
    "api:\n  key: {c}\n",
    "tls:\n  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    {c}\n"
    "    -----END RSA PRIVATE KEY-----\n",
    "gpg:\n  armor: |\n    -----BEGIN PGP PRIVATE KEY BLOCK-----\n    {c}\n"
    "    -----END PGP PRIVATE KEY BLOCK-----\n",
]
K8S = """apiVersion: v1
kind: Secret
metadata: {{name: creds}}
data: {{password: {b64}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: props}}
data:
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db/app
    spring.datasource.password={c2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  template:
    spec:
      containers:
        - name: web
          image: acme/web:1.0
          args: ["--db-password", "{c3}", "--api-key", "{c5}"]
          env:
            - {{name: API_TOKEN, value: {c4}}}
            - {{name: DB_PW, value: {c6}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: files}}
data:
  application.yml: |
    spring:
      datasource:
        username: app
    credentials:
      aws:
        key: {c7}
"""
COMPOSE = """services:
  web:
    image: acme/web:1.0
    command: ["serve", "--token={c2}"]
    environment: {{DB_PASS: {c}}}
    secrets: [pw]
  worker:
    image: acme/worker:1.0
    command: ["work", "--api-key", "{c3}"]
    entrypoint: ["sh", "-c", "PGPASSWORD={c4} exec worker"]
    environment:
      - DB_PW={c5}
secrets:
  pw: {{file: ./pw.txt}}
"""


def project(root: Path) -> tuple[Path, list[str]]:
    """Write a two-environment project holding every shape; return it and its canaries."""
    canaries: list[str] = []

    def c(i: int, env: str) -> str:
        value = canary(i, env)
        canaries.append(value)
        return value

    for env in ENVS:
        d = root / env
        d.mkdir(parents=True)
        lines = []
        for i, line in enumerate(DOTENV):
            value = c(i, env)
            hexed = hashlib.sha256(value.encode()).hexdigest()[:32]
            if "{h}" in line:
                canaries.append(hexed)
            lines.append(line.format(c=value, h=hexed))
        (d / ".env").write_text("\n".join(lines) + "\n")
        yaml = "".join(t.format(c=c(100 + i, env)) for i, t in enumerate(YAML))
        (d / "config.yaml").write_text(yaml)
        k8s_secret = c(200, env)
        (d / "k8s.yaml").write_text(
            K8S.format(
                b64=base64.b64encode(k8s_secret.encode()).decode(),
                c2=c(201, env),
                c3=c(202, env),
                c4=c(203, env),
                c5=c(204, env),
                c6=c(205, env),
                c7=c(206, env),
            )
        )
        (d / "compose.yaml").write_text(
            COMPOSE.format(
                c=c(300, env), c2=c(301, env), c3=c(303, env), c4=c(304, env), c5=c(305, env)
            )
        )
        db = sqlite3.connect(d / "app.db")  # a secret in a column default of the catalog
        default = f"sk_live_{c(600, env)}"
        db.execute(f"CREATE TABLE orders (id INTEGER PRIMARY KEY, key TEXT DEFAULT '{default}')")
        db.commit()
        db.close()
        (d / "pw.txt").write_text(c(302, env))
        token = f"ghp_{c(400, env)}abcdefghijkl"
        (d / "requirements.txt").write_text(
            f"--index-url https://u:{c(401, env)}@pypi.acme.io/simple\n"
            f"flask==3.0.0\nprivate-pkg @ git+https://{token}@github.com/acme/pkg.git\n"
        )
        lock_token = f"ghp_{c(402, env)}abcdefghijkl"
        (d / "package-lock.json").write_text(
            json.dumps(
                {
                    "lockfileVersion": 3,
                    "packages": {
                        "node_modules/private": {
                            "version": f"git+https://{lock_token}@github.com/a/b"
                        }
                    },
                }
            )
        )
    # error paths: a secret right before a malformed line, an unquoted multi-line PEM
    broken = f"API_KEY={c(500, 'staging')}\n{c(501, 'staging')} not an assignment\n"
    (root / "staging" / "broken.env").write_text(broken)
    (root / "staging" / "pem.env").write_text(
        f"TLS_KEY=-----BEGIN EC PRIVATE KEY-----\n{c(502, 'staging')}\n"
        "-----END EC PRIVATE KEY-----\n"
    )
    sources = {
        env: [
            f'{{ type = "dotenv", path = "{env}/.env", name = "env" }}',
            f'{{ type = "config-file", path = "{env}/config.yaml", name = "cfg" }}',
            f'{{ type = "k8s", path = "{env}/k8s.yaml" }}',
            f'{{ type = "compose", path = "{env}/compose.yaml" }}',
            f'{{ type = "python-deps", path = "{env}/requirements.txt" }}',
            f'{{ type = "node-deps", path = "{env}/package-lock.json" }}',
            f'{{ type = "sql", dsn = "sqlite:///{env}/app.db", name = "db" }}',
        ]
        for env in ENVS
    }
    # a token expanded into a source's options is never echoed (location, errors, sources)
    token = c(700, "staging")
    (root / "staging" / f"{token}.env").write_text("A=1\n")
    sources["staging"].append('{ type = "dotenv", path = "staging/${PARITY_TEST_TOKEN}.env" }')
    sources["staging"].append('{ type = "dotenv", path = "staging/${PARITY_TEST_TOKEN}-x.env" }')
    sources["staging"] += [
        '{ type = "dotenv", path = "staging/broken.env", name = "broken" }',
        '{ type = "dotenv", path = "staging/pem.env", name = "pem" }',
    ]
    toml = 'reference = "production"\n' + "".join(
        f"[environments.{env}]\nsources = [\n  " + ",\n  ".join(src) + "\n]\n"
        for env, src in sources.items()
    )
    (root / "parity.toml").write_text(toml)
    return root / "parity.toml", canaries


def forms(secret: str) -> list[str]:
    """The canary and the encodings a leak could take."""
    raw = secret.encode()
    return [
        secret,
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        raw.hex(),
        urllib.parse.quote(secret),
        *(secret[i : i + 8] for i in range(len(secret) - 7)),
    ]


def test_battery_has_90_shapes() -> None:
    assert len(DOTENV) + len(YAML) + 7 + 6 + 3 + 2 >= 90


class _Hook(http.server.BaseHTTPRequestHandler):
    bodies: list[str] = []

    def do_POST(self) -> None:
        type(self).bodies.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_no_canary_in_any_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg, canaries = project(tmp_path / "proj")
    monkeypatch.setenv("PARITY_TEST_TOKEN", canary(700, "staging"))
    c = str(cfg)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{server.server_port}/hook"
    outputs: list[str] = []

    def run(*args: str) -> None:
        r = cli(*args)
        assert "Traceback" not in r.err, r.err
        outputs.extend([r.out, r.err])

    from parity.reports import FORMATTERS

    for fmt in FORMATTERS:  # every format, human and machine
        run("check", "-c", c, "-f", fmt)
    saved = tmp_path / "out" / "report.json"
    run("check", "-c", c, "-f", "json", "-o", str(saved))
    outputs.append(saved.read_text())
    for fmt in FORMATTERS:
        run("report", str(saved), "-f", fmt)
    store = tmp_path / "store"
    for fmt in ("json", "slack"):  # the nightly path: snapshots, audits, chart, webhook body
        run("audit", "-c", c, "--store", str(store), "-o", str(tmp_path / "out" / "a.html"),
            "--notify", hook, "--notify-format", fmt)  # fmt: skip
    server.shutdown()
    assert _Hook.bodies, "the webhook was not called"
    outputs += _Hook.bodies
    outputs += [p.read_text() for p in store.rglob("*.json")]
    outputs.append((tmp_path / "out" / "a.html").read_text())
    run("history", "staging", "-c", c, "--store", str(store))
    run("diff", "staging@latest~1", "staging", "-c", c, "--store", str(store), "-f", "json")
    run("baseline", "-c", c, "-o", str(tmp_path / "out" / "baseline.yaml"))
    outputs.append((tmp_path / "out" / "baseline.yaml").read_text())
    snaps = tmp_path / "snaps"
    for env in ENVS:
        run("snapshot", env, "-c", c, "-o", str(snaps / f"{env}.json"))
        outputs.append((snaps / f"{env}.json").read_text())
    run("check", "-c", c, "--snapshots", str(snaps), "-f", "json")
    run("diff", str(snaps / "production.json"), str(snaps / "staging.json"), "-f", "markdown")
    run("diff", "production", "staging", "-c", c, "-f", "json")
    run("check", "-c", c, "--debug", "-f", "table")
    progress: list[str] = []
    snapshot = collect_environment(load_settings(c), "staging", progress=progress.append)
    outputs += [*progress, repr(snapshot), *(str(e) for e in snapshot.errors)]
    captured = capsys.readouterr()
    outputs += [captured.out, captured.err]
    blob = "\n".join(outputs)
    assert "collector-failed" in blob  # the error paths ran
    leaks = sorted({s for s in canaries for f in forms(s) if f in blob})
    assert leaks == [], f"{len(leaks)} canaries leaked"
