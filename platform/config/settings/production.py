"""Production settings: secrets and hosts must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_list
from config.settings.base import *  # noqa: F403
from config.settings.base import PLATFORM_DOMAIN, SECRET_KEY

if not SECRET_KEY or SECRET_KEY.startswith("essaim-development"):
    raise ImproperlyConfigured("Set SECRET_KEY in production.")

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"])
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
