"""The labour-law API of a partner's host.

- ``labour-law/parameters/?on=DATE``: the parameters in force, with sources, pack and version.
- ``labour-law/partner-parameters/``: the generic pack's values (admin writes, staff reads).
- ``salary-simulations/`` (+ ``{id}/reproduce/``), ``income-plans/`` (+ ``{id}/reproduce/``):
  recorded computations; a member sees only their own.
- ``contracts/types/``, ``contracts/proposals/``, ``contracts/``: what may be signed, and
  the accepted contracts (debited from the activity's ledger).

Every view is thin: validate, call one service or selector, shape the answer.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from common.accounts.models import Role
from common.api.params import date_param
from common.api.permissions import HasRole
from common.errors import EssaimError, ValidationFailed
from common.tenancy import current_partner
from tenants.labour_law import selectors, services
from tenants.labour_law.api import serializers as s
from tenants.labour_law.checks import check_date
from tenants.labour_law.engine import hourly_minimum_wage, missing_parameters_on, parameters_on
from tenants.labour_law.labels import translate_label
from tenants.labour_law.models import PartnerParameter
from tenants.labour_law.planner import protection_rule
from tenants.members.selectors import activity_get

STAFF = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT)
ALL = (*STAFF, Role.MEMBER)


def _activity(request, pk):
    """The activity ``pk`` if the user may use it (a member: only their own), else 404."""
    if pk is None:
        return None
    return activity_get(user=request.user, pk=pk)


class ParametersApi(APIView):
    """The rule pack's parameters in force on ``?on=YYYY-MM-DD`` (required), each with
    value, unit, ``effective_from``/``effective_until``, source and note; with the pack's
    code and version, its protection rule, and, for the generic pack, what is missing."""

    permission_classes = [HasRole]
    roles = ALL

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "on",
                # The years the rule packs cover (checks.EARLIEST to checks.LATEST).
                {
                    "type": "string",
                    "format": "date",
                    "pattern": "^(199[0-9]|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$",
                },
                required=True,
                description="The date (YYYY-MM-DD), 1990-01-01 to 2100-12-31.",
            )
        ],
        responses=s.ParametersOutput,
    )
    def get(self, request):
        on = date_param(request, "on")
        if on is None:
            raise ValidationFailed(extra={"fields": {"on": [gettext("This field is required.")]}})
        check_date(on, "on")
        code = selectors.partner_pack_code()
        module = selectors.partner_pack_module()
        missing = selectors.pack_missing_parameters()
        data: dict = {
            "pack": code,
            "pack_version": None,
            "on": on.isoformat(),
            "complete": not missing,
            "missing": missing,
            "protection_rule": {
                "kind": module.PROTECTION.kind,
                "description": translate_label(module.PROTECTION.description),
            },
        }
        if missing:
            data["currency"] = current_partner().currency
            data["parameters"] = selectors.partner_parameters_on(on=on)
            data["hourly_minimum_wage"] = None
            return Response(data)
        pack = selectors.partner_pack()
        # A parameter the pack's code needs but with no value on that date makes every
        # computation fail (rule_not_found): the pack is not complete then.
        missing = missing_parameters_on(pack, on)
        data.update(
            pack_version=pack.version,
            currency=pack.currency,
            country=pack.country,
            complete=not missing,
            missing=missing,
            parameters=[p.to_dict() for p in parameters_on(pack, on)],
        )
        try:
            wage = hourly_minimum_wage(pack, on)
            data["hourly_minimum_wage"] = s.money_display(wage, pack.currency)
            data["protection_rule"]["values"] = protection_rule(pack, on).to_dict()["values"]
        except EssaimError:
            # Before the pack's first dates some values are absent; the list says which.
            data["hourly_minimum_wage"] = None
        return Response(data)


@extend_schema_view(
    list=extend_schema(responses=s.PartnerParameterListOutput),
    retrieve=extend_schema(responses=s.PartnerParameterOutput),
)
class PartnerParameterViewSet(viewsets.GenericViewSet):
    """The generic pack's dated values for this partner (Academy tenants outside the
    federation's countries). Staff read; the admin writes."""

    # For the schema's path parameter type only; rows are read through the selectors.
    queryset = PartnerParameter.objects.none()
    # The list answers every row at once, with the pack's state beside them.
    pagination_class = None
    filter_backends: list = []
    permission_classes = [HasRole]
    roles = {"list": STAFF, "retrieve": STAFF, "*": (Role.ADMIN,)}
    serializer_class = s.PartnerParameterInput

    def list(self, request):
        rows = selectors.partner_parameter_list()
        return Response(
            {
                "pack": selectors.partner_pack_code(),
                "missing": selectors.pack_missing_parameters(),
                "results": s.PartnerParameterOutput(rows, many=True).data,
            }
        )

    def retrieve(self, request, pk=None):
        row = selectors.partner_parameter_get(pk=pk)
        return Response(s.PartnerParameterOutput(row).data)

    @extend_schema(request=s.PartnerParameterInput, responses={201: s.PartnerParameterOutput})
    def create(self, request):
        data = s.PartnerParameterInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.partner_parameter_create(actor=request.user, **data.validated_data)
        return Response(s.PartnerParameterOutput(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PartnerParameterInput, responses=s.PartnerParameterOutput)
    def partial_update(self, request, pk=None):
        row = selectors.partner_parameter_get(pk=pk)
        data = s.PartnerParameterInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        row = services.partner_parameter_update(
            row=row, actor=request.user, data=data.validated_data
        )
        return Response(s.PartnerParameterOutput(row).data)

    def destroy(self, request, pk=None):
        row = selectors.partner_parameter_get(pk=pk)
        services.partner_parameter_delete(row=row, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _RecordViewSet(viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = ALL
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def _out(self, record):
        raise NotImplementedError

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self._out(r) for r in page])

    def retrieve(self, request, pk=None):
        return Response(self._out(self._get(pk)))


@extend_schema_view(
    list=extend_schema(responses=s.SalarySimulationOutput(many=True)),
    retrieve=extend_schema(responses=s.SalarySimulationOutput),
)
class SalarySimulationViewSet(_RecordViewSet):
    """Salary simulations: POST ``{"amount"|"target_net"|"turnover", "period_start",
    "period_end", "activity"?, "contract_type"?}`` → the recorded breakdown."""

    serializer_class = s.SalarySimulationInput

    def get_queryset(self):
        return selectors.salary_simulation_list(user=self.request.user)

    def _get(self, pk):
        return selectors.salary_simulation_get(user=self.request.user, pk=pk)

    def _out(self, record):
        return s.salary_simulation_out(record, s.display_locale())

    @extend_schema(request=s.SalarySimulationInput, responses={201: s.SalarySimulationOutput})
    def create(self, request):
        data = s.SalarySimulationInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["activity"] = _activity(request, fields.pop("activity", None))
        sim = services.salary_simulation_create(actor=request.user, **fields)
        return Response(self._out(sim), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ReproductionOutput)
    @action(detail=True, methods=["get", "post"])
    def reproduce(self, request, pk=None):
        """Re-compute from the recorded parameters; say whether the pack changed since."""
        sim = self._get(pk)
        report = selectors.salary_simulation_reproduce(simulation=sim)
        return Response(_reproduction_out(report, sim.result, s.simulation_view))


def _reproduction_out(report, recorded, view):
    locale = s.display_locale()
    out = dict(report)
    out["recorded"] = view(recorded, locale) if view else recorded
    out["reproduced"] = view(report["reproduced"], locale) if view else report["reproduced"]
    if report["current"] is not None and view:
        out["current"] = view(report["current"], locale)
    if report["pack_changed"]:
        names = ", ".join(c["name"] for c in report["changes"]) or "-"
        out["explanation"] = gettext(
            "The pack's data changed since this computation (version {recorded} then, "
            "{current} now; changed: {names}). The recorded figures are reproduced from the "
            "parameters saved with it; 'current' shows what today's data would give."
        ).format(
            recorded=report["recorded_pack_version"],
            current=report["current_pack_version"],
            names=names,
        )
    elif report["current_error"]:
        out["explanation"] = gettext(
            "The recorded figures are reproduced from the parameters saved with them; the "
            "pack cannot compute today: {error}"
        ).format(error=report["current_error"]["message"])
    else:
        out["explanation"] = gettext(
            "Same pack version as when recorded; the figures are reproduced exactly."
        )
    if not report["matches"]:
        out["explanation"] += " " + gettext(
            "The reproduced figures differ from the recorded ones: the country module's "
            "code changed (see changes)."
        )
    return out


@extend_schema_view(
    list=extend_schema(responses=s.IncomePlanOutput(many=True)),
    retrieve=extend_schema(responses=s.IncomePlanOutput),
)
class IncomePlanViewSet(_RecordViewSet):
    """Protection plans: POST ``{"start_month": "2025-01", "incomes": [...],
    "opening_balance"?, "hours"?, "activity"?, "min_consecutive_months"?, "leftover"?}``."""

    serializer_class = s.IncomePlanInput

    def get_queryset(self):
        return selectors.income_plan_list(user=self.request.user)

    def _get(self, pk):
        return selectors.income_plan_get(user=self.request.user, pk=pk)

    def _out(self, record):
        return s.income_plan_out(record, s.display_locale())

    @extend_schema(request=s.IncomePlanInput, responses={201: s.IncomePlanOutput})
    def create(self, request):
        data = s.IncomePlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["activity"] = _activity(request, fields.pop("activity", None))
        plan = services.income_plan_create(actor=request.user, **fields)
        return Response(self._out(plan), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ReproductionOutput)
    @action(detail=True, methods=["get", "post"])
    def reproduce(self, request, pk=None):
        """Re-compute the plan from its recorded parameters."""
        plan = self._get(pk)
        report = selectors.income_plan_reproduce(plan=plan)
        return Response(_reproduction_out(report, plan.result, None))


@extend_schema_view(
    list=extend_schema(responses=s.ContractOutput(many=True)),
    retrieve=extend_schema(responses=s.ContractOutput),
)
class ContractViewSet(_RecordViewSet):
    """Contracts: ``types/`` (GET), ``proposals/`` (POST, from an activity's balance) and
    the contracts themselves (POST accepts a proposal: recomputed, then debited)."""

    roles = {"create": (Role.ADMIN, Role.ADVISOR, Role.MEMBER), "*": ALL}
    ordering_fields = ["start", "created_at", "id"]
    ordering = ["-start", "-id"]
    serializer_class = s.ContractInput

    def get_queryset(self):
        return selectors.contract_list(user=self.request.user)

    def _get(self, pk):
        return selectors.contract_get(user=self.request.user, pk=pk)

    def _out(self, record):
        return s.contract_out(record, s.display_locale())

    @extend_schema(responses=s.ContractTypesOutput)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def types(self, request):
        """The contract types a member may sign in this partner's country."""
        module = selectors.partner_pack_module()
        return Response(
            {
                "pack": selectors.partner_pack_code(),
                "results": [s.contract_type_out(ct) for ct in module.CONTRACT_TYPES],
            }
        )

    @extend_schema(request=s.ProposalInput, responses=s.ProposalsOutput)
    @action(detail=False, methods=["post"])
    def proposals(self, request):
        """Proposals from the activity's balance (or ``amount``, at most the balance);
        nothing is recorded or debited."""
        data = s.ProposalInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        activity = _activity(request, fields["activity"])
        start = fields.get("start") or timezone.localdate()
        pack, balance, budget, proposals = selectors.contract_proposals_for(
            activity=activity,
            start=start,
            end=fields.get("end"),
            hours_wanted=fields.get("hours_wanted"),
            amount=fields.get("amount"),
        )
        locale = s.display_locale()
        return Response(
            {
                "activity": activity.pk,
                "currency": pack.currency,
                "balance": str(balance.amount),
                "amount": str(budget.amount),
                "pack": pack.code,
                "pack_version": pack.version,
                "start": start.isoformat(),
                "proposals": [s.proposal_out(p, locale, pack.currency) for p in proposals],
            }
        )

    @extend_schema(request=s.ContractInput, responses={201: s.ContractOutput})
    def create(self, request):
        data = s.ContractInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        contract = services.contract_create(
            actor=request.user,
            activity=_activity(request, fields["activity"]),
            contract_type=fields["contract_type"],
            start=fields.get("start") or timezone.localdate(),
            end=fields.get("end"),
            hours=fields.get("hours_wanted"),
            amount=fields.get("amount"),
            pack_version=fields.get("pack_version"),
        )
        return Response(self._out(contract), status=status.HTTP_201_CREATED)
