"""
Settings for Lootwatch, read from the environment (twelve-factor style).

Every setting that differs between a laptop and a newsroom server comes from an environment
variable; see README.md for the list. Local development runs with DEBUG=1 (the Makefile sets it),
which is the only mode with a built-in secret key and an SQLite database in the working tree.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
import PIL.Image
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# A built-in key is only acceptable on a developer's machine. Anywhere else a missing or
# placeholder key would let anyone forge sessions and password-reset links.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 (known on purpose)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    not SECRET_KEY
    or SECRET_KEY == DEVELOPMENT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off. "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'. "
        "For local development set DEBUG=1 instead."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # Under names editors understand in the admin (lootwatch/app_labels.py).
    "lootwatch.app_labels.PartnerKeysConfig",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "lootwatch",
    "lootwatch.app_labels.SignInLockoutsConfig",
    "csp",
    "accounts",
    "incidents",
    "claims",
    "webhooks",
    "exchange",
]

MIDDLEWARE = [
    # First, so that the access line records the final status and duration of every request.
    "lootwatch.middleware.RequestLogMiddleware",
    "lootwatch.middleware.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the one chosen in the header (a cookie), else the browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lootwatch.request_limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A person's remembered language, set as the cookie when they sign in.
    "accounts.middleware.RememberedLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lootwatch.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "lootwatch.wsgi.application"

# SQLite in the working tree for `make run`; PostgreSQL (DATABASE_URL) in CI and production.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
_pooled = env.bool("DATABASE_TRANSACTION_POOLING", default=False)  # PgBouncer's: README
DATABASES["default"].update(ATOMIC_REQUESTS=False, DISABLE_SERVER_SIDE_CURSORS=_pooled)
# Keep a connection a minute; the health check before reuse recovers from a database restart.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait instead of failing when the dev server and a management command write at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _o = {"connect_timeout": 5, **DATABASES["default"].get("OPTIONS", {})}  # 503s, no JIT: README
    DATABASES["default"]["OPTIONS"] = {**_o, "options": f"-c jit=off {_o.get('options', '')}"}

# The cache holds what every server process must share (API throttle counts, refused API keys
# per address): Redis with REDIS_URL, else Django's database cache (its table made by
# `migrate`); never per-process memory, where each gunicorn worker would count on its own.
# Sign-in lockouts (django-axes) and sessions stay in the database: losing Redis signs nobody out.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="lootwatch")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lootwatch.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A dead Redis answers 503 within seconds, not after the worker's timeout.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lootwatch_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Background work (webhook deliveries) runs on Celery workers with Redis as the broker. Every
# key lives under the installation's prefix (CELERY_KEY_PREFIX, by default CACHE_KEY_PREFIX),
# so installations and parallel test runs sharing one Redis never take each other's tasks.
# Without Redis (`make run`), deliveries run in the process right after the change commits.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_KEY_PREFIX = env.str("CELERY_KEY_PREFIX", default=f"{CACHE_KEY_PREFIX}:celery")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "global_keyprefix": f"{CELERY_KEY_PREFIX}:",
    # Longer than the longest retry wait (an hour), or the broker would hand a waiting task
    # to a second worker.
    "visibility_timeout": 2 * 60 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    # Deliveries whose task was lost (Redis keeps nothing on disk) are queued again.
    "webhooks-requeue-due": {"task": "webhooks.requeue_due", "schedule": 300.0},
}
WEBHOOKS_IN_PROCESS = env.bool("WEBHOOKS_IN_PROCESS", default=not REDIS_URL)
IMPORTS_IN_PROCESS = env.bool("IMPORTS_IN_PROCESS", default=not REDIS_URL)  # README: Import
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# Private, loopback and link-local webhook addresses are refused unless this is on (tests and
# a developer's machine only: it lets a partner's URL reach the server's own network).
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
# Seconds one delivery attempt may take in all: connecting, sending, reading the status.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)

# Seconds a client is asked to wait (Retry-After) when the database or Redis is unreachable.
SERVICE_UNAVAILABLE_RETRY_AFTER = env.int("SERVICE_UNAVAILABLE_RETRY_AFTER", default=15)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-ins go through django-axes first: it refuses a locked-out username or address
# before the password is even checked (so the right password does not get in either).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "incidents:list"
LOGOUT_REDIRECT_URL = "login"

# English (British dates and numbers) by default, and Ukrainian: the catalogue is in
# locale/, compiled by `make messages` on the way to `make run`, `make test` and the image.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("uk", "Українська")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = int(timedelta(days=365).total_seconds())
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
# How dates are typed, per language, in one place: lootwatch/formats/.
FORMAT_MODULE_PATH = ["lootwatch.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: collected into STATIC_ROOT and served by WhiteNoise, in development too.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files. MEDIA_ROOT holds derivatives that pages may show; PRIVATE_MEDIA_ROOT holds
# original evidence, which no URL serves: staff download originals through a checked view.
# The two are siblings, never nested: the development server serves MEDIA_ROOT as a whole.
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media" / "public")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "media" / "private")

STORAGES = {
    "default": {
        "BACKEND": env.str(
            "DEFAULT_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json("DEFAULT_STORAGE_OPTIONS", default={}),
    },
    "evidence_originals": {
        "BACKEND": env.str(
            "EVIDENCE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env.json(
            "EVIDENCE_STORAGE_OPTIONS",
            default={"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        ),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Evidence uploads: a refused file writes nothing. Pillow's own bomb check is tied to this limit.
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=50_000_000)
# All frames of an animated GIF or WebP together: each is decoded to check it.
EVIDENCE_MAX_ANIMATION_PIXELS = env.int("EVIDENCE_MAX_ANIMATION_PIXELS", default=200_000_000)
PIL.Image.MAX_IMAGE_PIXELS = EVIDENCE_MAX_PIXELS
# Request limits, checked before any form is built (lootwatch.views.bad_request explains a
# refusal): the form fields of one request without its files, how many fields and files.
# The largest form, logging an incident with 20 claims and 50 items, has about 700 fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=40)
# The whole body, files included: a few evidence files at their largest.
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=100 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The gazetteer keeps the settlements of these countries (ISO 3166-1 alpha-2; empty: all).
GAZETTEER_COUNTRIES = env.list(
    "GAZETTEER_COUNTRIES", default=["UA", "BY", "RU", "MD", "PL", "SK", "HU", "RO"]
)

# The maps draw borders and coastlines from this site (static/vendor/world-atlas). A tile
# server (e.g. a newsroom's own, or https://tile.openstreetmap.org/{z}/{x}/{y}.png) is laid
# on top when set; every tile it serves tells it which area is being looked at.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")

# Content-Security-Policy (django-csp): scripts, styles and fonts from this site only, no
# inline code (a script that needs data reads it from data- attributes or a JSON file),
# images also from the map's tile server, and no framing by other sites.
# "{s}" is a tile server's rotating subdomain (a.tile…, b.tile…).
_tiles = urlsplit(MAP_TILE_URL.replace("{s}", "*"))
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Mail: printed to the console in development, SMTP from EMAIL_URL in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="lootwatch@localhost")
# Where people reach Lootwatch: the links in emails start with it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Security: strict by default whenever DEBUG is off.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes from inside the container speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())

# Requests per partner API key (per signed-in user for staff sessions), e.g. "600/minute".
API_PARTNER_RATE = env.str("API_PARTNER_RATE", default="600/minute")
# Refused API keys per client address before further attempts get 429 (key guessing).
API_INVALID_KEY_RATE = env.str("API_INVALID_KEY_RATE", default="10/minute")

# Sign-in lockout (django-axes, lootwatch.lockout): 5 failed sign-ins for a username, or 30
# from one address (a newsroom shares one), in 15 minutes lock it out until 15 minutes after
# the last failure. Counts are AccessAttempt rows, shared by every worker; editors clear
# locks in the admin. The password is never stored or logged (AXES_SENSITIVE_PARAMETERS).
AXES_FAILURE_LIMIT = 5
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "lootwatch.lockout.SignInLockoutHandler"
AXES_LOCKOUT_CALLABLE = "lootwatch.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "lootwatch.clients.client_ip"
AXES_CLIENT_STR_CALLABLE = "lootwatch.clients.client_str"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "csrfmiddlewaretoken"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "partner_key": API_PARTNER_RATE,
    },
    "EXCEPTION_HANDLER": "lootwatch.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Lootwatch API",
    "DESCRIPTION": (
        "Published incidents of alleged wartime looting and the sourced claims behind them. "
        "Authenticate with `Authorization: Api-Key <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "incidents.models.ActorKind",
        "SourceKindEnum": "claims.models.SourceKind",
        "EvidenceKindEnum": "claims.models.EvidenceKind",
        # Every GeoJSON feature's `type`: incidents' points and their routes' lines.
        "FeatureTypeEnum": ["Feature"],
    },
}

# JSON lines on standard error for servers (one access line per request from
# lootwatch.middleware, with its request id); plain text for a developer's terminal.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "lootwatch.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "lootwatch.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # 4xx answers are in the access line already; errors (5xx) are still logged here.
        "django.request": {"level": "ERROR"},
        # Failed sign-ins and lockouts are warnings; axes says little else worth keeping.
        "axes": {"level": "WARNING"},
        # The dossier's PDF renderer narrates every step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
    },
}
