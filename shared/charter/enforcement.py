"""The one place that says whether a partner keeps the charter.

Every write path of a bounded setting (the partner's API and admin through
``tenants.partner_settings.services``, commands, imports, the demo seed) calls
``check_setting`` with the date the value takes effect; the local catalogue calls
``check_core_services`` before a service stops covering a required core service;
``partner_create`` and ``partner_promote`` call ``check_partner``; the nightly check and a
new charter version call ``check_partner`` through ``services.findings_sync``.

Reads public tables only: the charter, the reference catalogue's core requirements, the
registry's dated tier history, the state each partner pushed out of its own schema
(``PartnerCharterState``) and the annual reports. A value out of bounds is refused with
the bound and the charter version named, never clamped.

Bounded settings (``BOUNDED_SETTINGS``), each a fraction as a ``Decimal`` unless said:

- ``fee_rate``: ``fee_rate_min <= value <= fee_rate_max``;
- ``contribution_rate``: ``value >= contribution_rate``;
- ``share_remuneration_rate``: ``value <= share_remuneration_cap``;
- ``hq_board_seats`` (an ``int``): ``value >= min_hq_board_seats``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from services_catalog.reference.selectors import core_codes
from shared.charter.exceptions import CharterBoundViolated, CharterRequirementsUnmet
from shared.charter.models import Charter, FindingKind
from shared.charter.selectors import (
    annual_report_years,
    charter_in_force,
    charter_state_get,
    report_due_on,
)
from tenants.partners.models import Partner, PartnerEvent
from tenants.partners.selectors import partner_tier_on

BOUNDED_SETTINGS = ("fee_rate", "contribution_rate", "share_remuneration_rate", "hq_board_seats")
SETTING_KINDS = {
    "fee_rate": FindingKind.FEE_RATE,
    "contribution_rate": FindingKind.CONTRIBUTION_RATE,
    "share_remuneration_rate": FindingKind.SHARE_REMUNERATION,
    "hq_board_seats": FindingKind.HQ_BOARD_SEATS,
}


def charter_ref(charter: Charter | None) -> dict[str, Any] | None:
    """How an error or a finding names a charter version (JSON-safe)."""
    if charter is None:
        return None
    return {
        "id": charter.pk,
        "tier": charter.tier,
        "effective_from": charter.effective_from.isoformat(),
        "version": charter.version,
    }


@dataclass(frozen=True)
class Unmet:
    """One requirement of a charter version a partner does not meet on ``on``.

    ``kind`` is a ``FindingKind``; ``subject`` what it is about (the setting's name, a
    core service's code, a year); ``bound`` the charter's bound (``{"min": "0.0650",
    "max": "0.0800"}``, ``{"required": "advances"}``, ``{"due_on": "2026-06-30"}``) and
    ``value`` what the partner has (a decimal string, an int, or None)."""

    kind: str
    subject: str
    on: dt.date
    charter: Charter | None
    bound: dict[str, Any] = field(default_factory=dict)
    value: Any = None

    @property
    def message(self) -> str:
        return unmet_message(self.kind, self.subject, self.as_detail(), self.charter)

    def as_detail(self) -> dict[str, Any]:
        """What a finding keeps (``CharterFinding.detail``)."""
        return {"on": self.on.isoformat(), "bound": self.bound, "value": self.value}

    def as_dict(self) -> dict[str, Any]:
        """What an error's ``extra.unmet`` lists."""
        return {
            "kind": str(self.kind),
            "subject": self.subject,
            "message": self.message,
            **self.as_detail(),
            "charter": charter_ref(self.charter),
        }


def unmet_message(kind: str, subject: str, detail: dict, charter: Charter | None) -> str:
    """The human sentence for an unmet requirement, in the active language (findings
    store ``detail`` and are worded when read, in the reader's language)."""
    bound = detail.get("bound") or {}
    params = {
        "value": detail.get("value"),
        "min": bound.get("min"),
        "max": bound.get("max"),
        "version": charter.version if charter else "-",
        "on": detail.get("on"),
        "subject": subject,
        "due": bound.get("due_on"),
    }
    if kind == FindingKind.FEE_RATE:
        text = _(
            "The fee rate %(value)s on %(on)s is outside the band %(min)s to %(max)s of the "
            "charter %(version)s."
        )
    elif kind == FindingKind.CONTRIBUTION_RATE:
        text = _(
            "The federation contribution rate %(value)s on %(on)s is below the minimum "
            "%(min)s of the charter %(version)s."
        )
    elif kind == FindingKind.SHARE_REMUNERATION:
        text = _(
            "The share remuneration rate %(value)s on %(on)s is above the cap %(max)s of the "
            "charter %(version)s."
        )
    elif kind == FindingKind.HQ_BOARD_SEATS:
        text = _(
            "%(value)s headquarters seats on the board on %(on)s are fewer than the %(min)s "
            "the charter %(version)s requires."
        )
    elif kind == FindingKind.CORE_SERVICE:
        text = _(
            "The core service %(subject)s is not offered on %(on)s, as the charter "
            "%(version)s requires."
        )
    elif kind == FindingKind.ANNUAL_REPORT:
        text = _(
            "The annual report for %(subject)s was due by %(due)s (charter %(version)s) and "
            "is not filed."
        )
    else:
        text = _(
            "The partner's bounded settings have never been pushed to the federation; the "
            "nightly check pushes them."
        )
    return text % params


def _fraction_text(value: Decimal) -> str:
    return f"{Decimal(value):.4f}"


def setting_unmet(*, charter: Charter, name: str, value: Any, on: dt.date) -> Unmet | None:
    """Whether ``value`` of setting ``name`` breaks ``charter``; None when it keeps it."""
    kind = SETTING_KINDS[name]
    if name == "hq_board_seats":
        seats = int(value)
        if seats < charter.min_hq_board_seats:
            return Unmet(kind, name, on, charter, {"min": charter.min_hq_board_seats}, seats)
        return None
    number = Decimal(value)
    shown = _fraction_text(number)
    if name == "fee_rate":
        if not charter.fee_rate_min <= number <= charter.fee_rate_max:
            bound = {
                "min": _fraction_text(charter.fee_rate_min),
                "max": _fraction_text(charter.fee_rate_max),
            }
            return Unmet(kind, name, on, charter, bound, shown)
    elif name == "contribution_rate":
        if number < charter.contribution_rate:
            return Unmet(
                kind, name, on, charter, {"min": _fraction_text(charter.contribution_rate)}, shown
            )
    elif name == "share_remuneration_rate":
        if number > charter.share_remuneration_cap:
            bound = {"max": _fraction_text(charter.share_remuneration_cap)}
            return Unmet(kind, name, on, charter, bound, shown)
    return None


def partner_tier(partner: Partner, on: dt.date) -> str:
    """The partner's tier on ``on`` from its dated history (its current tier before its
    first event, e.g. while it is being created)."""
    return partner_tier_on(partner=partner, on=on) or partner.tier


def check_setting(*, partner: Partner, name: str, value: Any, on: dt.date) -> None:
    """Refuse ``value`` for setting ``name`` (one of ``BOUNDED_SETTINGS``) of ``partner``
    if it breaks the charter of the partner's tier in force on ``on``, the date the value
    takes effect. Raises ``CharterBoundViolated`` (400) naming the bound and the version
    (``extra``: ``setting``, ``value``, ``bound``, ``on``, ``charter``, ``fields``), or
    ``CharterNotFound``."""
    charter = charter_in_force(partner_tier(partner, on), on)
    unmet = setting_unmet(charter=charter, name=name, value=value, on=on)
    if unmet is not None:
        raise_unmet_setting(unmet)


def raise_unmet_setting(unmet: Unmet) -> None:
    message = unmet.message
    raise CharterBoundViolated(
        message,
        {
            "setting": unmet.subject,
            "value": unmet.value,
            "bound": unmet.bound,
            "on": unmet.on.isoformat(),
            "charter": charter_ref(unmet.charter),
            "fields": {unmet.subject: [message]},
        },
    )


def check_core_services(
    *, partner: Partner, offered_before: set[str], offered_after: set[str], on: dt.date
) -> None:
    """Refuse a catalogue change that makes ``partner`` stop offering, on ``on``, a core
    service its tier's charter requires there and that it offered before the change.
    (A gap that existed before is a finding, not a reason to refuse unrelated edits.)
    Raises ``CharterBoundViolated`` naming the service and the charter version."""
    tier = partner_tier(partner, on)
    lost = sorted((set(core_codes(tier=tier, on=on)) & offered_before) - offered_after)
    if lost:
        charter = charter_in_force(tier, on)
        unmet = Unmet(FindingKind.CORE_SERVICE, lost[0], on, charter, {"required": lost[0]})
        message = unmet.message
        raise CharterBoundViolated(
            message,
            {
                "setting": "reference_code",
                "value": None,
                "bound": {"required": lost},
                "on": on.isoformat(),
                "charter": charter_ref(charter),
                "fields": {"available_until": [message]},
            },
        )


# --- A whole partner ----------------------------------------------------------------


def value_on(schedule: list, on: dt.date) -> Any:
    """The value of a pushed schedule (``[[date or None, value], ...]``, by date) in force
    on ``on``, or None."""
    found = None
    for start, value in schedule:
        if start is None or dt.date.fromisoformat(start) <= on:
            found = value
    return found


def offered_on(services: list, on: dt.date) -> set[str]:
    """Reference codes of the pushed services available on ``on``."""
    codes = set()
    for code, start, until in services:
        if dt.date.fromisoformat(start) <= on and (
            until is None or dt.date.fromisoformat(until) >= on
        ):
            codes.add(code)
    return codes


def _founding_year(partner: Partner) -> int:
    if partner.founded_on:
        return partner.founded_on.year
    first = PartnerEvent.objects.filter(partner=partner).order_by("effective_on").first()
    return (first.effective_on if first else partner.created_at.date()).year


def _reports_unmet(partner: Partner, on: dt.date, tier: str | None) -> list[Unmet]:
    """Years whose report is due by a day before ``on`` and not filed. A year counts when
    the partner's tier at the year's end (``tier``, for a promotion: every year since the
    founding) had a charter asking for an annual report."""
    filed = annual_report_years(partner=partner)
    unmet = []
    for year in range(_founding_year(partner), on.year):
        year_end = dt.date(year, 12, 31)
        year_tier = tier or partner_tier_on(partner=partner, on=year_end)
        if year_tier is None or year in filed:
            continue
        charter = charter_in_force(year_tier, year_end)
        if not charter.requires_annual_report:
            continue
        due = report_due_on(year, charter)
        if due < on:
            unmet.append(
                Unmet(
                    FindingKind.ANNUAL_REPORT, str(year), on, charter, {"due_on": due.isoformat()}
                )
            )
    return unmet


def check_partner(
    *,
    partner: Partner,
    on: dt.date,
    tier: str | None = None,
    include_reports: bool = True,
    settings_only: bool = False,
) -> list[Unmet]:
    """Every requirement of the charter that ``partner`` does not meet on ``on``: under
    its own tier on that date, or under ``tier`` (a promotion's target). Checks the
    bounded settings and the core services as the partner last pushed them, and (with
    ``include_reports``) the annual reports due before ``on``. ``settings_only`` checks
    the bounded settings alone (what a new partner must meet from its first day). An
    empty list: the partner keeps the charter."""
    target = tier or partner_tier(partner, on)
    charter = charter_in_force(target, on)
    state = charter_state_get(partner=partner)
    if state is None or state.settings_pushed_at is None:
        unmet = [Unmet(FindingKind.STATE_MISSING, "settings", on, None)]
    else:
        unmet = []
        for name in BOUNDED_SETTINGS:
            value = value_on(state.settings.get(name, []), on)
            if value is None:
                continue
            found = setting_unmet(charter=charter, name=name, value=value, on=on)
            if found is not None:
                unmet.append(found)
    if settings_only:
        return unmet
    # A catalogue never pushed is not known to lack anything (the missing state is).
    if state is not None and state.services_pushed_at is not None:
        offered = offered_on(state.services, on)
        for code in core_codes(tier=target, on=on):
            if code not in offered:
                unmet.append(Unmet(FindingKind.CORE_SERVICE, code, on, charter, {"required": code}))
    if include_reports:
        unmet.extend(_reports_unmet(partner, on, tier))
    return unmet


def refuse_unmet(*, partner: Partner, tier: str, unmet: list[Unmet]) -> None:
    """Raise ``CharterRequirementsUnmet`` listing every item of ``unmet`` (if any)."""
    if not unmet:
        return
    charter = next((u.charter for u in unmet if u.charter is not None), None)
    raise CharterRequirementsUnmet(
        _("%(partner)s does not meet the charter %(version)s (unmet: %(count)s). %(items)s")
        % {
            "partner": partner.slug,
            "count": len(unmet),
            "version": charter.version if charter else tier,
            "items": " ".join(u.message for u in unmet),
        },
        {"tier": tier, "charter": charter_ref(charter), "unmet": [u.as_dict() for u in unmet]},
    )
