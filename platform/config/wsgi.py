"""The WSGI entry point (``gunicorn config.wsgi``): with no ``DATABASE_URL``, it starts (or
joins) the embedded PostgreSQL before the settings are read."""

import os

from django.core.wsgi import get_wsgi_application

from config.embedded_pg import ensure_database_url

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
ensure_database_url()
application = get_wsgi_application()
