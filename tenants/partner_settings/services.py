"""Changing a partner's settings (``admin`` role through the API; every change audited).

The settings the federation's charter bounds (the fee rate, the federation contribution
rate, the share remuneration rate, headquarters' board seats) are checked by
``shared.charter.enforcement.check_setting`` against the charter of the partner's tier in
force on the day the value takes effect, and refused (``CharterBoundViolated``, naming the
bound and the version), never clamped. Every write of them pushes the partner's schedule
to the federation (``charter.settings_state_push``) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.fr import siren as fr_siren

from common.money import to_decimal
from common.tenancy import current_partner
from shared.charter.enforcement import check_setting
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.partner_settings.charter import settings_state_push
from tenants.partner_settings.exceptions import SettingsInvalid
from tenants.partner_settings.models import (
    ContributionRate,
    FeeRate,
    PartnerSettings,
    default_chart_of_accounts,
)
from tenants.partner_settings.selectors import partner_settings_get

EDITABLE_FIELDS = (
    "guarantee_fund_share",
    "fund_overdue_days",
    "invoice_number_format",
    "estimate_requires_validation",
    "payment_terms_days",
    "share_nominal_value",
    "company_id",
    "chart_of_accounts",
    "share_remuneration_rate",
    "hq_board_seats",
)
# Dated settings: each is set with its own ``<name>_effective_from`` (default today).
DATED_FIELDS = ("fee_rate", "contribution_rate")


def _invalid(field: str, message: str) -> SettingsInvalid:
    return SettingsInvalid(message, {"fields": {field: [message]}})


def _fraction(value: Any, field: str, *, upper_inclusive: bool) -> Decimal:
    try:
        number = to_decimal(value, field)
    except Exception:
        raise _invalid(field, _('A decimal fraction is expected, e.g. "0.0700".')) from None
    if number < 0 or number > 1 or (number == 1 and not upper_inclusive):
        if upper_inclusive:
            message = _("A fraction with 0 <= value <= 1 is expected (0.07 = 7 %).")
        else:
            message = _("A fraction with 0 <= value < 1 is expected (0.07 = 7 %).")
        raise _invalid(field, message)
    if number != number.quantize(Decimal("0.0001")):
        raise _invalid(field, _("At most 4 decimal places (0.0001 = 0.01 %)."))
    return number


def validate_number_format(fmt: str) -> str:
    """Check an invoice number format: placeholders ``{country}``, ``{year}``, ``{seq}``
    (with an optional format spec such as ``{seq:06d}``); ``{seq}`` is required."""
    fmt = (fmt or "").strip()
    if "{seq" not in fmt:
        raise _invalid("invoice_number_format", _("The format must contain {seq}."))
    try:
        sample = fmt.format(country="DE", year=2026, seq=123)
    except (KeyError, ValueError, IndexError, AttributeError):
        raise _invalid(
            "invoice_number_format", _("Only {country}, {year} and {seq} may be used.")
        ) from None
    if not sample or len(sample) > 40:
        raise _invalid("invoice_number_format", _("A number must be 1 to 40 characters long."))
    return fmt


def validate_chart_of_accounts(chart: Any) -> dict:
    """Merge ``chart`` over the defaults and check it: account numbers are 1 to 20
    ASCII letters or digits (what a FEC or a bank file accepts); every ledger/fund mapping
    names two known accounts."""
    if not isinstance(chart, dict):
        raise _invalid("chart_of_accounts", _("A JSON object is expected."))
    merged = default_chart_of_accounts()
    for section in ("accounts", "ledger", "fund", "journals"):
        value = chart.get(section, {})
        if not isinstance(value, dict):
            raise _invalid(
                "chart_of_accounts", _("%(section)s must be an object.") % {"section": section}
            )
        merged[section].update(value)
    unknown = set(chart) - {"accounts", "ledger", "fund", "journals"}
    if unknown:
        raise _invalid(
            "chart_of_accounts",
            _("Unknown sections: %(sections)s.") % {"sections": ", ".join(sorted(unknown))},
        )
    for name, number in merged["accounts"].items():
        if (
            not isinstance(number, str)
            or not (number.isascii() and number.isalnum())
            or not 1 <= len(number) <= 20
        ):
            raise _invalid(
                "chart_of_accounts",
                _("Account %(name)s: 1 to 20 letters or digits.") % {"name": name},
            )
    for section in ("ledger", "fund"):
        for kind, pair in merged[section].items():
            if (
                not isinstance(pair, list)
                or len(pair) != 2
                or any(p not in merged["accounts"] for p in pair)
            ):
                raise _invalid(
                    "chart_of_accounts",
                    _("%(mapping)s: two known account names expected.")
                    % {"mapping": f"{section}.{kind}"},
                )
    for name, code in merged["journals"].items():
        if (
            not isinstance(code, str)
            or not (code.isascii() and code.isalnum())
            or not 1 <= len(code) <= 10
        ):
            raise _invalid(
                "chart_of_accounts",
                _("Journal %(name)s: 1 to 10 letters or digits.") % {"name": name},
            )
    return merged


@transaction.atomic
def partner_settings_update(*, actor, data: dict[str, Any]) -> PartnerSettings:
    """Change some settings. ``data`` holds any of ``EDITABLE_FIELDS``, plus optionally
    ``fee_rate`` (fraction) with ``fee_rate_effective_from`` (date, default today), which
    adds a dated fee rate (``fee_rate_set``), and ``contribution_rate`` with
    ``contribution_rate_effective_from`` likewise (``contribution_rate_set``).
    ``share_remuneration_rate`` (fraction) and ``hq_board_seats`` (int) take effect today.

    Raises ``SettingsInvalid`` or ``CharterBoundViolated`` (nothing changed).
    """
    today = timezone.localdate()
    settings = PartnerSettings.objects.select_for_update().get(pk=partner_settings_get().pk)
    dated = {name for field in DATED_FIELDS for name in (field, f"{field}_effective_from")}
    unknown = set(data) - set(EDITABLE_FIELDS) - dated
    if unknown:
        raise SettingsInvalid(
            _("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            {"fields": {name: [_("Unknown setting.")] for name in sorted(unknown)}},
        )
    before = audit_snapshot(settings, list(EDITABLE_FIELDS))
    if "guarantee_fund_share" in data:
        settings.guarantee_fund_share = _fraction(
            data["guarantee_fund_share"], "guarantee_fund_share", upper_inclusive=True
        )
    for field in ("fund_overdue_days", "payment_terms_days"):
        if field in data:
            value = data[field]
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650:
                raise _invalid(field, _("A whole number of days between 0 and 3650."))
            setattr(settings, field, value)
    if "invoice_number_format" in data:
        settings.invoice_number_format = validate_number_format(data["invoice_number_format"])
    if "estimate_requires_validation" in data:
        if not isinstance(data["estimate_requires_validation"], bool):
            raise _invalid("estimate_requires_validation", _("true or false."))
        settings.estimate_requires_validation = data["estimate_requires_validation"]
    if "share_nominal_value" in data:
        try:
            value = to_decimal(data["share_nominal_value"], "share_nominal_value")
        except Exception:
            raise _invalid("share_nominal_value", _("A decimal amount is expected.")) from None
        if value <= 0 or value >= Decimal("1e12"):
            raise _invalid("share_nominal_value", _("A positive amount is expected."))
        settings.share_nominal_value = value
    if "company_id" in data:
        company_id = str(data["company_id"] or "").strip()
        tenant = getattr(connection, "tenant", None)
        if company_id and getattr(tenant, "country", "") == "FR":
            if not fr_siren.is_valid(company_id):
                raise _invalid("company_id", _("Not a valid SIREN (9 digits)."))
            company_id = fr_siren.compact(company_id)
        if len(company_id) > 20:
            raise _invalid("company_id", _("At most 20 characters."))
        settings.company_id = company_id
    if "chart_of_accounts" in data:
        settings.chart_of_accounts = validate_chart_of_accounts(data["chart_of_accounts"])
    if "share_remuneration_rate" in data:
        value = _fraction(
            data["share_remuneration_rate"], "share_remuneration_rate", upper_inclusive=False
        )
        check_setting(
            partner=current_partner(), name="share_remuneration_rate", value=value, on=today
        )
        settings.share_remuneration_rate = value
    if "hq_board_seats" in data:
        seats = data["hq_board_seats"]
        if isinstance(seats, bool) or not isinstance(seats, int) or not 0 <= seats <= 50:
            raise _invalid("hq_board_seats", _("A whole number of seats between 0 and 50."))
        check_setting(partner=current_partner(), name="hq_board_seats", value=seats, on=today)
        settings.hq_board_seats = seats
    settings.save()
    changes = audit_diff(before, audit_snapshot(settings, list(EDITABLE_FIELDS)))
    if changes:
        audit_record(actor=actor, action="settings.update", obj=settings, changes=changes)
    if data.get("fee_rate") is not None:
        effective = data.get("fee_rate_effective_from") or today
        fee_rate_set(rate=data["fee_rate"], effective_from=effective, actor=actor)
    if data.get("contribution_rate") is not None:
        effective = data.get("contribution_rate_effective_from") or today
        contribution_rate_set(rate=data["contribution_rate"], effective_from=effective, actor=actor)
    settings_state_push()
    return settings


def _effective_date(value: Any, field: str, *, allow_retroactive: bool) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise _invalid(field, _("A date YYYY-MM-DD is expected.")) from None
    if not allow_retroactive and value < timezone.localdate():
        if field == "fee_rate_effective_from":
            raise _invalid(field, _("A fee rate cannot take effect in the past."))
        raise _invalid(field, _("A contribution rate cannot take effect in the past."))
    return value


def _dated_rate_set(
    model,
    *,
    name: str,
    rate: Any,
    effective_from: Any,
    actor,
    note: str,
    allow_retroactive: bool,
    action: str,
):
    value = _fraction(rate, name, upper_inclusive=False)
    effective_from = _effective_date(
        effective_from, f"{name}_effective_from", allow_retroactive=allow_retroactive
    )
    # The charter of the partner's tier in force on the rate's first day bounds it.
    check_setting(partner=current_partner(), name=name, value=value, on=effective_from)
    existing = model.objects.select_for_update().filter(effective_from=effective_from).first()
    before = existing.rate if existing else None
    if existing:
        existing.rate = value
        existing.note = note
        existing.save(update_fields=["rate", "note"])
        row = existing
    else:
        row = model.objects.create(rate=value, effective_from=effective_from, note=note)
    audit_record(
        actor=actor,
        action=action,
        obj=row,
        changes={"rate": {"before": before, "after": value}, "effective_from": effective_from},
    )
    settings_state_push()
    return row


@transaction.atomic
def fee_rate_set(
    *,
    rate: Any,
    effective_from: dt.date,
    actor,
    note: str = "",
    allow_retroactive: bool = False,
) -> FeeRate:
    """Set the fee rate (a fraction, e.g. ``"0.0700"`` = 7 %) in force from
    ``effective_from`` (inclusive). A rate already set for that same date is replaced.
    The rate must lie in the fee band of the charter of the partner's tier in force on
    ``effective_from`` (bounds included).

    A date in the past is refused unless ``allow_retroactive`` (fees already taken were
    computed with the old rate; changing it behind them would make them unexplainable).
    Raises ``SettingsInvalid`` or ``CharterBoundViolated``.
    """
    return _dated_rate_set(
        FeeRate,
        name="fee_rate",
        rate=rate,
        effective_from=effective_from,
        actor=actor,
        note=note,
        allow_retroactive=allow_retroactive,
        action="settings.fee_rate_set",
    )


@transaction.atomic
def contribution_rate_set(
    *,
    rate: Any,
    effective_from: dt.date,
    actor,
    note: str = "",
    allow_retroactive: bool = False,
) -> ContributionRate:
    """Set the federation contribution rate (a fraction of turnover, e.g. ``"0.0100"`` =
    1 %) in force from ``effective_from`` (inclusive); same rules as ``fee_rate_set``,
    the bound being the charter's ``contribution_rate`` (a minimum). Raises
    ``SettingsInvalid`` or ``CharterBoundViolated``."""
    return _dated_rate_set(
        ContributionRate,
        name="contribution_rate",
        rate=rate,
        effective_from=effective_from,
        actor=actor,
        note=note,
        allow_retroactive=allow_retroactive,
        action="settings.contribution_rate_set",
    )
