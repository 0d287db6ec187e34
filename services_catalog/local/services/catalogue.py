"""The partner's own services (``Service``): written by the partner's ``admin``, each with
a name in the partner's language, a pricing model and a price in the partner's currency,
optionally implementing a reference service of the federation. Every write records an
audit row (``catalog_service.create`` / ``catalog_service.update``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from common.money import currency_digits, round_amount, to_decimal
from common.tenancy import current_partner
from services_catalog.local.exceptions import ServiceCurrencyRefused, ServiceExists, ServiceInvalid
from services_catalog.local.models import CODE_PATTERN, PRICED_MODELS, PricingModel, Service
from services_catalog.local.services.charter import catalogue_charter_check, catalogue_state_push
from services_catalog.reference.selectors import reference_codes
from services_catalog.translated import LANGUAGES, save_in_language, translation_values
from tenants.audit.services import audit_diff, audit_record, audit_snapshot


def required_language(partner) -> str:
    """The language every local service must have a name in: the partner's default
    language when the platform has it, else English."""
    return partner.language if partner.language in LANGUAGES else "en"


def service_check(service: Service) -> None:
    """Refuse a service whose fields do not fit together (code, reference code, name in the
    partner's language, price or percentage for its pricing model, availability dates).
    Raises ``ServiceInvalid`` naming every field in error; the admin form calls it too."""
    partner = current_partner()
    errors: dict[str, list[str]] = {}
    if not re.match(CODE_PATTERN, service.code or ""):
        errors["code"] = [_("Lowercase letters, digits and underscores (e.g. grant_help_se).")]
    if service.reference_code and service.reference_code not in reference_codes():
        errors["reference_code"] = [
            _("%(code)s is not a reference service code.") % {"code": repr(service.reference_code)}
        ]
    language = required_language(partner)
    if not (getattr(service, f"name_{language}") or "").strip():
        errors["name"] = [
            _("A name in %(language)s (the partner's language) is required.")
            % {"language": language}
        ]
    if service.pricing_model not in PricingModel.values:
        errors["pricing_model"] = [
            _("One of %(values)s.") % {"values": ", ".join(PricingModel.values)}
        ]
    if service.pricing_model == PricingModel.PERCENTAGE:
        if service.percentage is None:
            errors["percentage"] = [_("Required for a percentage of turnover (0 to 100).")]
        elif not (Decimal(0) <= service.percentage <= Decimal(100)):
            errors["percentage"] = [
                _("A percentage of turnover is between 0 and 100 (1.5 means 1.5 %).")
            ]
        if service.price_amount is not None:
            errors["price_amount"] = [_("Not used with a percentage of turnover.")]
    elif service.pricing_model in PRICED_MODELS:
        if service.price_amount is None:
            errors["price_amount"] = [_("Required for this pricing model.")]
        elif service.price_amount < 0:
            errors["price_amount"] = [_("A price cannot be negative.")]
        elif service.price_amount != round_amount(service.price_amount, partner.currency):
            errors["price_amount"] = [
                _("At most %(digits)s decimals in %(currency)s.")
                % {"digits": currency_digits(partner.currency), "currency": partner.currency}
            ]
        if service.percentage is not None:
            errors["percentage"] = [_("Only a percentage-of-turnover service has one.")]
    elif service.pricing_model == PricingModel.FREE:
        if service.price_amount not in (None, Decimal(0)):
            errors["price_amount"] = [_("A free service has no price.")]
        if service.percentage is not None:
            errors["percentage"] = [_("A free service has no percentage.")]
    if service.available_from is None:
        errors["available_from"] = [_("This field is required.")]
    elif service.available_until and service.available_until < service.available_from:
        errors["available_until"] = [_("Must be on or after available_from.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceInvalid(first, {"fields": errors})


def _apply_service_fields(service: Service, fields: dict[str, Any]) -> None:
    partner = current_partner()
    fields = dict(fields)
    texts = {
        **translation_values("name", fields.pop("name", None)),
        **translation_values("description", fields.pop("description", None)),
    }
    currency = fields.pop("currency", None)
    if currency is not None and currency.strip().upper() != partner.currency:
        raise ServiceCurrencyRefused(
            _("Prices of %(partner)s are in %(currency)s, not %(given)s.")
            % {"partner": partner.name, "currency": partner.currency, "given": currency},
            {"fields": {"currency": [_("Must be %(currency)s.") % {"currency": partner.currency}]}},
        )
    for name in ("price_amount", "percentage"):
        if fields.get(name) is not None:
            fields[name] = to_decimal(fields[name], name)
    for attr, value in {**fields, **texts}.items():
        setattr(service, attr, value)
    # Values that do not belong to the pricing model are dropped rather than kept stale.
    if "pricing_model" in fields:
        if service.pricing_model == PricingModel.PERCENTAGE and "price_amount" not in fields:
            service.price_amount = None
        if service.pricing_model in PRICED_MODELS and "percentage" not in fields:
            service.percentage = None
        if service.pricing_model == PricingModel.FREE:
            if "price_amount" not in fields or service.price_amount == 0:
                service.price_amount = None
            if "percentage" not in fields:
                service.percentage = None
    _set_currency(service)


def _set_currency(service: Service) -> None:
    # A price is always in the partner's currency; a service without one has none.
    service.currency = current_partner().currency if service.price_amount is not None else ""


@transaction.atomic
def service_create(
    *,
    actor,
    code: str,
    name: dict[str, str],
    pricing_model: str,
    available_from: dt.date,
    description: dict[str, str] | None = None,
    reference_code: str = "",
    price_amount: Decimal | str | None = None,
    currency: str | None = None,
    percentage: Decimal | str | None = None,
    available_until: dt.date | None = None,
) -> Service:
    """Add a service to this partner's catalogue; ``actor`` (a User, None for a command)
    is recorded in the audit row.

    ``name``/``description``: ``{language: text}``; a name in the partner's language is
    required. ``price_amount`` (>= 0) is in the partner's currency (``currency``, when
    given, must be it); ``percentage`` is a percent of turnover (0–100). Raises
    ``ServiceInvalid``, ``ServiceCurrencyRefused`` or ``ServiceExists``.
    """
    if Service.objects.filter(code=code).exists():
        raise ServiceExists(
            extra={"fields": {"code": [_("%(code)s is already used.") % {"code": code}]}}
        )
    service = Service(code=(code or "").strip(), reference_code=(reference_code or "").strip())
    _apply_service_fields(
        service,
        {
            "name": name,
            "description": description,
            "pricing_model": pricing_model,
            "price_amount": price_amount,
            "percentage": percentage,
            "currency": currency,
            "available_from": available_from,
            "available_until": available_until,
        },
    )
    service_check(service)
    save_in_language(service, required_language(current_partner()))
    audit_record(
        actor=actor, action="catalog_service.create", obj=service, changes=audit_snapshot(service)
    )
    catalogue_state_push()
    return service


@transaction.atomic
def service_update(*, service: Service, actor, **changes: Any) -> Service:
    """Change a service (any field of ``service_create`` but ``code``); translated fields
    are merged by language. Same checks as creation, and the charter's: a change that
    stops covering a required core service is refused (``CharterBoundViolated``); the
    audit row holds what changed (none when nothing did)."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    if "code" in changes and changes["code"] != service.code:
        raise ServiceInvalid(
            _("A service's code never changes."), {"fields": {"code": [_("Read-only.")]}}
        )
    changes.pop("code", None)
    if "reference_code" in changes:
        changes["reference_code"] = (changes["reference_code"] or "").strip()
    before = audit_snapshot(service)
    _apply_service_fields(service, changes)
    service_check(service)
    catalogue_charter_check(service)
    save_in_language(service, required_language(current_partner()))
    _audit_change(actor, "catalog_service.update", service, before)
    catalogue_state_push()
    return service


@transaction.atomic
def service_save(*, service: Service, actor) -> Service:
    """Store ``service`` as the admin's form left it (the form already ran
    ``service_check``): the price's currency is the partner's and the untranslated
    columns follow the partner's language. Records ``catalog_service.create`` for a new
    service, else ``catalog_service.update`` with what changed."""
    stored = (
        Service.objects.select_for_update().filter(pk=service.pk).first() if service.pk else None
    )
    before = audit_snapshot(stored) if stored is not None else None
    _set_currency(service)
    catalogue_charter_check(service)
    save_in_language(service, required_language(current_partner()))
    if before is None:
        audit_record(
            actor=actor,
            action="catalog_service.create",
            obj=service,
            changes=audit_snapshot(service),
        )
    else:
        _audit_change(actor, "catalog_service.update", service, before)
    catalogue_state_push()
    return service


def _audit_change(actor, action: str, service: Service, before: dict[str, Any]) -> None:
    # ``updated_at`` moves on every save; it says nothing about what was changed.
    changes = audit_diff(before, audit_snapshot(service))
    changes.pop("updated_at", None)
    if changes:
        audit_record(actor=actor, action=action, obj=service, changes=changes)
