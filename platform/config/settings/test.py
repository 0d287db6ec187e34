"""Test settings: the real PostgreSQL (DATABASE_URL or embedded), local-memory cache,
fast password hashing."""

import hashlib
import os

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, DATABASES

# One test database per checkout, so that two working copies on one server don't collide.
_checkout = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("ESSAIM_TEST_DB") or f"test_essaim_{_checkout}"
}
DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
    }
}
# Tests switch partners and statuses constantly; revalidate the host table every time.
TENANT_ROUTING_REFRESH_SECONDS = 0
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Results are kept in memory so tests can wait on a real worker's answer.
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_IGNORE_RESULT = False
# Static files are not collected for tests; WhiteNoise need not look for them.
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
