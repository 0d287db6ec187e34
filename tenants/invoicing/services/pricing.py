"""Lines and VAT: what every document (estimate, invoice) shares.

A draft's lines are priced under a ``VatDecision`` (``tenants.invoicing.vat``) and rounded
by the rule of ``tenants.invoicing.totals``; issuing or sending re-rates them for the
document's date and locks them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from common.money import round_amount
from common.tenancy import current_partner
from tenants.invoicing.exceptions import VatRateNotAllowed, invalid_field
from tenants.invoicing.models import Client, Invoice
from tenants.invoicing.services.clients import LANGUAGES
from tenants.invoicing.totals import (
    LineAmounts,
    LineInput,
    document_totals,
    line_amounts,
    lines_parse,
)
from tenants.invoicing.vat import VatDecision, vat_decision
from tenants.members.models import Activity, ActivityStatus


def decision_for(client: Client, on: dt.date) -> VatDecision:
    """How VAT applies to a document of the current partner to ``client`` on ``on``."""
    return vat_decision(
        seller_country=current_partner().country,
        client_country=client.country,
        client_is_company=client.kind == Client.Kind.COMPANY,
        client_vat_number=client.vat_number,
        on=on,
    )


def line_inputs(lines: Iterable[Mapping[str, Any] | LineInput]) -> list[LineInput]:
    """``lines`` checked (``totals.lines_parse``), unless they are ``LineInput`` already."""
    lines = list(lines) if not isinstance(lines, list) else lines
    if lines and all(isinstance(line, LineInput) for line in lines):
        return list(lines)
    return lines_parse(lines)


def priced_lines(
    inputs: list[LineInput], decision: VatDecision, currency: str
) -> list[tuple[LineInput, LineAmounts]]:
    """Rate and round every line (``totals`` rule 1 and 2)."""
    result = []
    for i, line in enumerate(inputs):
        field = f"lines[{i}]"
        try:
            rate = decision.line_rate(line.vat_rate)
        except VatRateNotAllowed as exc:
            # Say which line: the API shows the message under lines[i].vat_rate.
            exc.extra = {**exc.extra, "fields": {f"{field}.vat_rate": [exc.message]}}
            raise
        amounts = line_amounts(
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=rate,
            currency=currency,
            field=field,
        )
        result.append((line, amounts))
    return result


def line_rows(model, parent_field: str, parent, priced, locked=False) -> list:
    """Unsaved ``model`` rows (invoice or estimate lines) of ``parent``, numbered from 1."""
    return [
        model(
            **{parent_field: parent},
            position=i + 1,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=amounts.vat_rate,
            vat_rate_explicit=line.vat_rate is not None,
            amount_excl_vat=amounts.amount_excl_vat,
            vat_amount=amounts.vat_amount,
            locked=locked,
        )
        for i, (line, amounts) in enumerate(priced)
    ]


def stored_inputs(lines) -> list[LineInput]:
    """The inputs of a draft's stored lines, to be priced again (a rate the VAT rules
    chose is chosen again; one the member stated is kept)."""
    return [
        LineInput(
            line.description,
            line.quantity,
            line.unit_price,
            line.vat_rate if line.vat_rate_explicit else None,
        )
        for line in lines
    ]


def rerate_and_lock(model, parent_field: str, parent, lines, priced) -> None:
    """Store the re-rated amounts of a draft's lines and lock them, in one UPDATE when
    nothing changed (the usual case). Goes through the base manager: the caller holds the
    draft's row lock and has checked it is a draft, so the queryset guard's extra queries
    are not needed (the database trigger still applies)."""
    changed = []
    for line, (_input, amounts) in zip(lines, priced, strict=True):
        if (line.vat_rate, line.amount_excl_vat, line.vat_amount) != (
            amounts.vat_rate,
            amounts.amount_excl_vat,
            amounts.vat_amount,
        ):
            line.vat_rate = amounts.vat_rate
            line.amount_excl_vat = amounts.amount_excl_vat
            line.vat_amount = amounts.vat_amount
            changed.append(line)
    if changed:
        model._base_manager.bulk_update(changed, ["vat_rate", "amount_excl_vat", "vat_amount"])
    # Plain SQL: this runs on every issue and the ORM's compilation of even this one-line
    # UPDATE costs several times its execution.
    column = model._meta.get_field(parent_field).column
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{model._meta.db_table}" SET locked = true WHERE "{column}" = %s',
            [parent.pk],
        )


def new_lines(model, rows) -> None:
    """Insert the lines of a draft created or edited in this transaction (base manager:
    the draft is ours, the guard's check would be a wasted query)."""
    model._base_manager.bulk_create(rows)


def set_totals(document, priced) -> None:
    """Set ``document``'s three totals from its priced lines (``totals`` rule 3)."""
    totals = document_totals(amounts for _line, amounts in priced)
    document.total_excl_vat = totals.total_excl_vat
    document.total_vat = totals.total_vat
    document.total_incl_vat = totals.total_incl_vat


def reprice_draft(document, line_model, parent_field: str, inputs, decision) -> None:
    """Price ``inputs`` under ``decision``, set the draft's VAT regime and totals (and, for
    an invoice, its amount due; for an estimate, drop its validation: what was validated
    has changed), save it and replace its lines."""
    priced = priced_lines(inputs, decision, document.currency)
    document.vat_regime = decision.regime
    document.vat_mention = decision.mention
    set_totals(document, priced)
    check_document_total(document)
    if isinstance(document, Invoice):
        document.amount_due = document.total_incl_vat
    else:
        document.validated_by = None
        document.validated_at = None
    document.save()
    document.lines.all().delete()
    new_lines(line_model, line_rows(line_model, parent_field, document, priced))


def check_document_total(document) -> None:
    """Refuse a draft invoice or estimate whose total including VAT is negative: lines may
    be negative (a discount, a deducted deposit), their sum may not (an invoice's amount
    due would be, which the database refuses; such an estimate could never be sent). Raises
    ``InvoicingInvalid`` naming ``lines``."""
    if document.total_incl_vat >= 0:
        return
    total = amount_text(document.total_incl_vat, document.currency)
    if isinstance(document, Invoice):
        message = _("The invoice's total including VAT would be %(total)s; it cannot be negative.")
    else:
        message = _("The estimate's total including VAT would be %(total)s; it cannot be negative.")
    raise invalid_field("lines", message % {"total": total}, total_incl_vat=total)


def document_language(client: Client) -> str:
    """The language of documents to ``client``: theirs, else the partner's, else the
    platform's default."""
    if client.language in LANGUAGES:
        return client.language
    language = current_partner().language
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def notes_clean(notes: str | None) -> str:
    """``notes`` trimmed; at most 5000 characters (else ``InvoicingInvalid``)."""
    notes = (notes or "").strip()
    if len(notes) > 5000:
        raise invalid_field("notes", _("At most 5000 characters."))
    return notes


def check_activity(activity: Activity) -> None:
    """Refuse a document for an activity that is not active (``InvoicingInvalid``)."""
    if activity.status != ActivityStatus.ACTIVE:
        raise invalid_field("activity", _("The activity is not active."))


def amount_text(value: Decimal, currency: str) -> str:
    """An amount as a decimal string with the currency's digits (``"119.00"``)."""
    return str(round_amount(value, currency))
