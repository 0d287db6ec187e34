"""``members/`` and ``activities/`` (with ``{id}/ledger/``). Staff (admin, advisor,
accountant) see every member; a member sees only their own record, activities and ledger.
Another member's objects answer 404."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.accounts.acting import role_of
from common.accounts.models import Role
from common.accounts.services import user_create
from common.api.export import ExportMixin
from common.api.params import choice_param, date_param, id_param, text_param
from common.api.permissions import HasRole
from common.api.schema import id_parameter, text_parameter
from common.errors import PermissionRefused
from common.money import Money
from common.tenancy import current_partner
from tenants.members import selectors, services
from tenants.members.api import serializers as s
from tenants.members.exceptions import (
    ActivityNotFound,
    LedgerEntryNotFound,
    MemberInvalid,
    MemberNotFound,
    MemberTransitionRefused,
)
from tenants.members.models import ActivityStatus, LedgerEntry, LedgerKind, MemberStatus

STAFF = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT)
ALL = (*STAFF, Role.MEMBER)
ADVISING = (Role.ADMIN, Role.ADVISOR)
ACCOUNTING = (Role.ADMIN, Role.ACCOUNTANT)


def _get_or_404(queryset, pk, error):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise error from None


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("status", enum=MemberStatus.values)])
)
class MemberViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = {
        "list": ALL,
        "retrieve": ALL,
        "history": ALL,
        "shares": ALL,
        "consents": ALL,
        "consent_withdraw": ALL,
        "create": ADVISING,
        "partial_update": ADVISING,
        "admit": ADVISING,
        "deactivate": ADVISING,
        "reactivate": ADVISING,
        "login": ADVISING,
        "share_paid": ACCOUNTING,
    }
    serializer_class = s.MemberOutput
    export_filename = "members"
    ordering_fields = ["last_name", "first_name", "status", "created_at", "id"]
    search_fields = ["first_name", "last_name", "email"]

    def get_queryset(self):
        qs = selectors.member_list(user=self.request.user).select_related("user")
        status_filter = choice_param(self.request, "status", MemberStatus.values)
        if status_filter:
            qs = qs.filter(status=status_filter)
        return qs

    def _member(self, pk):
        return selectors.member_get(user=self.request.user, pk=pk)

    def retrieve(self, request, pk=None):
        return Response(s.MemberOutput(self._member(pk)).data)

    @extend_schema(request=s.MemberInput, responses={201: s.MemberOutput})
    def create(self, request):
        data = s.MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_create(actor=request.user, **data.validated_data)
        return Response(s.MemberOutput(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MemberInput, responses=s.MemberOutput)
    def partial_update(self, request, pk=None):
        member = self._member(pk)
        data = s.MemberInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        member = services.member_update(member=member, actor=request.user, data=data.validated_data)
        return Response(s.MemberOutput(member).data)

    def _transition(self, request, pk, to_status):
        member = self._member(pk)
        data = s.StatusChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_status_change(
            member=member, to_status=to_status, actor=request.user, **data.validated_data
        )
        return Response(s.MemberOutput(member).data)

    @extend_schema(request=s.StatusChangeInput, responses=s.MemberOutput)
    @action(detail=True, methods=["post"])
    def admit(self, request, pk=None):
        """Applicant → active."""
        member = self._member(pk)
        if member.status != MemberStatus.APPLICANT:
            raise MemberTransitionRefused(_("Only an applicant can be admitted."))
        return self._transition(request, pk, MemberStatus.ACTIVE)

    @extend_schema(request=s.StatusChangeInput, responses=s.MemberOutput)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Applicant or active → inactive (turned down, or leaving)."""
        return self._transition(request, pk, MemberStatus.INACTIVE)

    @extend_schema(request=s.StatusChangeInput, responses=s.MemberOutput)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """Inactive → active."""
        member = self._member(pk)
        if member.status != MemberStatus.INACTIVE:
            raise MemberTransitionRefused(_("Only an inactive member can be reactivated."))
        return self._transition(request, pk, MemberStatus.ACTIVE)

    @extend_schema(responses=s.StatusChangeOutput(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        member = self._member(pk)
        rows = member.status_changes.select_related("changed_by").order_by("effective_on", "id")
        return Response(s.StatusChangeOutput(rows, many=True).data)

    @extend_schema(request=s.LoginInput, responses={201: s.MemberOutput})
    @action(detail=True, methods=["post"])
    def login(self, request, pk=None):
        """Create the member's own login (role ``member``)."""
        member = self._member(pk)
        if member.user_id is not None:
            raise MemberInvalid(_("This member already has a login."))
        data = s.LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            user = user_create(
                username=data.validated_data["username"],
                password=data.validated_data["password"],
                role=Role.MEMBER,
                email=member.email,
                first_name=member.first_name,
                last_name=member.last_name,
            )
            member = services.member_user_link(member=member, user=user, actor=request.user)
        return Response(s.MemberOutput(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.ShareOutput(many=True))
    @extend_schema(methods=["POST"], request=s.ShareInput, responses={201: s.ShareOutput})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def shares(self, request, pk=None):
        """GET: the member's share subscriptions. POST (admin, advisor): subscribe."""
        member = self._member(pk)
        if request.method == "POST":
            if role_of(request.user) not in ADVISING:
                raise PermissionRefused()
            data = s.ShareInput(data=request.data)
            data.is_valid(raise_exception=True)
            share = services.member_share_subscribe(
                member=member, actor=request.user, **data.validated_data
            )
            return Response(s.ShareOutput(share).data, status=status.HTTP_201_CREATED)
        return Response(
            s.ShareOutput(member.shares.order_by("subscribed_on", "id"), many=True).data
        )

    @extend_schema(
        request=s.SharePaidInput,
        responses=s.ShareOutput,
        parameters=[OpenApiParameter("share_id", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"shares/(?P<share_id>[0-9]+)/paid")
    def share_paid(self, request, pk=None, share_id=None):
        member = self._member(pk)
        share = _get_or_404(member.shares.all(), share_id, MemberNotFound(_("No such share.")))
        data = s.SharePaidInput(data=request.data)
        data.is_valid(raise_exception=True)
        share = services.member_share_mark_paid(
            share=share, actor=request.user, **data.validated_data
        )
        return Response(s.ShareOutput(share).data)

    @extend_schema(methods=["GET"], responses=s.ConsentOutput(many=True))
    @extend_schema(methods=["POST"], request=s.ConsentInput, responses={201: s.ConsentOutput})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def consents(self, request, pk=None):
        """GET: the member's consents. POST: record a consent (staff, or the member)."""
        member = self._member(pk)
        if request.method == "POST":
            data = s.ConsentInput(data=request.data)
            data.is_valid(raise_exception=True)
            consent = services.member_consent_give(
                member=member, actor=request.user, **data.validated_data
            )
            return Response(s.ConsentOutput(consent).data, status=status.HTTP_201_CREATED)
        return Response(s.ConsentOutput(member.consents.order_by("given_at", "id"), many=True).data)

    @extend_schema(
        request=None,
        responses=s.ConsentOutput,
        parameters=[OpenApiParameter("consent_id", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"consents/(?P<consent_id>[0-9]+)/withdraw")
    def consent_withdraw(self, request, pk=None, consent_id=None):
        member = self._member(pk)
        consent = _get_or_404(
            member.consents.all(), consent_id, MemberNotFound(_("No such consent."))
        )
        consent = services.member_consent_withdraw(consent=consent, actor=request.user)
        return Response(s.ConsentOutput(consent).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            id_parameter("member", "The member's id."),
            OpenApiParameter("status", enum=ActivityStatus.values),
            text_parameter("sector", "NACE code, e.g. 90.01."),
        ]
    )
)
class ActivityViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = {
        "list": ALL,
        "retrieve": ALL,
        "create": ADVISING,
        "partial_update": ADVISING,
    }
    serializer_class = s.ActivityOutput
    export_filename = "activities"
    ordering_fields = ["name", "sector", "status", "created_at", "balance_amount", "id"]
    search_fields = ["name", "member__first_name", "member__last_name"]

    def get_queryset(self):
        qs = selectors.activity_list_with_balance(user=self.request.user)
        member = id_param(self.request, "member")
        if member is not None:
            qs = qs.filter(member_id=member)
        status_filter = choice_param(self.request, "status", ActivityStatus.values)
        if status_filter:
            qs = qs.filter(status=status_filter)
        sector = text_param(self.request, "sector")
        if sector:
            qs = qs.filter(sector=sector)
        return qs

    def _activity(self, pk):
        return _get_or_404(self.get_queryset(), pk, ActivityNotFound())

    def retrieve(self, request, pk=None):
        return Response(s.ActivityOutput(self._activity(pk)).data)

    @extend_schema(request=s.ActivityInput, responses={201: s.ActivityOutput})
    def create(self, request):
        data = s.ActivityInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        member = selectors.member_get(user=request.user, pk=fields.pop("member"))
        activity = services.activity_create(member=member, actor=request.user, **fields)
        return Response(
            s.ActivityOutput(self._activity(activity.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.ActivityUpdateInput, responses=s.ActivityOutput)
    def partial_update(self, request, pk=None):
        activity = self._activity(pk)
        data = s.ActivityUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.activity_update(activity=activity, actor=request.user, data=data.validated_data)
        return Response(s.ActivityOutput(self._activity(pk)).data)


@extend_schema(parameters=[OpenApiParameter("activity_pk", int, OpenApiParameter.PATH)])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", enum=LedgerKind.values),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Booked on or after."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Booked on or before."),
        ]
    )
)
class LedgerViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """``activities/{activity_pk}/ledger/``: the activity's entries, each with the rule that
    computed it. Accounting (admin, accountant) may post a manual entry or a correction."""

    permission_classes = [HasRole]
    roles = {"list": ALL, "create": ACCOUNTING, "correct": ACCOUNTING}
    serializer_class = s.LedgerEntryOutput
    export_filename = "ledger"
    ordering_fields = ["booked_on", "id", "amount", "kind"]
    ordering = ["booked_on", "id"]
    search_fields = ["description"]

    def _activity(self):
        return selectors.activity_get(user=self.request.user, pk=self.kwargs["activity_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return LedgerEntry.objects.none()
        qs = selectors.ledger_entries(activity=self._activity()).select_related(
            "source_type", "created_by"
        )
        kind = choice_param(self.request, "kind", LedgerKind.values)
        if kind:
            qs = qs.filter(kind=kind)
        for param, lookup in (("from", "booked_on__gte"), ("to", "booked_on__lte")):
            day = date_param(self.request, param)
            if day is not None:
                qs = qs.filter(**{lookup: day})
        return qs

    @extend_schema(request=s.LedgerPostInput, responses={201: s.LedgerEntryOutput})
    def create(self, request, activity_pk=None):
        activity = self._activity()
        data = s.LedgerPostInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entry = services.ledger_post(
            activity=activity,
            kind=values["kind"],
            amount=Money(values["amount"], current_partner().currency),
            booked_on=values["booked_on"],
            description=values["description"],
            rule={"rule": "manual", "entered_by": request.user.username},
            created_by=request.user,
        )
        return Response(s.LedgerEntryOutput(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LedgerCorrectInput, responses={201: s.LedgerEntryOutput})
    @action(detail=True, methods=["post"])
    def correct(self, request, activity_pk=None, pk=None):
        activity = self._activity()
        entry = _get_or_404(
            LedgerEntry.objects.filter(activity=activity), pk, LedgerEntryNotFound()
        )
        data = s.LedgerCorrectInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        correction = services.ledger_correct(
            entry=entry,
            amount=Money(values["amount"], current_partner().currency),
            reason=values["reason"],
            created_by=request.user,
            booked_on=values.get("booked_on"),
        )
        return Response(s.LedgerEntryOutput(correction).data, status=status.HTTP_201_CREATED)
