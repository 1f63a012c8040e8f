"""Benchmark settings: production settings unchanged, plus a bench-only URLconf that
adds the two floor views (bench.views). The product's URLconf is not touched.

The runner sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, SMTP_HOST/PORT and
SECURE_SSL_REDIRECT=false (plain HTTP on loopback) in the environment.

BENCH_PREP=1 (data preparation only: demo seeding, generators) keeps e-mail in memory so
the demo newsletter sends reach nobody."""

from portal.settings.production import *  # noqa: F403
from portal.settings.production import BASE_DIR, os

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
# Access logs and INFO noise would cost time in the measured processes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
if os.environ.get("BENCH_PREP"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
