"""Partner API of the local catalogue: ``services/`` (the partner ``admin`` writes, every
partner role reads) and ``subscriptions/`` (staff see all; a member sees and makes only
their own; another member's subscription answers 404)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.accounts.models import Role
from common.api.params import date_param, id_param, text_param
from common.api.permissions import HasRole
from common.api.schema import id_parameter, text_parameter
from common.tenancy import current_partner
from services_catalog.local import selectors, services
from services_catalog.local.api import serializers as s
from services_catalog.local.exceptions import ServiceNotFound, SubscriptionInvalid
from services_catalog.translated import reading_order
from tenants.members.exceptions import ActivityNotFound
from tenants.members.selectors import activity_get

STAFF = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT)
ALL = (*STAFF, Role.MEMBER)
ADVISING = (Role.ADMIN, Role.ADVISOR)


class ServiceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The partner's services, names in the caller's language (fallback: the partner's
    default language, then English). Writes accept every language at once."""

    permission_classes = [HasRole]
    roles = {"list": ALL, "retrieve": ALL, "*": (Role.ADMIN,)}
    serializer_class = s.ServiceOutput
    ordering_fields = ["code", "pricing_model", "available_from"]
    search_fields = ["code", "reference_code", "name_en", "name_fr", "name_de", "name_sv"]

    def get_queryset(self):
        return selectors.service_list(
            on=date_param(self.request, "on"),
            reference_code=text_param(self.request, "reference_code"),
        )

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "languages": reading_order(partner=current_partner()),
        }

    @extend_schema(
        parameters=[
            OpenApiParameter("on", OpenApiTypes.DATE, description="Available on this date"),
            text_parameter("reference_code"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(selectors.service_get(pk=pk)).data)

    @extend_schema(request=s.ServiceInput, responses={201: s.ServiceOutput})
    def create(self, request):
        data = s.ServiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.service_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(service).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ServiceUpdate, responses=s.ServiceOutput)
    def partial_update(self, request, pk=None):
        data = s.ServiceUpdate(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        service = services.service_update(
            service=selectors.service_get(pk=pk), actor=request.user, **data.validated_data
        )
        return Response(self.get_serializer(service).data)


class SubscriptionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Members' subscriptions. ``POST`` subscribes the member who runs ``activity``;
    ``{id}/end/`` ends one; ``{id}/charges/`` lists what was billed, month by month;
    ``{id}/uses/`` lists (and, for staff, records) uses of a per-use service."""

    permission_classes = [HasRole]
    roles = {
        "list": ALL,
        "retrieve": ALL,
        "charges": ALL,
        "uses": ALL,
        "create": (Role.ADMIN, Role.ADVISOR, Role.MEMBER),
        "end": (Role.ADMIN, Role.ADVISOR, Role.MEMBER),
        "record_use": ADVISING,
    }
    serializer_class = s.SubscriptionOutput
    ordering_fields = ["starts_on", "ends_on", "id"]

    def get_queryset(self):
        return selectors.subscription_list(
            user=self.request.user,
            service_id=id_param(self.request, "service"),
            on=date_param(self.request, "on"),
        )

    def _subscription(self, pk):
        return selectors.subscription_get(user=self.request.user, pk=pk)

    @extend_schema(
        parameters=[
            id_parameter("service", "The service's id."),
            OpenApiParameter("on", OpenApiTypes.DATE, description="In force on this date"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        return Response(s.SubscriptionOutput(self._subscription(pk)).data)

    @extend_schema(request=s.SubscriptionInput, responses={201: s.SubscriptionOutput})
    def create(self, request):
        data = s.SubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            activity = activity_get(user=request.user, pk=fields["activity"])
        except ActivityNotFound:
            raise SubscriptionInvalid(
                _("No such activity among those you may charge."),
                {"fields": {"activity": [_("Unknown activity.")]}},
            ) from None
        try:
            service = selectors.service_get(pk=fields["service"])
        except ServiceNotFound:
            raise SubscriptionInvalid(
                _("No such service."), {"fields": {"service": [_("Unknown service.")]}}
            ) from None
        subscription = services.subscription_create(
            activity=activity,
            service=service,
            starts_on=fields["starts_on"],
            ends_on=fields.get("ends_on"),
            created_by=request.user,
        )
        return Response(s.SubscriptionOutput(subscription).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SubscriptionEndInput, responses=s.SubscriptionOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        subscription = self._subscription(pk)
        data = s.SubscriptionEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = services.subscription_end(
            subscription=subscription, ends_on=data.validated_data["ends_on"], actor=request.user
        )
        return Response(s.SubscriptionOutput(subscription).data)

    @extend_schema(responses=s.ChargeOutput(many=True))
    @action(detail=True, methods=["get"])
    def charges(self, request, pk=None):
        subscription = self._subscription(pk)
        page = self.paginate_queryset(selectors.charge_list(subscription=subscription))
        return self.get_paginated_response(s.ChargeOutput(page, many=True).data)

    @extend_schema(responses=s.UseOutput(many=True))
    @action(detail=True, methods=["get"])
    def uses(self, request, pk=None):
        subscription = self._subscription(pk)
        page = self.paginate_queryset(selectors.use_list(subscription=subscription))
        return self.get_paginated_response(s.UseOutput(page, many=True).data)

    @extend_schema(request=s.UseInput, responses={201: s.UseOutput})
    @uses.mapping.post
    def record_use(self, request, pk=None):
        subscription = self._subscription(pk)
        data = s.UseInput(data=request.data)
        data.is_valid(raise_exception=True)
        use = services.service_use_record(
            subscription=subscription, recorded_by=request.user, **data.validated_data
        )
        return Response(s.UseOutput(use).data, status=status.HTTP_201_CREATED)
