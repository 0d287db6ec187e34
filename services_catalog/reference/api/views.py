"""Federation API of the reference catalogue: ``reference-services/``,
``tier-requirements/`` (``hq_admin`` writes, ``hq_analyst`` reads) and ``coverage/``
(read-only, from the public rollup table: never a partner's schema)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.accounts.models import Role
from common.api.params import bool_param, choice_param, date_param
from common.api.permissions import HasRole
from common.errors import NotFound
from services_catalog.reference import selectors, services
from services_catalog.reference.api.serializers import (
    CoverageOutput,
    ReferenceServiceInput,
    ReferenceServiceOutput,
    ReferenceServiceUpdate,
    RequirementInput,
    RequirementOutput,
    RequirementUpdate,
)
from services_catalog.reference.exceptions import ReferenceServiceNotFound, RequirementInvalid
from services_catalog.reference.models import Level
from services_catalog.translated import reading_order
from tenants.partners.models import Tier

HQ = (Role.HQ_ADMIN, Role.HQ_ANALYST)
HQ_WRITE = (Role.HQ_ADMIN,)


DATE_PARAM = OpenApiParameter("on", OpenApiTypes.DATE, description="Requirements in force on")


class ReferenceServiceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The federation's services, by stable code. Names and descriptions come in the
    caller's language (fallback English); writes take every language at once."""

    permission_classes = [HasRole]
    roles = {"list": HQ, "retrieve": HQ, "*": HQ_WRITE}
    serializer_class = ReferenceServiceOutput
    lookup_field = "code"
    ordering_fields = ["code", "category"]
    search_fields = ["code", "name_en", "name_fr", "name_de"]

    def get_queryset(self):
        return selectors.reference_service_list(
            tier=choice_param(self.request, "tier", Tier.values),
            level=choice_param(self.request, "level", Level.values),
            on=date_param(self.request, "on"),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "languages": reading_order()}

    @extend_schema(
        parameters=[
            OpenApiParameter("tier", enum=Tier.values),
            OpenApiParameter("level", enum=Level.values),
            DATE_PARAM,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, code=None):
        service = selectors.reference_service_get(code=code)
        return Response(self.get_serializer(service).data)

    @extend_schema(request=ReferenceServiceInput, responses={201: ReferenceServiceOutput})
    def create(self, request):
        data = ReferenceServiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.reference_service_create(actor=request.user, **data.validated_data)
        service = selectors.reference_service_get(code=service.code)
        return Response(self.get_serializer(service).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferenceServiceUpdate, responses=ReferenceServiceOutput)
    def partial_update(self, request, code=None):
        data = ReferenceServiceUpdate(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        service = services.reference_service_update(
            service=selectors.reference_service_get(code=code),
            actor=request.user,
            **data.validated_data,
        )
        return Response(
            self.get_serializer(selectors.reference_service_get(code=service.code)).data
        )


class TierRequirementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Dated requirements: which tier must (core) or may (optional) offer which service."""

    permission_classes = [HasRole]
    roles = {"list": HQ, "retrieve": HQ, "*": HQ_WRITE}
    serializer_class = RequirementOutput
    ordering_fields = ["effective_from", "tier"]

    def get_queryset(self):
        return selectors.requirement_list(
            tier=choice_param(self.request, "tier", Tier.values),
            code=self.request.query_params.get("code"),
            on=date_param(self.request, "on"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("tier", enum=Tier.values),
            OpenApiParameter("code", str),
            DATE_PARAM,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        return Response(RequirementOutput(self.get_object()).data)

    @extend_schema(request=RequirementInput, responses={201: RequirementOutput})
    def create(self, request):
        data = RequirementInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        code = fields.pop("code")
        try:
            service = selectors.reference_service_get(code=code)
        except ReferenceServiceNotFound:
            raise RequirementInvalid(
                _("No reference service has the code %(code)s.") % {"code": repr(code)},
                {"fields": {"code": [_("Unknown code.")]}},
            ) from None
        requirement = services.tier_requirement_create(
            service=service, actor=request.user, **fields
        )
        return Response(RequirementOutput(requirement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RequirementUpdate, responses=RequirementOutput)
    def partial_update(self, request, pk=None):
        data = RequirementUpdate(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        requirement = services.tier_requirement_update(
            requirement=self.get_object(), actor=request.user, **data.validated_data
        )
        return Response(RequirementOutput(requirement).data)


class CoverageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Which partner offers which reference service: each partner's latest coverage
    snapshot (aggregates pushed by the partner's own task; no subscriber is ever listed).
    ``?missing_core=true`` keeps the partners that lack a core service of their tier."""

    permission_classes = [HasRole]
    roles = HQ
    serializer_class = CoverageOutput
    lookup_value_regex = "[a-z][a-z0-9-]*"
    lookup_url_kwarg = "slug"

    def get_queryset(self):
        qs = selectors.coverage_latest(
            as_of=date_param(self.request, "as_of"),
            tier=choice_param(self.request, "tier", Tier.values),
        )
        if bool_param(self.request, "missing_core"):
            qs = qs.exclude(missing_core=[])
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Latest on or before"),
            OpenApiParameter("tier", enum=Tier.values),
            OpenApiParameter("missing_core", bool),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, slug=None):
        """One partner's latest snapshot."""
        snapshot = selectors.coverage_for_partner(slug=slug).first()
        if snapshot is None:
            raise NotFound(_("No coverage computed yet for %(slug)s.") % {"slug": repr(slug)})
        return Response(CoverageOutput(snapshot).data)

    @extend_schema(responses=CoverageOutput(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, slug=None):
        """Every snapshot of one partner, newest first."""
        page = self.paginate_queryset(selectors.coverage_for_partner(slug=slug))
        return self.get_paginated_response(CoverageOutput(page, many=True).data)
