"""The Celery app. Tasks are tenant-aware (tenant-schemas-celery): a task sent while a
partner's schema is active carries that schema's name and runs inside it on the worker."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = CeleryApp("essaim")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_configure.connect
def _start_embedded_database(sender, **kwargs):
    """The Celery entry point (``celery -A config worker|beat``): the app is configured
    (from Django's settings) on first use, and this runs just before. With no
    ``DATABASE_URL`` and settings not yet read, start (or join) the embedded PostgreSQL;
    a process whose settings are already loaded (the web, a test) chose its database."""
    from django.conf import settings

    if not settings.configured:
        from config.embedded_pg import ensure_database_url

        ensure_database_url()


@app.on_configure.connect
def _make_broker_folders(sender, **kwargs):
    """kombu's file-system transport expects its folders to exist."""
    from pathlib import Path

    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = (sender.conf.broker_transport_options or {}).get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)


app.autodiscover_tasks()

# Each app that needs periodic work declares a BEAT_SCHEDULE in its tasks module; beat
# runs in the public schema and fans partner work out with partners.for_each_partner.
BEAT_MODULES = [
    "services_catalog.local.tasks",
    "tenants.accounting.tasks",
    "tenants.charter_checks.tasks",
]


@app.on_after_finalize.connect
def _merge_beat_schedules(sender, **kwargs):
    import importlib

    for module in BEAT_MODULES:
        sender.conf.beat_schedule.update(importlib.import_module(module).BEAT_SCHEDULE)
