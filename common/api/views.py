"""Views every host has: the token endpoint, who-am-I, and the error handlers (400, 404,
500) that answer in the API's error shape under /api/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.accounts.services import auth_token_obtain
from common.api import serializers
from common.api.fields import PasswordField
from common.api.schema import also_answers


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = PasswordField(max_length=256)


class AuthTokenApi(APIView):
    """Exchange a username and password for an API token of this host's schema."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenInput,
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
    )
    @also_answers(429)
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        token = auth_token_obtain(
            username=data.validated_data["username"],
            password=data.validated_data["password"],
            address=request.META.get("REMOTE_ADDR", ""),
        )
        return Response({"token": token})


def not_found(request, exception=None):
    """404 for every host: JSON under /api/, plain text elsewhere."""
    from django.http import HttpResponseNotFound, JsonResponse
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return JsonResponse(
            {"message": _("Not found."), "code": "not_found", "extra": {}}, status=404
        )
    return HttpResponseNotFound(_("Not found."), content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None):
    """400 for a request Django refuses before any view reads it (a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, more fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``, or
    another ``SuspiciousOperation``): JSON under /api/, plain text elsewhere."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.http import HttpResponseBadRequest, JsonResponse
    from django.utils.translation import gettext as _

    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        message, code = _("The request is too large or has too many fields."), "request_too_large"
    else:
        message, code = _("The request is malformed."), "bad_request"
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "code": code, "extra": {}}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def server_error(request):
    """500 as JSON under /api/ (the error is logged; nothing of it is shown)."""
    from django.http import HttpResponseServerError, JsonResponse
    from django.utils.translation import gettext as _

    message = _("An unexpected error occurred; it has been logged.")
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "code": "server_error", "extra": {}}, status=500)
    return HttpResponseServerError(message, content_type="text/plain; charset=utf-8")


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    language = serializers.CharField()
    partner = serializers.CharField(allow_null=True)


class MeInput(serializers.Serializer):
    language = serializers.CharField(max_length=10, allow_blank=True)


class MeApi(APIView):
    """Who the token belongs to, on this host: username, role, effective language and the
    partner's slug (null on the federation host)."""

    from common.api.permissions import HasRole as _HasRole

    permission_classes = [_HasRole]
    roles = ("admin", "advisor", "accountant", "member", "hq_admin", "hq_analyst")

    @extend_schema(request=MeInput, responses=MeOutput)
    def patch(self, request):
        """Choose the language the platform speaks to you in ("" for the partner's)."""
        from common.accounts.services import user_language_set

        data = MeInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "language" in data.validated_data:
            user_language_set(user=request.user, language=data.validated_data["language"])
        from django.utils import translation

        from common.i18n import request_language

        translation.activate(request_language(request, user=request.user))
        return self.get(request)

    @extend_schema(responses=MeOutput)
    def get(self, request):
        from django.utils.translation import get_language

        partner = getattr(request, "tenant", None)
        return Response(
            MeOutput(
                {
                    "username": request.user.username,
                    "role": request.user.role,
                    "language": request.user.language or get_language(),
                    "partner": partner.slug if partner else None,
                }
            ).data
        )
