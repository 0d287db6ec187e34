"""The Django admin on both kinds of host, each showing only its own side's models.

On a partner's host the search_path also reaches public tables, so a public model (the
partner registry) would otherwise be readable there; on the federation host a partner
model's table does not exist. Every registered ModelAdmin is therefore limited to the
side(s) its app lives on, whoever registered it. Every text input the admin makes from a
model field (in a model's form and in its inlines) follows the text rule of
``common.text``, as the API's serializers do.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db import connection
from django_tenants.utils import app_labels, get_public_schema_name

from common.text import validate_text

_PERMISSION_METHODS = (
    "has_module_permission",
    "has_view_permission",
    "has_add_permission",
    "has_change_permission",
    "has_delete_permission",
)


def model_allowed_here(model) -> bool:
    """Whether ``model``'s table belongs to the schema the connection is on."""
    on_public = connection.schema_name == get_public_schema_name()
    side = settings.SHARED_APPS if on_public else settings.TENANT_APPS
    return model._meta.app_label in app_labels(side)


def _guard(model, method):
    @wraps(method)
    def guarded(*args, **kwargs):
        if not model_allowed_here(model):
            return False
        return method(*args, **kwargs)

    return guarded


def _text_checked(formfield_for_dbfield):
    """Wrap a (model or inline) admin's ``formfield_for_dbfield`` so that each text input
    it makes refuses what ``common.text`` refuses."""
    if getattr(formfield_for_dbfield, "text_checked", False):
        return formfield_for_dbfield

    @wraps(formfield_for_dbfield)
    def checked(db_field, request=None, **kwargs):
        formfield = formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.CharField) and validate_text not in formfield.validators:
            formfield.validators.append(validate_text)
        return formfield

    checked.text_checked = True
    return checked


def _inlines_text_checked(get_inline_instances):
    @wraps(get_inline_instances)
    def checked(request, obj=None):
        inlines = get_inline_instances(request, obj)
        for inline in inlines:
            inline.formfield_for_dbfield = _text_checked(inline.formfield_for_dbfield)
        return inlines

    return checked


class EssaimAdminSite(admin.AdminSite):
    site_header = "Essaim"
    site_title = "Essaim"
    # "View site" leads to the host's front page (common.web).
    site_url = "/"

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        for model in models:
            model_admin = self._registry.get(model)
            if model_admin is None:  # swapped models are not registered
                continue
            for name in _PERMISSION_METHODS:
                setattr(model_admin, name, _guard(model, getattr(model_admin, name)))
            model_admin.formfield_for_dbfield = _text_checked(model_admin.formfield_for_dbfield)
            model_admin.get_inline_instances = _inlines_text_checked(
                model_admin.get_inline_instances
            )

    def each_context(self, request):
        context = super().each_context(request)
        partner = getattr(request, "tenant", None)
        context["site_header"] = f"Essaim — {partner.name}" if partner else "Essaim — federation"
        return context


class EssaimAdminConfig(AdminConfig):
    default_site = "common.admin_site.EssaimAdminSite"
