"""The Celery app. Tasks are tenant-aware (tenant-schemas-celery): a task sent while a
partner's schema is active carries that schema's name and runs inside it on the worker."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = CeleryApp("essaim")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
