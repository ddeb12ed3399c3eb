import os
from os import environ, getenv

import pydantic_settings

A = os.environ["REQ_A"]
B = os.environ.get("OPT_B", "x")
C = os.getenv("REQ_C")
D = environ.get("REQ_D")
E = getenv("OPT_E", default="1")
os.environ.setdefault("OPT_F", "1")
os.environ["WRITTEN"] = "not a read"
A2 = os.environ["REQ_A"]


class Settings(pydantic_settings.BaseSettings):
    model_config = pydantic_settings.SettingsConfigDict(env_prefix="APP_")
    name: str
    port: int = 8000
