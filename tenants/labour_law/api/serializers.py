"""Input and output shapes of the labour-law API.

Amounts are decimal strings in the partner's currency (DRF ``DecimalField``, which also
accepts JSON numbers and reads them through their decimal text, as invoicing does);
negative, oversized or over-precise amounts are refused. Outputs keep the engine's decimal
strings and add ``display``: the same figures formatted for the user's language and the
partner's country (Babel), and translated labels.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer

from common.api import serializers
from common.dates import iso_date
from common.formatting import format_money, format_number
from common.money import ROUNDING, Money, round_amount
from tenants.labour_law.checks import MAX_PLAN_MONTHS
from tenants.labour_law.exceptions import LabourLawInputInvalid, PartnerParameterInvalid
from tenants.labour_law.labels import translate_label, translate_reason

AMOUNT = {"max_digits": 15, "decimal_places": 3, "min_value": 0}
HOURS = {"max_digits": 7, "decimal_places": 2, "min_value": 0}
# The years rule packs are written for, 1990 to 2100, as a pattern for the schema.
_YEARS = "(199[0-9]|20[0-9]{2}|2100)"

# Each serializer below checks its fields' shapes (a 400 ``invalid``, which the schema
# describes); rules between fields raise ``LabourLawInputInvalid`` (a 400 with its own
# code), which a schema cannot express.


@extend_schema_field(
    {"type": "string", "format": "date", "pattern": f"^{_YEARS}-[0-9]{{2}}-[0-9]{{2}}$"}
)
class DateField(serializers.DateField):
    """An ISO date between 1990 and 2100 (the range rule packs are written for)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not (dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31)):
            raise serializers.ValidationError(_("A date between 1990-01-01 and 2100-12-31."))
        return day


@extend_schema_field(
    {"type": "string", "pattern": f"^{_YEARS}-(0[1-9]|1[0-2])$", "example": "2025-01"}
)
class MonthField(serializers.CharField):
    """``YYYY-MM`` → the first day of that month (read by ``common.dates.iso_date``, so
    that a month the calendar lacks, such as 0000-01, is a field error)."""

    def to_internal_value(self, value):
        text = super().to_internal_value(value)
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", text):
                raise ValueError(text)
            day = iso_date(f"{text}-01")
        except ValueError:
            raise serializers.ValidationError(_("A month as YYYY-MM, e.g. 2025-01.")) from None
        if not (dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 1)):
            raise serializers.ValidationError(_("A month between 1990-01 and 2100-12."))
        return day


class SalarySimulationInput(serializers.Serializer):
    amount = serializers.DecimalField(**AMOUNT, required=False)
    target_net = serializers.DecimalField(**AMOUNT, required=False)
    turnover = serializers.DecimalField(**AMOUNT, required=False)
    period_start = DateField()
    period_end = DateField()
    activity = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    contract_type = serializers.CharField(required=False, max_length=40)

    def validate(self, attrs):
        given = [k for k in ("amount", "target_net", "turnover") if attrs.get(k) is not None]
        if len(given) > 1:
            raise LabourLawInputInvalid(
                extra={
                    "fields": {
                        k: [_("Give only one of amount, target_net and turnover.")] for k in given
                    }
                }
            )
        if not given and attrs.get("activity") is None:
            raise LabourLawInputInvalid(
                extra={
                    "fields": {
                        "amount": [_("Give amount, target_net or turnover, or an activity.")]
                    }
                }
            )
        if attrs["period_end"] < attrs["period_start"]:
            raise LabourLawInputInvalid(
                extra={"fields": {"period_end": [_("Must not be before period_start.")]}}
            )
        return attrs


class IncomePlanInput(serializers.Serializer):
    start_month = MonthField()
    incomes = serializers.ListField(
        child=serializers.DecimalField(**AMOUNT), min_length=1, max_length=MAX_PLAN_MONTHS
    )
    opening_balance = serializers.DecimalField(**AMOUNT, required=False)
    hours = serializers.ListField(
        child=serializers.DecimalField(**HOURS, allow_null=True),
        required=False,
        max_length=MAX_PLAN_MONTHS,
    )
    activity = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    min_consecutive_months = serializers.IntegerField(required=False, min_value=1, max_value=24)
    leftover = serializers.ChoiceField(choices=["spread", "last_month", "keep"], required=False)

    def validate(self, attrs):
        hours = attrs.get("hours")
        if hours is not None and len(hours) != len(attrs["incomes"]):
            raise LabourLawInputInvalid(
                extra={"fields": {"hours": [_("One value per month of incomes (null for none).")]}}
            )
        return attrs


class ProposalInput(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    start = DateField(required=False)
    end = DateField(required=False)
    hours_wanted = serializers.DecimalField(**HOURS, required=False)
    amount = serializers.DecimalField(**AMOUNT, required=False)

    def validate(self, attrs):
        if attrs.get("end") and attrs.get("start") and attrs["end"] < attrs["start"]:
            raise LabourLawInputInvalid(extra={"fields": {"end": [_("Must not be before start.")]}})
        if attrs.get("hours_wanted") is not None and attrs["hours_wanted"] <= 0:
            raise LabourLawInputInvalid(
                extra={"fields": {"hours_wanted": [_("Must be positive.")]}}
            )
        return attrs


class ContractInput(ProposalInput):
    contract_type = serializers.CharField(max_length=40)
    pack_version = serializers.CharField(max_length=80, required=False)


class PartnerParameterInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    value = serializers.DecimalField(max_digits=18, decimal_places=6, min_value=0)
    unit = serializers.CharField(max_length=20, required=False)
    effective_from = DateField()
    effective_until = DateField(required=False, allow_null=True)
    source = serializers.CharField(max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs):
        start, end = attrs.get("effective_from"), attrs.get("effective_until")
        if start and end and end < start:
            raise PartnerParameterInvalid(
                extra={"fields": {"effective_until": [_("Must not be before effective_from.")]}}
            )
        return attrs


class PartnerParameterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.SerializerMethodField()
    unit = serializers.CharField()
    effective_from = serializers.DateField()
    effective_until = serializers.DateField(allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField(allow_blank=True)

    def get_value(self, row) -> str:
        return format(row.value.normalize(), "f")


# --------------------------------------------------------------------------- display


def display_locale() -> str:
    """The Babel locale for figures: the active language in the partner's country
    (``de`` in DE → ``de_DE``, ``nl`` in BE → ``nl_BE``), else the partner's default."""
    partner = getattr(connection, "tenant", None)
    language = (translation.get_language() or "en").split("-")[0]
    country = getattr(partner, "country", "") or ""
    for candidate in (f"{language}_{country}", getattr(partner, "default_locale", ""), "en"):
        if not candidate:
            continue
        try:
            Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
        return candidate
    return "en"


def money_display(value: Any, currency: str) -> str | None:
    """A decimal string rounded to ``currency``'s digits (engine values such as an hourly
    minimum wage or a contribution base keep full precision; the API shows them rounded)."""
    if value is None:
        return None
    return str(round_amount(Decimal(value), currency))


def hours_display(value: Any) -> str | None:
    """Hours as a decimal string with two decimals."""
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUNDING))


def _fmt(value: str | None, currency: str, locale: str) -> str | None:
    if value is None:
        return None
    return format_money(Money(value, currency), locale)


MONEY_KEYS = (
    "amount",
    "gross",
    "net",
    "employer_cost",
    "employer_contributions",
    "employee_contributions",
    "withholding",
    "unallocated",
    "turnover",
    "fee",
)


def simulation_view(result: dict[str, Any], locale: str) -> dict[str, Any]:
    """An engine result dict with translated line labels and a ``display`` block."""
    cur = result["currency"]
    out = dict(result)
    out["lines"] = [
        {
            **line,
            "base": money_display(line["base"], cur),
            "label": translate_label(line["label"]),
            "display": {
                "amount": _fmt(line["amount"], cur, locale),
                "rate": format_number(Decimal(line["rate"]) * 100, locale) + " %",
            },
        }
        for line in result.get("lines", [])
    ]
    out["display"] = {
        key: _fmt(result.get(key), cur, locale) for key in MONEY_KEYS if key in result
    }
    out["display"]["locale"] = locale
    return out


def record_header(record) -> dict[str, Any]:
    return {
        "id": record.pk,
        "activity": record.activity_id,
        "pack_code": record.pack_code,
        "pack_version": record.pack_version,
        "created_at": record.created_at.isoformat(),
        "created_by": record.created_by.username if record.created_by_id else None,
    }


def salary_simulation_out(sim, locale: str) -> dict[str, Any]:
    """Response of ``salary-simulations/``: the recorded result (``gross``, ``net``,
    ``employer_cost``, ``employer_contributions``, ``employee_contributions``,
    ``withholding``, ``lines``, ``pack_version``, ``as_of``, ``turnover``, ``fee``...),
    the inputs, the parameters used and the record's header."""
    return {
        **simulation_view(sim.result, locale),
        **record_header(sim),
        "mode": sim.mode,
        "inputs": sim.inputs,
        "parameters": sim.parameters["parameters"],
    }


def _explain(month: dict[str, Any], cur: str, run: int, locale: str) -> str:
    values = {
        "payout": _fmt(month["payout"], cur, locale),
        "gross": _fmt(month["gross"], cur, locale),
        "threshold": _fmt(month["threshold"], cur, locale),
        "run": run,
    }
    if month["counted"]:
        text = gettext(
            "Pays {payout} (gross {gross}, at or above the threshold of {threshold}): this "
            "month counts for protection, inside a run of at least {run} months."
        )
    elif month["at_threshold"]:
        text = gettext(
            "Pays {payout} (gross {gross}, at or above the threshold of {threshold}), but "
            "the run of such months is shorter than {run} months: it does not count."
        )
    elif Decimal(month["payout"]) > 0:
        text = gettext(
            "Pays {payout} (gross {gross}), below the threshold of {threshold}: the money "
            "cannot complete a run of {run} months, or is kept for months that can."
        )
    else:
        text = gettext(
            "Pays nothing: the money is kept for the months that can reach the threshold "
            "of {threshold}."
        )
    return text.format(**values)


def income_plan_out(plan, locale: str) -> dict[str, Any]:
    """Response of ``income-plans/``: ``payouts`` (decimal string per month),
    ``protected_months`` (YYYY-MM), ``threshold``, ``min_consecutive_months``, per-month
    ``detail`` with its ``explanation``, the rule and its sourced parameters; or
    ``applicable`` false with the pack's statement that no monthly rule applies."""
    result = dict(plan.result)
    cur = result["currency"]
    rule = dict(result["protection_rule"])
    rule["description"] = translate_label(rule["description"])
    result["protection_rule"] = rule
    if not result["applicable"]:
        result["message"] = gettext(
            "The {pack} pack has no monthly protection rule: {rule}"
        ).format(pack=plan.pack_code, rule=rule["description"])
    else:
        run = result["min_consecutive_months"]
        result["detail"] = [
            {
                **month,
                "explanation": _explain(month, cur, run, locale),
                "display": {
                    k: _fmt(month[k], cur, locale)
                    for k in ("income", "payout", "gross", "threshold", "balance_after")
                },
            }
            for month in result["detail"]
        ]
        result["display"] = {
            "threshold": _fmt(result["threshold"], cur, locale),
            "payouts": [_fmt(p, cur, locale) for p in result["payouts"]],
            "locale": locale,
        }
    return {
        **result,
        **record_header(plan),
        "inputs": plan.inputs,
        "parameters": plan.parameters["parameters"],
    }


def contract_type_out(ct) -> dict[str, Any]:
    return {
        "code": ct.code,
        "label": translate_label(ct.label),
        "unit": ct.unit,
        "salaried": ct.salaried,
        "max_duration_days": ct.max_duration_days,
        "max_duration_months": ct.max_duration_months,
        "min_hours_per_day": None if ct.min_hours_per_day is None else str(ct.min_hours_per_day),
        "source": ct.source,
        "note": translate_label(ct.note) or "",
    }


def proposal_out(proposal, locale: str, currency: str) -> dict[str, Any]:
    data = proposal.to_dict()
    data["label"] = translate_label(data["label"])
    data["note"] = translate_label(data["note"]) or ""
    data["reasons"] = [translate_reason(r) for r in proposal.reasons]
    data["hourly_minimum_wage"] = money_display(data["hourly_minimum_wage"], currency)
    data["hours_payable"] = hours_display(data["hours_payable"])
    if data["simulation"] is not None:
        data["simulation"] = simulation_view(data["simulation"], locale)
    return data


def contract_out(contract, locale: str) -> dict[str, Any]:
    cur = contract.currency
    sim = simulation_view(contract.simulation, locale)
    return {
        "id": contract.pk,
        "activity": contract.activity_id,
        "contract_type": contract.contract_type,
        "status": contract.status,
        "start": contract.start.isoformat(),
        "end": contract.end.isoformat(),
        "hours": None if contract.hours is None else str(contract.hours),
        "currency": cur,
        **{
            k: sim[k]
            for k in (
                "amount",
                "gross",
                "net",
                "employer_contributions",
                "employee_contributions",
                "withholding",
                "employer_cost",
                "lines",
                "display",
                "as_of",
            )
        },
        "employer_budget": sim["amount"],
        "pack_code": contract.pack_code,
        "pack_version": contract.pack_version,
        "parameters": contract.parameters["parameters"],
        "ledger_entry": contract.ledger_entry_id,
        "created_at": contract.created_at.isoformat(),
        "created_by": contract.created_by.username if contract.created_by_id else None,
    }


# --------------------------------------------------------------------------- output shapes
#
# What the functions above return, for the OpenAPI schema (the views build plain dicts;
# tests/api/test_openapi_conformance.py checks every answer against these). Only the keys
# every answer has are listed as required; engine results carry more keys, which the
# schema allows.

_DECIMAL = {"help_text": "Decimal string in the currency."}


class EngineParameterOutput(serializers.Serializer):
    """A dated parameter of the rule pack, with its source."""

    name = serializers.CharField()
    value = serializers.CharField(help_text="Decimal string.")
    unit = serializers.CharField()
    effective_from = serializers.DateField()
    effective_until = serializers.DateField(allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class DisplayOutput(serializers.DictField):
    """Figures formatted for the caller's language (``locale`` names the Babel locale)."""

    child = serializers.JSONField(allow_null=True)


class SimulationLineOutput(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    parameter = serializers.CharField(allow_null=True)
    rate = serializers.CharField(help_text="Fraction as a decimal string.")
    base = serializers.CharField(allow_null=True, **_DECIMAL)
    amount = serializers.CharField(**_DECIMAL)
    ceiling_parameter = serializers.CharField(allow_null=True)
    display = DisplayOutput()


class SimulationResultOutput(serializers.Serializer):
    """An engine breakdown: employer budget (``amount``) to net, line by line."""

    currency = serializers.CharField()
    amount = serializers.CharField(**_DECIMAL)
    gross = serializers.CharField(**_DECIMAL)
    net = serializers.CharField(**_DECIMAL)
    employer_cost = serializers.CharField(**_DECIMAL)
    employer_contributions = serializers.CharField(**_DECIMAL)
    employee_contributions = serializers.CharField(**_DECIMAL)
    withholding = serializers.CharField(**_DECIMAL)
    lines = SimulationLineOutput(many=True)
    pack_version = serializers.CharField()
    as_of = serializers.DateField()
    display = DisplayOutput()
    turnover = serializers.CharField(allow_null=True, required=False, **_DECIMAL)
    fee = serializers.CharField(allow_null=True, required=False, **_DECIMAL)


class RecordHeaderOutput(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.IntegerField(allow_null=True)
    pack_code = serializers.CharField()
    pack_version = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True)


class SalarySimulationOutput(SimulationResultOutput, RecordHeaderOutput):
    """A recorded salary simulation: the breakdown, its inputs and the parameters used."""

    mode = serializers.CharField()
    inputs = serializers.DictField(child=serializers.JSONField(allow_null=True))
    parameters = EngineParameterOutput(many=True)


class IncomePlanOutput(RecordHeaderOutput):
    """A recorded protection plan. With ``applicable`` false (no monthly rule in the
    pack), ``message`` says why and there are no monthly figures."""

    applicable = serializers.BooleanField()
    currency = serializers.CharField()
    protection_rule = serializers.DictField(child=serializers.JSONField(allow_null=True))
    message = serializers.CharField(allow_null=True, required=False)
    months = serializers.ListField(child=serializers.CharField(), required=False)
    payouts = serializers.ListField(child=serializers.CharField(), required=False)
    protected_months = serializers.ListField(child=serializers.CharField(), required=False)
    threshold = serializers.CharField(allow_null=True, required=False, **_DECIMAL)
    min_consecutive_months = serializers.IntegerField(allow_null=True, required=False)
    detail = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField(allow_null=True)),
        required=False,
    )
    inputs = serializers.DictField(child=serializers.JSONField(allow_null=True))
    parameters = EngineParameterOutput(many=True)


class ReproductionOutput(serializers.Serializer):
    """A record computed again from its saved parameters (``reproduced``), beside what
    was recorded and what today's pack gives (``current``, null when it cannot)."""

    matches = serializers.BooleanField()
    pack_changed = serializers.BooleanField()
    recorded_pack_version = serializers.CharField()
    current_pack_version = serializers.CharField(allow_null=True)
    changes = serializers.ListField(child=serializers.DictField(child=serializers.JSONField()))
    recorded = serializers.DictField(child=serializers.JSONField(allow_null=True))
    reproduced = serializers.DictField(child=serializers.JSONField(allow_null=True))
    current = serializers.DictField(child=serializers.JSONField(allow_null=True), allow_null=True)
    current_error = serializers.DictField(
        child=serializers.JSONField(allow_null=True), allow_null=True
    )
    explanation = serializers.CharField()


class ContractTypeOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    salaried = serializers.BooleanField()
    max_duration_days = serializers.IntegerField(allow_null=True)
    max_duration_months = serializers.IntegerField(allow_null=True)
    min_hours_per_day = serializers.CharField(allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class ContractTypesOutput(serializers.Serializer):
    pack = serializers.CharField()
    results = ContractTypeOutput(many=True)


class ProposalOutput(serializers.Serializer):
    contract_type = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    feasible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    salaried = serializers.BooleanField()
    simulation = SimulationResultOutput(allow_null=True)
    hourly_minimum_wage = serializers.CharField(allow_null=True, **_DECIMAL)
    hours_payable = serializers.CharField(allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class ProposalsOutput(serializers.Serializer):
    activity = serializers.IntegerField()
    currency = serializers.CharField()
    balance = serializers.CharField(**_DECIMAL)
    amount = serializers.CharField(help_text="The budget the proposals spend (decimal string).")
    pack = serializers.CharField()
    pack_version = serializers.CharField()
    start = serializers.DateField()
    proposals = ProposalOutput(many=True)


class ContractOutput(RecordHeaderOutput):
    """An accepted contract, debited from the activity's ledger (``ledger_entry``)."""

    contract_type = serializers.CharField()
    status = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    hours = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    amount = serializers.CharField(**_DECIMAL)
    gross = serializers.CharField(**_DECIMAL)
    net = serializers.CharField(**_DECIMAL)
    employer_contributions = serializers.CharField(**_DECIMAL)
    employee_contributions = serializers.CharField(**_DECIMAL)
    withholding = serializers.CharField(**_DECIMAL)
    employer_cost = serializers.CharField(**_DECIMAL)
    employer_budget = serializers.CharField(**_DECIMAL)
    lines = SimulationLineOutput(many=True)
    display = DisplayOutput()
    as_of = serializers.DateField()
    parameters = EngineParameterOutput(many=True)
    ledger_entry = serializers.IntegerField(allow_null=True)


class ParametersOutput(serializers.Serializer):
    """The pack's parameters in force on ``on``. ``complete`` false: ``missing`` names the
    parameters without a value then (and computations on that date fail)."""

    pack = serializers.CharField()
    pack_version = serializers.CharField(allow_null=True)
    on = serializers.DateField()
    complete = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    protection_rule = serializers.DictField(child=serializers.JSONField(allow_null=True))
    currency = serializers.CharField()
    country = serializers.CharField(required=False)
    parameters = EngineParameterOutput(many=True)
    hourly_minimum_wage = serializers.CharField(allow_null=True, **_DECIMAL)


@extend_schema_serializer(many=False)
class PartnerParameterListOutput(serializers.Serializer):
    pack = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())
    results = PartnerParameterOutput(many=True)
