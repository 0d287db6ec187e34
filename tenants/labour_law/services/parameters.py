"""The generic pack's dated values that a partner outside the federation's countries sets
itself (``PartnerParameter``). Country packs' values are the federation's data files."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from common.accounts.acting import saved_user
from common.errors import EssaimError
from common.tenancy import current_partner
from tenants.audit.services import audit_record
from tenants.labour_law import selectors
from tenants.labour_law.checks import check_date
from tenants.labour_law.exceptions import PartnerParameterInvalid
from tenants.labour_law.models import PartnerParameter
from tenants.labour_law.packs import generic
from tenants.labour_law.packs.loader import _parse_entry, allowed_units, declared_parameters


def _expected_unit(name: str, currency: str) -> str:
    return f"{currency}/hour" if name == "minimum_wage_hourly" else "fraction"


def _parameter_clean(data: dict[str, Any], currency: str) -> dict[str, Any]:
    names = declared_parameters(generic)
    name = data.get("name")
    if name not in names:
        raise PartnerParameterInvalid(
            _("Unknown parameter %(name)s; the generic pack uses: %(known)s.")
            % {"name": repr(name), "known": ", ".join(names)},
            {"fields": {"name": [_("One of: %(known)s.") % {"known": ", ".join(names)}]}},
        )
    expected = _expected_unit(name, currency)
    unit = data.get("unit") or expected
    if unit != expected:
        raise PartnerParameterInvalid(
            _("%(name)s is expressed in %(expected)s, not %(unit)s.")
            % {"name": name, "expected": expected, "unit": unit},
            {"fields": {"unit": [_("Must be %(expected)s.") % {"expected": expected}]}},
        )
    raw = {
        "name": name,
        "value": format(data["value"], "f"),
        "unit": unit,
        "effective_from": data["effective_from"],
        "source": data.get("source") or "",
        "note": data.get("note") or "",
    }
    if data.get("effective_until") is not None:
        raw["effective_until"] = data["effective_until"]
    try:
        _parse_entry(raw, "partner parameters", allowed_units(currency))
    except EssaimError as exc:
        message = str(exc.message).split(": ", 2)[-1]
        raise PartnerParameterInvalid(
            f"{name}: {message}", {"fields": {"value": [message]}}
        ) from None
    check_date(data["effective_from"], "effective_from")
    return {**raw, "value": data["value"], "effective_until": data.get("effective_until")}


def _check_overlap(row: PartnerParameter) -> None:
    others = PartnerParameter.objects.select_for_update().filter(name=row.name).exclude(pk=row.pk)
    for other in others:
        ends_before = row.effective_until is not None and row.effective_until < other.effective_from
        starts_after = (
            other.effective_until is not None and other.effective_until < row.effective_from
        )
        if not (ends_before or starts_after):
            raise PartnerParameterInvalid(
                _(
                    "%(name)s: the period from %(start)s (until %(end)s) overlaps the one from "
                    "%(other_start)s (until %(other_end)s). Close the earlier period first "
                    "(effective_until)."
                )
                % {
                    "name": row.name,
                    "start": row.effective_from,
                    "end": row.effective_until or _("open-ended"),
                    "other_start": other.effective_from,
                    "other_end": other.effective_until or _("open-ended"),
                },
                {
                    "fields": {"effective_from": [_("Overlaps another period.")]},
                    "other": other.pk,
                },
            )


def _generic_only() -> str:
    code = selectors.partner_pack_code()
    if code != selectors.GENERIC:
        raise PartnerParameterInvalid(
            _(
                "This partner uses the %(pack)s pack, whose parameters are set by the "
                "federation (packs/data/%(pack)s.toml); partner parameters apply to the generic "
                "pack only."
            )
            % {"pack": code}
        )
    return current_partner().currency


@transaction.atomic
def partner_parameter_create(*, actor, **data: Any) -> PartnerParameter:
    """Add a dated value of a generic-pack parameter (``name``, ``value`` Decimal,
    ``unit`` — default the parameter's own: ``fraction`` for rates, ``<CUR>/hour`` for
    ``minimum_wage_hourly`` —, ``effective_from``, optional ``effective_until``, ``source``
    required, ``note``). Raises ``PartnerParameterInvalid`` (unknown name, wrong unit,
    fraction outside [0, 1], missing source, overlapping period, partner not on the generic
    pack)."""
    currency = _generic_only()
    clean = _parameter_clean(data, currency)
    row = PartnerParameter(**clean, created_by=saved_user(actor))
    _check_overlap(row)
    row.save()
    audit_record(actor=actor, action="labour_parameter.create", obj=row, changes=row.as_override())
    return row


@transaction.atomic
def partner_parameter_update(
    *, row: PartnerParameter, actor, data: dict[str, Any]
) -> PartnerParameter:
    """Change a dated value (same fields and errors as ``partner_parameter_create``).
    Recorded simulations keep the values they used (their snapshot)."""
    currency = _generic_only()
    merged = {
        "name": row.name,
        "value": row.value,
        "unit": row.unit,
        "effective_from": row.effective_from,
        "effective_until": row.effective_until,
        "source": row.source,
        "note": row.note,
        **data,
    }
    clean = _parameter_clean(merged, currency)
    for key, value in clean.items():
        setattr(row, key, value)
    _check_overlap(row)
    row.save()
    audit_record(actor=actor, action="labour_parameter.update", obj=row, changes=row.as_override())
    return row


@transaction.atomic
def partner_parameter_delete(*, row: PartnerParameter, actor) -> None:
    """Remove a dated value (recorded computations keep their snapshot)."""
    _generic_only()
    audit_record(actor=actor, action="labour_parameter.delete", obj=row, changes=row.as_override())
    row.delete()
