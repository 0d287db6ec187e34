"""The Django admin on both kinds of host, each showing only its own side's models.

On a partner's host the search_path also reaches public tables, so a public model (the
partner registry) would otherwise be readable there; on the federation host a partner
model's table does not exist. Every registered ModelAdmin is therefore limited to the
side(s) its app lives on, whoever registered it: its permissions, and each of its pages
(403 before any query of the table), the shortcut to one of its objects (404), and the
delete confirmation, which collects only this side's rows (``common.deletion``). Every
text input the admin makes from a model field (in a model's form and in its inlines)
follows the text rule of ``common.text``, as the API's serializers do.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern

from common.deletion import get_deleted_objects, model_allowed_here
from common.text import validate_text

__all__ = ["EssaimAdminConfig", "EssaimAdminSite", "model_allowed_here"]

_PERMISSION_METHODS = (
    "has_module_permission",
    "has_view_permission",
    "has_add_permission",
    "has_change_permission",
    "has_delete_permission",
)


def _guard(model, method):
    @wraps(method)
    def guarded(*args, **kwargs):
        if not model_allowed_here(model):
            return False
        return method(*args, **kwargs)

    return guarded


def _view_guard(model, view):
    """``view`` (one of a model admin's pages), answering 403 without touching the
    model's table when that table is not on this side, as the list page answers."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not model_allowed_here(model):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _urls_guarded(model, get_urls):
    """Wrap a model admin's ``get_urls`` so that every page it routes (the list, the
    object pages and any page of its own) is guarded by ``_view_guard``."""

    @wraps(get_urls)
    def guarded():
        patterns = get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _view_guard(model, pattern.callback)
        return patterns

    return guarded


def _shortcut(request, content_type_id, object_id):
    """The contenttypes shortcut (``/admin/r/<ct>/<id>/``), answering 404 for a model
    whose table is not on this side instead of querying it."""
    from django.contrib.contenttypes import views as contenttype_views
    from django.contrib.contenttypes.models import ContentType

    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    if model is None or not model_allowed_here(model):
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)


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

    @property
    def login_form(self):
        """The admin's login shares the API's throttle (imported here: this module loads
        before the models do)."""
        from common.accounts.forms import ThrottledAdminAuthenticationForm

        return ThrottledAdminAuthenticationForm

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
            model_admin.get_urls = _urls_guarded(model, model_admin.get_urls)
            if type(model_admin).get_deleted_objects is admin.ModelAdmin.get_deleted_objects:
                # The delete confirmation collects only what is on this side.
                model_admin.get_deleted_objects = lambda objs, request, _site=self: (
                    get_deleted_objects(objs, request, _site)
                )

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern) and pattern.name == "view_on_site":
                pattern.callback = self.admin_view(_shortcut)
        return urls

    def each_context(self, request):
        context = super().each_context(request)
        partner = getattr(request, "tenant", None)
        context["site_header"] = f"Essaim — {partner.name}" if partner else "Essaim — federation"
        return context


class EssaimAdminConfig(AdminConfig):
    default_site = "common.admin_site.EssaimAdminSite"
