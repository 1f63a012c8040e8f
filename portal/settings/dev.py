"""Local development: the embedded default (SQLite, in-process tasks, mail to files)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, MAILERS, STORAGES, os

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"] + [
    h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h
]
# E-mails are printed to the console and kept as files, so verification links can be read.
MAILERS = {
    **MAILERS,
    "default": {
        "BACKEND": os.environ.get("DEV_MAIL_BACKEND",
                                  "django.core.mail.backends.filebased.EmailBackend"),
        "OPTIONS": {"file_path": str(BASE_DIR / "var" / "mail")},
    },
} if not os.environ.get("SMTP_HOST") else MAILERS
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # local test receivers on loopback
