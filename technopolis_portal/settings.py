"""Settings of the portal: every value that differs between machines comes from the environment.

The environment (or a local, git-ignored `.env` file) is read here and nowhere else. A bad value
raises ImproperlyConfigured at start-up instead of surfacing later as odd behaviour.
"""

import datetime
import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _flag(name: str, default: bool) -> bool:
    """A boolean setting that refuses anything but a clear yes or no."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _positive_int(name: str, default: int) -> int:
    raw = env.str(name, default=str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be greater than zero, not {value}")
    return value


DEBUG = _flag("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")

INSTALLED_APPS = [
    # Names and titles in both languages (name_en, name_ru); must come before the admin.
    "modeltranslation",
    # Django admin, admitting only staff who passed the second factor.
    "accounts.apps.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "django_filters",
    # Full-text and trigram search lookups (common.search) on PostgreSQL.
    "django.contrib.postgres",
    "simple_history",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "crispy_bootstrap5",
    # Bootstrap's CSS and JS, served by the portal itself (no CDN).
    "js_lib_bootstrap5",
    "common",
    # The domain, ground floor first: parks <- residents <- agreements.
    "parks",
    "residents",
    "agreements",
    # People, on parks: sign-in and two-factor (lockout page, sign-in log), profile and language, park
    # staff and their invitations.
    "accounts",
    "notifications",
    # Partner contacts in the loop: personal links, confirmations, date proposals, milestone threads.
    "partners",
    # The cooperation network at a glance: the map, the innovation chain covered, the track record.
    "network",
    # Agreements from press releases: the extraction package (extraction/, no Django) behind a review page.
    "releases",
    # The staff portal's cross-cutting pages, on top of the domain apps.
    "portal",
    # Operations (/healthz, JSON log).
    "operations",
    # Spreadsheet import/export of the domain records and the agreement summary PDF.
    "exchange",
    # The REST API (/api/v1/): Django REST framework, knox tokens, the OpenAPI schema and its docs page.
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # Demo and synthetic data, on top of everything.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: an oversized upload is refused by its announced length.
    "operations.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their long cache life): every other answer is never stored.
    "operations.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside CSRF and the views, so every 403 is logged whoever answered it.
    "accounts.middleware.RefusalLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A signed-in person's language (from their profile, via the session) over the browser's.
    "accounts.middleware.ProfileLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change kept in the history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A rate-limited partner page answers 429 with a page of its own (settings.RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "technopolis_portal.urls"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "technopolis_portal.wsgi.application"

# SQLite under var/ is the embedded default for a quick local run; PostgreSQL everywhere else.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # How close a name must be to what was typed for the search (common.search) to find it: 0.4
    # lets "Gusev" find Gousev; pg_trgm's default, 0.6, needs all but one letter right. No JIT: it
    # compiled the search's one query for 180 ms to run it in 40 (short queries are the portal's work).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c pg_trgm.word_similarity_threshold=0.4 -c jit=off"
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

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}")
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them (common/formats/<language>/formats.py), not Django's US defaults.
FORMAT_MODULE_PATH = ["common.formats"]
# Typed names and titles are kept in both languages; a missing one falls back to the other.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = ("en", "ru")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "ru")}
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded documents live outside the static files and are never served directly.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
DOCUMENT_MAX_UPLOAD_MB = _positive_int("DOCUMENT_MAX_UPLOAD_MB", 20)
# Spreadsheet imports: the file, what it may unpack to (an XLSX is a ZIP of XML), the rows read, and
# how long and how much of a person's previews wait on disk for their confirmation.
IMPORT_MAX_UPLOAD_MB = _positive_int("IMPORT_MAX_UPLOAD_MB", 20)
IMPORT_MAX_UNPACKED_MB = _positive_int("IMPORT_MAX_UNPACKED_MB", 64)
IMPORT_MAX_ROWS = _positive_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_PREVIEW_MINUTES = _positive_int("IMPORT_PREVIEW_MINUTES", 60)
IMPORT_PENDING_MB_PER_USER = _positive_int("IMPORT_PENDING_MB_PER_USER", 2 * IMPORT_MAX_UPLOAD_MB)
# A request body larger than the largest upload (plus its form's fields) is refused by its
# Content-Length before a byte of it is read (operations.middleware.RequestSizeLimitMiddleware).
MAX_REQUEST_BODY_BYTES = (max(DOCUMENT_MAX_UPLOAD_MB, IMPORT_MAX_UPLOAD_MB) + 1) * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_FILE_PATH"):
    # django-environ reads filemail:///var/mail as the relative path var/mail: anchor it in the
    # project, not in whatever folder the command runs from (four slashes give an absolute path).
    EMAIL_FILE_PATH = str(BASE_DIR / EMAIL_CONFIG["EMAIL_FILE_PATH"])
# Every e-mail goes into the outbox first (notifications/backends.py) and is delivered from there,
# retried when the server refuses, through the transport EMAIL_URL names.
EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND  # noqa: F821 (set from EMAIL_CONFIG above)
EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Technopolis Portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


# Reminders: days before a milestone is due, the repeat interval once overdue, and when an
# overdue milestone is escalated to the park's managers.
def _lead_days(name: str, default: list[str]) -> list[int]:
    try:
        days = sorted({int(day) for day in env.list(name, default=default)}, reverse=True)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be whole numbers of days separated by commas") from None
    if any(day < 0 for day in days):
        raise ImproperlyConfigured(f"{name} cannot be negative")
    return days


REMINDER_LEAD_DAYS = _lead_days("REMINDER_LEAD_DAYS", ["14", "3", "0"])
# An agreement's act-by (notice) and expiry dates need more warning than a milestone: a notice period
# runs for weeks. An agreement may set its own.
AGREEMENT_DATE_LEAD_DAYS = _lead_days("AGREEMENT_DATE_LEAD_DAYS", ["90", "30", "7"])
OVERDUE_REMINDER_EVERY_DAYS = _positive_int("OVERDUE_REMINDER_EVERY_DAYS", 7)
ESCALATION_AFTER_DAYS = _positive_int("ESCALATION_AFTER_DAYS", 14)

# Partner contacts answer from their e-mail: the personal link in each digest and reminder opens the
# partner pages for this many days; link requests and partner actions are rate-limited per address.
PARTNER_LINK_DAYS = _positive_int("PARTNER_LINK_DAYS", 14)
PARTNER_LINK_REQUEST_RATE = env.str("PARTNER_LINK_REQUEST_RATE", default="5/h")
PARTNER_ACTION_RATE = env.str("PARTNER_ACTION_RATE", default="60/h")
# A partner's pages are refused with a page of their own (429) when a rate limit is reached.
RATELIMIT_VIEW = "partners.views.rate_limited"

# Redis in production. Without CELERY_BROKER_URL, an embedded broker (kombu's filesystem
# transport under var/celery/) lets `make run` run a real worker and beat with nothing installed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_folder = BASE_DIR / "var" / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_folder / "queue"),
        "data_folder_out": str(_queue_folder / "queue"),
        "processed_folder": str(_queue_folder / "processed"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed"):
        (_queue_folder / _folder).mkdir(parents=True, exist_ok=True)
# Admins change the schedule in Django admin (django-celery-beat's periodic tasks).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- Sign-in security ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Refuses locked-out attempts before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the person's park roles with them (one query less per page).
    "accounts.backends.ModelBackendWithRoles",
]
# Login throttling: after AXES_FAILURE_LIMIT failures from one address, or for one username (known
# or not, so the answer never tells which accounts exist), both are refused for the cool-off period.
AXES_FAILURE_LIMIT = _positive_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_positive_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Behind a reverse proxy, the number of proxies in front of the portal (their X-Forwarded-For entries).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Technopolis Portal")

# Sessions end after this many seconds without a request (idle expiry), 8 hours by default.
SESSION_COOKIE_AGE = _positive_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Production hardening -----------------------------------------------------------------------
# Safe by default when DEBUG is off; a local run (DEBUG on) works over plain HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and compose probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = _flag("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: everything from the portal itself, no inline scripts, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# One JSON object per line (LOG_FORMAT=plain for a human-readable console while developing).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "operations.jsonlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes announces itself at every start; its lockouts still come through as warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- REST API (api/: Django REST framework, knox tokens, drf-spectacular) -------------------------
# Hashed, named tokens with their last use (api.models.ApiToken on django-rest-knox's base).
KNOX_TOKEN_MODEL = "api.ApiToken"  # noqa: S105 (a model's name, not a secret)
REST_KNOX = {"TOKEN_MODEL": "api.ApiToken", "TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token"}
# knox's own migrations create its default token table even when the model is swapped; without
# them no such table exists (it would hold nothing, and would block flushing the test database).
MIGRATION_MODULES = {"knox": None}
# The cache: the API's throttle counters (and anything else cached) must be shared by every
# gunicorn worker and every machine, so production points CACHE_URL at Redis; the quick local run
# keeps a per-process memory cache.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="120/minute")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_THROTTLE_RATE must look like 120/minute (per second, minute, hour or day), not {API_THROTTLE_RATE!r}"
    )
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing login a 401, distinct from a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PortalRules"],
    # JSON only: people browse the API in its documentation page (Swagger UI), not DRF's HTML forms.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiUserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": API_THROTTLE_RATE},
    "DEFAULT_FILTER_BACKENDS": ["api.filters.PortalFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Technopolis Portal API",
    "DESCRIPTION": (
        "Parks, resident companies, IP, agreements and milestones, with the portal's access rules. "
        "Send `Authorization: Token <token>` (made under Profile → API tokens). Errors: 400 with a message "
        "per field, 401 without valid credentials, 403 for a record you see but may not change, 404 for one "
        "you may not see, 409 when the record was saved by someone else after the `version` you sent, "
        "429 (with Retry-After) above the request rate."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI's files come from the drf-spectacular-sidecar package, served by the portal (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.version_required_on_update",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AgreementStatusEnum": "agreements.lifecycle.AgreementStatus",
        "MilestoneStatusEnum": "agreements.models.Milestone.Status",
        "IntellectualPropertyStatusEnum": "residents.models.IntellectualProperty.Status",
        "ConfirmationEnum": "agreements.models.Confirmation",
    },
}
