"""Runtime wiring of Essaim: settings, URLconfs, Celery app, WSGI/ASGI, embedded PostgreSQL.

``platform/`` is deliberately not a Python package (a package named ``platform`` would
shadow the standard library's module); ``platform/`` itself is put on ``sys.path`` and this
package is imported as ``config``.
"""

from config.celery import app as celery_app

__all__ = ["celery_app"]
