"""Settings for the server processes of the end-to-end journeys (gunicorn, the Celery
worker, migrate and the data helpers): production-like (DEBUG off, PostgreSQL, Redis,
SMTP), but on loopback, with static files served from the apps by WhiteNoise and the
run's own cache prefix and Celery queue, so parallel runs keep apart."""

import os

from portal.settings.base import *  # noqa: F403
from portal.settings.base import COMPANY_EMAIL_DOMAINS, STORAGES

DEBUG = False
SECRET_KEY = "e2e-only-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Accounts are made by the hundred in a run; the hash is not what is tested here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
COMPANY_EMAIL_DOMAINS = sorted({*COMPANY_EMAIL_DOMAINS, "example.com"})

_RUN = os.environ.get("E2E_RUN", "local")
_FILES = os.environ.get("E2E_FILES", "/tmp/e2e-files")  # noqa: S108 - the fixture sets it
MEDIA_ROOT = f"{_FILES}/media"
PRIVATE_MEDIA_ROOT = f"{_FILES}/private"
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": MEDIA_ROOT}},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collectstatic: WhiteNoise serves what the finders find.
WHITENOISE_USE_FINDERS = True

if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"e2e-{_RUN}"  # noqa: F405
# The run's own queue: a worker of another run (or of the services tests) on the same
# Redis never takes these tasks.
CELERY_TASK_DEFAULT_QUEUE = f"e2e-{_RUN}"
CELERY_BEAT_SCHEDULE: dict = {}
# Nothing reads task results or controls the worker remotely: leave no keys behind.
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_ENABLE_REMOTE_CONTROL = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
