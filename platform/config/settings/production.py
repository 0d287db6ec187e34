"""Production settings: secrets and hosts must come from the environment, and the site is
served over HTTPS only, behind a reverse proxy that terminates TLS (see
docs/operations.md, "HTTPS"). ``manage.py check --deploy`` reports nothing with them
(tests/platform/test_deploy_check.py)."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list
from config.settings.base import *  # noqa: F403
from config.settings.base import PLATFORM_DOMAIN, SECRET_KEY

if not SECRET_KEY or SECRET_KEY.startswith("essaim-development"):
    raise ImproperlyConfigured("Set SECRET_KEY in production.")

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"])

# --- HTTPS --------------------------------------------------------------------------

# The proxy in front of gunicorn terminates TLS and says so in X-Forwarded-Proto; it must
# set (overwrite) that header on every request, or a client could claim HTTPS itself.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain-HTTP requests are redirected to HTTPS (0 only to try the image without TLS, as
# docker-compose.yml does by default).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Browsers remember for a year to use HTTPS only, on the federation's host and on every
# partner's host (<slug>.<PLATFORM_DOMAIN>: subdomains). Preloading lets browsers know it
# before the first visit; the domain is submitted to the preload list by its operator.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
