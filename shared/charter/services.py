"""Writes of the charter (``hq_admin``: new versions, changes to versions not yet in
force), of the state partners push, of the findings, and of the annual reports partners
file on their own host.

Audited (in the trail of the schema the call runs in): ``charter.create``,
``charter.update`` (the public trail, HQ's writes), ``annual_report.file`` and
``annual_report.correct`` (the partner's own trail). Findings and pushed state are
derived data that the checks recompute: not audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.money import currency_digits, round_amount, to_decimal
from shared.charter.enforcement import Unmet, charter_ref, check_partner, partner_tier
from shared.charter.exceptions import (
    AnnualReportExists,
    AnnualReportInvalid,
    CharterInvalid,
    CharterNotFound,
    CharterVersionExists,
    CharterVersionInForce,
)
from shared.charter.models import (
    AnnualReport,
    Charter,
    CharterFinding,
    FindingStatus,
    PartnerCharterState,
    ReportFigure,
    ReportingFrequency,
)
from shared.charter.selectors import charter_in_force, charter_versions_after
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.partners.models import Partner, Status, Tier

# The fields of a version, in the order the API and the audit rows show them.
CHARTER_FIELDS = [
    "tier",
    "effective_from",
    "fee_rate_min",
    "fee_rate_max",
    "contribution_rate",
    "no_profit_distribution",
    "share_remuneration_cap",
    "min_hq_board_seats",
    "reporting_frequency",
    "report_due_months",
    "report_figures",
    "small_count_min",
    "dominance_max",
    "note",
]
_VERSION_FIELDS = [f for f in CHARTER_FIELDS if f not in ("tier", "effective_from")]
_FRACTIONS = ("fee_rate_min", "fee_rate_max", "contribution_rate", "share_remuneration_cap")


def _invalid(field: str, message: str) -> CharterInvalid:
    return CharterInvalid(message, {"fields": {field: [message]}})


def _fraction(value: Any, field: str, *, positive: bool = False, upper: bool = False) -> Decimal:
    """A fraction with at most 4 decimals: 0 <= value < 1 (``positive``: 0 < value;
    ``upper``: value <= 1)."""
    try:
        number = to_decimal(value, field)
    except Exception:
        raise _invalid(field, _('A decimal fraction is expected, e.g. "0.0700".')) from None
    low_ok = number > 0 if positive else number >= 0
    high_ok = number <= 1 if upper else number < 1
    if not (low_ok and high_ok):
        raise _invalid(field, _("Out of range for a fraction (0.07 = 7 %)."))
    if number != number.quantize(Decimal("0.0001")):
        raise _invalid(field, _("At most 4 decimal places (0.0001 = 0.01 %)."))
    return number


def _whole(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _invalid(
            field, _("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return value


def _apply_fields(charter: Charter, values: dict[str, Any]) -> None:
    """Check and set the version's own fields from ``values`` (any of ``_VERSION_FIELDS``)."""
    unknown = set(values) - set(_VERSION_FIELDS)
    if unknown:
        raise CharterInvalid(
            _("Unknown charter fields: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            {"fields": {name: [_("Unknown field.")] for name in sorted(unknown)}},
        )
    for name in _FRACTIONS:
        if name in values:
            positive = name.startswith("fee_rate")
            setattr(charter, name, _fraction(values[name], name, positive=positive))
    if "dominance_max" in values:
        charter.dominance_max = _fraction(
            values["dominance_max"], "dominance_max", positive=True, upper=True
        )
    for name, low, high in (
        ("min_hq_board_seats", 0, 20),
        ("report_due_months", 1, 24),
        ("small_count_min", 1, 1000),
    ):
        if name in values:
            setattr(charter, name, _whole(values[name], name, low, high))
    if "no_profit_distribution" in values:
        if not isinstance(values["no_profit_distribution"], bool):
            raise _invalid("no_profit_distribution", _("true or false."))
        charter.no_profit_distribution = values["no_profit_distribution"]
    if "reporting_frequency" in values:
        if values["reporting_frequency"] not in ReportingFrequency.values:
            raise _invalid(
                "reporting_frequency",
                _("One of %(values)s.") % {"values": ", ".join(ReportingFrequency.values)},
            )
        charter.reporting_frequency = values["reporting_frequency"]
    if "report_figures" in values:
        figures = values["report_figures"]
        if not isinstance(figures, list | tuple) or any(
            f not in ReportFigure.values for f in figures
        ):
            raise _invalid(
                "report_figures",
                _("A list of: %(values)s.") % {"values": ", ".join(ReportFigure.values)},
            )
        charter.report_figures = [f for f in ReportFigure.values if f in figures]
    if "note" in values:
        charter.note = str(values["note"] or "").strip()[:300]
    for name in [*_FRACTIONS, "min_hq_board_seats", "reporting_frequency"]:
        if getattr(charter, name) is None or getattr(charter, name) == "":
            raise _invalid(name, _("This field is required."))
    if charter.fee_rate_min > charter.fee_rate_max:
        raise _invalid("fee_rate_min", _("The band's minimum is above its maximum."))
    if charter.reporting_frequency == ReportingFrequency.ANNUAL and not charter.report_figures:
        raise _invalid("report_figures", _("An annual report asks for at least one figure."))


def charter_prepare(
    *, tier: str, effective_from: dt.date, today: dt.date | None = None, **values: Any
) -> Charter:
    """The new version ``charter_create`` would store, checked but not saved: fields not
    given are those of the version in force on ``effective_from``. Raises
    ``CharterInvalid``, ``CharterVersionExists``."""
    today = today or timezone.localdate()
    if tier not in Tier.values:
        raise _invalid("tier", _("One of %(values)s.") % {"values": ", ".join(Tier.values)})
    if not isinstance(effective_from, dt.date) or effective_from < today:
        raise _invalid(
            "effective_from",
            _("A charter version takes effect today or later, never in the past."),
        )
    if Charter.objects.filter(tier=tier, effective_from=effective_from).exists():
        raise CharterVersionExists(
            extra={"fields": {"effective_from": [_("Already a version on this date.")]}}
        )
    charter = Charter(tier=tier, effective_from=effective_from)
    try:
        previous = charter_in_force(tier, effective_from)
    except CharterNotFound:
        previous = None
    if previous is not None:
        for name in _VERSION_FIELDS:
            setattr(charter, name, getattr(previous, name))
        charter.note = ""
    _apply_fields(charter, values)
    return charter


def charter_check_changes(*, charter: Charter, values: dict[str, Any]) -> None:
    """Check ``values`` for a version not yet in force without changing ``charter``
    (what the admin's form asks before saving). Raises ``CharterInvalid``."""
    copy = Charter(**{f: getattr(charter, f) for f in CHARTER_FIELDS})
    _apply_fields(copy, values)


@transaction.atomic
def charter_create(
    *, actor, tier: str, effective_from: dt.date, today: dt.date | None = None, **values: Any
) -> Charter:
    """A new version of ``tier``'s charter from ``effective_from`` (today or later: the
    history is never rewritten). Fields not given are those of the version in force on
    that date, so a change states only what changes. Opens findings for the partners of
    the tier it puts out of bounds (their settings are never changed).

    Raises ``CharterInvalid``, ``CharterVersionExists``.
    """
    today = today or timezone.localdate()
    charter = charter_prepare(tier=tier, effective_from=effective_from, today=today, **values)
    charter.created_by = getattr(actor, "username", "") or ""
    charter.save()
    audit_record(
        actor=actor,
        action="charter.create",
        obj=charter,
        changes=audit_snapshot(charter, CHARTER_FIELDS),
    )
    findings_sync_tier(tier=tier, today=today)
    return charter


@transaction.atomic
def charter_update(
    *, charter: Charter, actor, today: dt.date | None = None, **values: Any
) -> Charter:
    """Change a version that is not yet in force (``effective_from`` after today); its
    tier and date stay. A version in force is history: refused with
    ``CharterVersionInForce`` (make a new version). Raises ``CharterInvalid`` too."""
    today = today or timezone.localdate()
    charter = Charter.objects.select_for_update().get(pk=charter.pk)
    if charter.effective_from <= today:
        raise CharterVersionInForce(extra={"charter": charter_ref(charter)})
    for name in ("tier", "effective_from"):
        if name in values and values.pop(name) != getattr(charter, name):
            raise _invalid(name, _("A version's tier and date never change."))
    before = audit_snapshot(charter, CHARTER_FIELDS)
    _apply_fields(charter, values)
    charter.save()
    changes = audit_diff(before, audit_snapshot(charter, CHARTER_FIELDS))
    if changes:
        audit_record(actor=actor, action="charter.update", obj=charter, changes=changes)
        findings_sync_tier(tier=charter.tier, today=today)
    return charter


# --- What partners push --------------------------------------------------------------


def charter_state_store(
    *, partner: Partner, settings: dict | None = None, services: list | None = None
) -> PartnerCharterState:
    """Write ``partner``'s pushed bounded settings and/or catalogue (the shapes are in
    ``PartnerCharterState``). Called by the partner's own code, in its schema, within the
    write it describes; idempotent."""
    now = timezone.now()
    defaults: dict[str, Any] = {}
    if settings is not None:
        defaults.update(settings=settings, settings_pushed_at=now)
    if services is not None:
        defaults.update(services=services, services_pushed_at=now)
    state, _created = PartnerCharterState.objects.update_or_create(
        partner=partner, defaults=defaults
    )
    return state


# --- Findings ------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    opened: int
    updated: int
    resolved: int


def _check_dates(partner: Partner, state: PartnerCharterState | None, today: dt.date) -> list:
    """Today, and each later date on which something changes: a version of the tier's
    charter, a pushed setting, a service's availability."""
    dates = {today}
    dates.update(
        c.effective_from for c in charter_versions_after(partner_tier(partner, today), today)
    )
    if state is not None:
        for schedule in state.settings.values():
            for start, _value in schedule:
                if start and dt.date.fromisoformat(start) > today:
                    dates.add(dt.date.fromisoformat(start))
        for _code, start, until in state.services:
            starts = dt.date.fromisoformat(start)
            if starts > today:
                dates.add(starts)
            if until:
                after = dt.date.fromisoformat(until) + dt.timedelta(days=1)
                if after > today:
                    dates.add(after)
    return sorted(dates)


def _comparable(detail: dict) -> dict:
    # The date a requirement was seen unmet moves every night; what matters is the bound
    # and the value.
    return {k: v for k, v in detail.items() if k != "on"}


@transaction.atomic
def findings_sync(*, partner: Partner, today: dt.date | None = None) -> SyncResult:
    """Open a finding for each requirement ``partner`` does not meet today or on a later
    date something changes (``check_partner``; annual reports as of today), update the
    open ones whose bound or value moved, and resolve (dated today) the open ones no
    longer seen. Re-running it changes nothing. Never touches the partner's settings."""
    today = today or timezone.localdate()
    state, _created = PartnerCharterState.objects.get_or_create(partner=partner)
    # One sync per partner at a time: the state row is the lock.
    state = PartnerCharterState.objects.select_for_update().get(pk=state.pk)
    seen: dict[tuple[str, str], Unmet] = {}
    for on in _check_dates(partner, state, today):
        for unmet in check_partner(partner=partner, on=on, include_reports=on == today):
            seen.setdefault((str(unmet.kind), unmet.subject), unmet)
    open_findings = {
        (f.kind, f.subject): f
        for f in CharterFinding.objects.select_for_update().filter(
            partner=partner, status=FindingStatus.OPEN
        )
    }
    opened = updated = resolved = 0
    for key, unmet in seen.items():
        finding = open_findings.pop(key, None)
        detail = unmet.as_detail()
        charter_id = unmet.charter.pk if unmet.charter else None
        if finding is None:
            CharterFinding.objects.create(
                partner=partner,
                kind=unmet.kind,
                subject=unmet.subject,
                status=FindingStatus.OPEN,
                opened_on=today,
                charter_id=charter_id,
                detail=detail,
            )
            opened += 1
        elif _comparable(finding.detail) != _comparable(detail) or finding.charter_id != charter_id:
            finding.detail = detail
            finding.charter_id = charter_id
            finding.save(update_fields=["detail", "charter", "updated_at"])
            updated += 1
    for finding in open_findings.values():
        finding.status = FindingStatus.RESOLVED
        finding.resolved_on = max(today, finding.opened_on)
        finding.save(update_fields=["status", "resolved_on", "updated_at"])
        resolved += 1
    return SyncResult(opened, updated, resolved)


def findings_sync_tier(*, tier: str, today: dt.date | None = None) -> int:
    """``findings_sync`` for every active or suspended partner now in ``tier`` (after a
    charter change); returns how many were checked. Public tables only."""
    partners = Partner.objects.filter(
        tier=tier, status__in=[Status.ACTIVE, Status.SUSPENDED]
    ).order_by("slug")
    count = 0
    for partner in partners:
        findings_sync(partner=partner, today=today)
        count += 1
    return count


# --- Annual reports ------------------------------------------------------------------

AMOUNT_FIGURES = ("operating_result", "equity", "hq_capital", "hq_current_account")


def _report_invalid(field: str, message: str) -> AnnualReportInvalid:
    return AnnualReportInvalid(message, {"fields": {field: [message]}})


def _figure(name: str, value: Any, currency: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = to_decimal(value, name)
    except Exception:
        raise _report_invalid(name, _("A decimal number is expected.")) from None
    if name in AMOUNT_FIGURES:
        if abs(number) >= Decimal("1e15"):
            raise _report_invalid(name, _("Too large an amount."))
        if number != round_amount(number, currency):
            raise _report_invalid(
                name,
                _("At most %(digits)s decimals in %(currency)s.")
                % {"digits": currency_digits(currency), "currency": currency},
            )
        if name.startswith("hq_") and number < 0:
            raise _report_invalid(name, _("A contribution cannot be negative."))
    elif name == "staff_fte":
        if number < 0 or number >= Decimal("1e6") or number != number.quantize(Decimal("0.01")):
            raise _report_invalid(name, _("A number of full-time equivalents, e.g. 12.50."))
    elif name == "hq_voting_share":
        try:
            valid = 0 <= number <= 1 and number == number.quantize(Decimal("0.0001"))
        except InvalidOperation:
            valid = False
        if not valid:
            raise _report_invalid(name, _("A fraction of the votes, 0 to 1 (0.11 = 11 %)."))
    return number


def _apply_report(report: AnnualReport, partner: Partner, figures: dict[str, Any]) -> None:
    unknown = set(figures) - set(ReportFigure.values)
    if unknown:
        raise AnnualReportInvalid(
            _("Unknown figures: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            {"fields": {name: [_("Unknown figure.")] for name in sorted(unknown)}},
        )
    for name, value in figures.items():
        setattr(report, name, _figure(name, value, partner.currency))
    year_end = dt.date(report.year, 12, 31)
    charter = charter_in_force(partner_tier(partner, year_end), year_end)
    required = charter.report_figures if charter.requires_annual_report else []
    missing = [name for name in required if getattr(report, name) is None]
    if missing:
        message = _("Required by the charter %(version)s.") % {"version": charter.version}
        raise AnnualReportInvalid(
            _("The charter %(version)s asks for: %(names)s.")
            % {"version": charter.version, "names": ", ".join(missing)},
            {"fields": {name: [message] for name in missing}, "charter": charter_ref(charter)},
        )
    if all(getattr(report, name) is None for name in ReportFigure.values):
        raise _report_invalid("operating_result", _("A report gives at least one figure."))


@transaction.atomic
def annual_report_file(
    *,
    partner: Partner,
    actor,
    year: int,
    figures: dict[str, Any],
    currency: str | None = None,
    today: dt.date | None = None,
) -> AnnualReport:
    """File ``partner``'s report for ``year`` (a year that has ended, not before the
    partner's founding): ``figures`` maps ``ReportFigure`` names to decimal strings,
    amounts in the partner's currency (``currency``, when given, must be it); the figures
    the charter of the year asks for are required. Resolves the report's finding at once.
    Runs on the partner's own host. Raises ``AnnualReportInvalid``, ``AnnualReportExists``.
    """
    today = today or timezone.localdate()
    if isinstance(year, bool) or not isinstance(year, int) or not 1998 <= year < today.year:
        raise _report_invalid("year", _("A year that has ended (1998 or later)."))
    if partner.founded_on and year < partner.founded_on.year:
        raise _report_invalid(
            "year",
            _("%(partner)s was founded in %(year)s.")
            % {"partner": partner.slug, "year": partner.founded_on.year},
        )
    if currency is not None and currency.strip().upper() != partner.currency:
        raise _report_invalid(
            "currency", _("Must be %(currency)s.") % {"currency": partner.currency}
        )
    if AnnualReport.objects.filter(partner=partner, year=year).exists():
        raise AnnualReportExists(extra={"fields": {"year": [_("Already filed.")]}})
    report = AnnualReport(
        partner=partner,
        year=year,
        currency=partner.currency,
        filed_on=today,
        filed_by=getattr(actor, "username", "") or "",
    )
    _apply_report(report, partner, figures)
    report.save()
    audit_record(
        actor=actor, action="annual_report.file", obj=report, changes=audit_snapshot(report)
    )
    findings_sync(partner=partner, today=today)
    return report


@transaction.atomic
def annual_report_correct(*, report: AnnualReport, actor, figures: dict[str, Any]) -> AnnualReport:
    """Correct some figures of a filed report (``None`` clears one the charter does not
    require); ``filed_on`` stays. Raises ``AnnualReportInvalid``."""
    report = AnnualReport.objects.select_for_update().select_related("partner").get(pk=report.pk)
    before = audit_snapshot(report, list(ReportFigure.values))
    _apply_report(report, report.partner, figures)
    report.save()
    changes = audit_diff(before, audit_snapshot(report, list(ReportFigure.values)))
    if changes:
        audit_record(actor=actor, action="annual_report.correct", obj=report, changes=changes)
    return report
