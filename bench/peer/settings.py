"""Minimal Django settings to run django-appointment's models and slot functions, nothing more.

The database comes from ``PEER_DATABASE_URL``: ``sqlite:////<absolute path>`` or
``postgres://user@host:port/name`` (django-environ's spelling; the peer venv does not have it).
"""

import os
from urllib.parse import unquote, urlsplit

from bench.plan import TIME_ZONE as PLAN_TIME_ZONE


def _database(url: str) -> dict:
    if url.startswith("sqlite:///"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(url[len("sqlite:///") :])}
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/"),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    raise ValueError(f"Unsupported PEER_DATABASE_URL scheme: {parts.scheme}")


SECRET_KEY = "bench-only-not-secret"  # noqa: S105 - a throwaway process on a scratch database
DEBUG = False
ALLOWED_HOSTS: list[str] = []
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "appointment",
]
DATABASES = {"default": _database(os.environ["PEER_DATABASE_URL"])}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
USE_TZ = True
TIME_ZONE = PLAN_TIME_ZONE
LANGUAGE_CODE = "en-us"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
