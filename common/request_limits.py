"""Limits on a request that Django checks before anything else reads it.

gunicorn lets request lines up to ``limit_request_line`` bytes (``config/gunicorn_conf.py``)
reach Django; a query string longer than ``settings.MAX_QUERY_STRING_BYTES`` is answered
here with 414 in the API's error shape (``{"message", "code", "extra"}``) under
``/api/``, plain text elsewhere, before the host is routed or any parameter parsed.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class QueryStringLimitMiddleware:
    """414 for a query string over ``MAX_QUERY_STRING_BYTES`` bytes (as sent, encoded)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # WSGI gives the query string as latin-1-decoded bytes: one character per byte.
        length = len(request.META.get("QUERY_STRING", ""))
        limit = settings.MAX_QUERY_STRING_BYTES
        if length <= limit:
            return self.get_response(request)
        message = _("The query string is too long: %(length)s bytes, at most %(limit)s.") % {
            "length": length,
            "limit": limit,
        }
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"message": message, "code": "query_string_too_long", "extra": {}}, status=414
            )
        return HttpResponse(message, status=414, content_type="text/plain; charset=utf-8")
