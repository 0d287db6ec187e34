"""Pages every host has."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

# Swagger UI's deep link (#/<first tag>/<operationId>) to the token endpoint, the API's
# login; tests/common/test_web.py checks it against the schema.
SIGN_IN_URL = "/api/docs/#/v1/v1_auth_token_create"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """``/``: the front page of every host, in the request's language.

    Until the web pages come (then ``/`` becomes the login page and the user's home,
    docs/design.md, "Web pages"), it names the host and links to what exists: signing in
    through the API's token endpoint, the admin and the API documentation.
    """
    return render(
        request,
        "web/home.html",
        {"partner": getattr(request, "tenant", None), "sign_in_url": SIGN_IN_URL},
    )
