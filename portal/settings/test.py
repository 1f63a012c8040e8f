"""The test suite: fast hashing, mail kept in memory, whatever database DATABASE_URL names."""

from .base import *  # noqa: F403
from .base import os

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
COMPANY_EMAIL_DOMAINS = ["example.com", "example.org"]
if not os.environ.get("REDIS_URL"):
    # Shared between test threads (live server) but not across processes.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Parallel test processes share one Redis database: keep their keys apart.
    CACHES["default"]["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tasks run in-process in tests; the services test switches this off to prove the
# real path through Redis to a worker.
CELERY_TASK_ALWAYS_EAGER = True

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests see every change at once; tests/portal/test_dashboard.py switches caching on.
DASHBOARD_CACHE_SECONDS = 0
WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # local test receivers on loopback
