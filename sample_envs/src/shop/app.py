"""Shop web app (sample code parity scans for environment variable reads)."""

import os

from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
REDIS_URL = os.getenv("REDIS_URL")
FEATURE_FLAGS_URL = os.environ["FEATURE_FLAGS_URL"]
MAIL_FROM = os.environ.get("MAIL_FROM", "shop@example.com")
LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")


@app.get("/healthz")
def healthz() -> str:
    return "ok"
