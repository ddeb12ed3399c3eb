"""Celery worker."""

import os

from celery import Celery

celery = Celery("shop", broker=os.environ["REDIS_URL"])
STRIPE_API_KEY = os.environ["STRIPE_API_KEY"]
S3_BUCKET = os.environ.get("S3_BUCKET")
