"""Federation API: the partner registry and its lifecycle (``hq_admin`` writes,
``hq_analyst`` reads)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.accounts.models import Role
from common.api.params import choice_param
from common.api.permissions import HasRole
from tenants.partners import selectors, services
from tenants.partners.api.serializers import (
    PartnerEventOutput,
    PartnerInput,
    PartnerOutput,
    PromoteInput,
    StatusChangeInput,
)
from tenants.partners.models import Status, Tier

HQ = (Role.HQ_ADMIN, Role.HQ_ANALYST)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("tier", enum=Tier.values),
            OpenApiParameter("status", enum=Status.values),
        ]
    )
)
class PartnerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = {
        "list": HQ,
        "retrieve": HQ,
        "history": HQ,
        "create": (Role.HQ_ADMIN,),
        "promote": (Role.HQ_ADMIN,),
        "suspend": (Role.HQ_ADMIN,),
        "reactivate": (Role.HQ_ADMIN,),
        "archive": (Role.HQ_ADMIN,),
    }
    serializer_class = PartnerOutput
    lookup_field = "slug"
    ordering_fields = ["slug", "name", "country", "tier", "founded_on"]
    search_fields = ["slug", "name"]

    def get_queryset(self):
        return selectors.partner_list(
            tier=choice_param(self.request, "tier", Tier.values),
            status=choice_param(self.request, "status", Status.values),
        )

    def _partner(self, slug):
        return selectors.partner_get(slug=slug)

    def retrieve(self, request, slug=None):
        return Response(PartnerOutput(self._partner(slug)).data)

    @extend_schema(request=PartnerInput, responses={201: PartnerOutput})
    def create(self, request):
        data = PartnerInput(data=request.data)
        data.is_valid(raise_exception=True)
        partner = services.partner_create(**data.validated_data, recorded_by=request.user.username)
        return Response(PartnerOutput(partner).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PartnerEventOutput(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, slug=None):
        partner = self._partner(slug)
        return Response(PartnerEventOutput(partner.events.all(), many=True).data)

    @extend_schema(request=PromoteInput, responses=PartnerOutput)
    @action(detail=True, methods=["post"])
    def promote(self, request, slug=None):
        data = PromoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        partner = services.partner_promote(
            partner=self._partner(slug), **data.validated_data, recorded_by=request.user.username
        )
        return Response(PartnerOutput(partner).data)

    def _status_change(self, request, slug, service):
        data = StatusChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        partner = service(
            partner=self._partner(slug), **data.validated_data, recorded_by=request.user.username
        )
        return Response(PartnerOutput(partner).data)

    @extend_schema(request=StatusChangeInput, responses=PartnerOutput)
    @action(detail=True, methods=["post"])
    def suspend(self, request, slug=None):
        return self._status_change(request, slug, _with_reason(services.partner_suspend))

    @extend_schema(request=StatusChangeInput, responses=PartnerOutput)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, slug=None):
        return self._status_change(request, slug, services.partner_reactivate)

    @extend_schema(request=StatusChangeInput, responses=PartnerOutput)
    @action(detail=True, methods=["post"])
    def archive(self, request, slug=None):
        return self._status_change(request, slug, _with_reason(services.partner_archive))


def _with_reason(service):
    def call(*, reason: str = "", **kwargs):
        return service(reason=reason, **kwargs)

    return call
