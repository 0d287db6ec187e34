"""The language of a request: the user's choice, else the partner's default, else English."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_for(*, user=None, partner=None) -> str:
    """A Django language code ('fr', 'de', ...) for ``user`` on ``partner``'s host."""
    if user is not None and getattr(user, "is_authenticated", False):
        choice = getattr(user, "language", "")
        if choice in _SUPPORTED:
            return choice
    if partner is not None:
        code = partner.default_locale.split("_")[0]
        if code in _SUPPORTED:
            return code
    return settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activate the request's language (token users are switched again by the API's
    authentication, which runs in the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(
            user=getattr(request, "user", None), partner=getattr(request, "tenant", None)
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response
