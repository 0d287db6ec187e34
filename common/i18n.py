"""The language a request is answered in, decided in one place for the API, the admin,
the pages and the error responses.

Order (docs/design.md, "Languages"): the language the user chose, else the browser's
(``Accept-Language``), else the partner's default; on the federation host, which has no
partner, English. Only the platform's languages (``settings.LANGUAGES``) are ever chosen;
a regional tag falls back to its language (``de-AT`` → ``de``, ``fr_BE`` → ``fr``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from common.accounts.authentication import token_user


def supported_language(code: str | None) -> str | None:
    """The platform language ``code`` stands for ('de' for 'de-AT', 'de_AT' or 'DE'), or
    None when the platform does not speak it."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.replace("_", "-").lower())
    except LookupError:
        return None


def browser_language(accept_language: str) -> str | None:
    """The first platform language of an ``Accept-Language`` header, by the browser's
    preference (q-values), or None when it names none of them (or is empty)."""
    for code, quality in parse_accept_lang_header(accept_language or ""):
        # q=0 means "not this one" (RFC 9110, 12.4.2).
        if code == "*" or quality <= 0:
            continue
        language = supported_language(code)
        if language:
            return language
    return None


def language_for(*, user=None, partner=None, accept_language: str = "") -> str:
    """A platform language code ('fr', 'de', ...): ``user``'s choice, else the browser's
    from ``accept_language``, else ``partner``'s default locale's language, else
    ``settings.LANGUAGE_CODE`` (English)."""
    if user is not None and getattr(user, "is_authenticated", False):
        choice = supported_language(getattr(user, "language", ""))
        if choice:
            return choice
    browser = browser_language(accept_language)
    if browser:
        return browser
    if partner is not None:
        language = supported_language(partner.default_locale)
        if language:
            return language
    return settings.LANGUAGE_CODE


def request_user(request):
    """Who a request comes from, for choosing its language: the user of its API token
    when it carries a valid one (as the API's authentication will find it), else the
    signed-in session user, else None."""
    user = token_user(request)
    if user is not None:
        return user
    session_user = getattr(request, "user", None)
    if session_user is not None and session_user.is_authenticated:
        return session_user
    return None


def request_language(request, *, user=None) -> str:
    """The language to answer ``request`` in (see ``language_for``); ``user`` defaults
    to the request's own (``request_user``)."""
    return language_for(
        user=user if user is not None else request_user(request),
        partner=getattr(request, "tenant", None),
        accept_language=request.headers.get("Accept-Language", ""),
    )


class UserLanguageMiddleware:
    """Answer every request, error responses included, in ``request_language``.

    Runs after the host routing (the partner is known, the token is looked up in the
    right schema) and after the session authentication; the API's token authentication
    later reuses the token this middleware looked up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
            # The same URL answers in another language for another Accept-Language.
            patch_vary_headers(response, ("Accept-Language",))
        finally:
            translation.deactivate()
        return response
