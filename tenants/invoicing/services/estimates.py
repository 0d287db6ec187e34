"""Estimates: draft, validate, send, the client's answer, and invoicing an accepted
estimate (deposits, then the balance)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import is_member, saved_user
from common.errors import ValidationFailed
from common.money import round_amount, to_decimal
from common.tenancy import current_partner
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.invoicing.exceptions import (
    EstimateNeedsValidation,
    EstimateStateInvalid,
    invalid_field,
)
from tenants.invoicing.models import Client, DocumentSequence, Estimate, EstimateLine, Invoice
from tenants.invoicing.numbering import document_number_take
from tenants.invoicing.selectors import estimate_deposit_invoices, estimate_for_update
from tenants.invoicing.services.invoices import invoice_create
from tenants.invoicing.services.pricing import (
    amount_text,
    check_activity,
    check_document_total,
    decision_for,
    document_language,
    line_inputs,
    line_rows,
    new_lines,
    notes_clean,
    priced_lines,
    reprice_draft,
    rerate_and_lock,
    set_totals,
    stored_inputs,
)
from tenants.invoicing.totals import LineInput, money_parse
from tenants.members.models import Activity
from tenants.partner_settings.selectors import partner_settings_get


@transaction.atomic
def estimate_create(
    *,
    activity: Activity,
    client: Client,
    lines: Iterable[Mapping[str, Any] | LineInput],
    created_by,
    notes: str = "",
    valid_until: dt.date | None = None,
) -> Estimate:
    """Create a draft estimate (same lines and VAT rules as an invoice). Raises
    ``InvoicingInvalid``, ``VatRateNotAllowed``."""
    check_activity(activity)
    inputs = line_inputs(lines)
    currency = current_partner().currency
    decision = decision_for(client, timezone.localdate())
    priced = priced_lines(inputs, decision, currency)
    estimate = Estimate(
        activity=activity,
        client=client,
        currency=currency,
        notes=notes_clean(notes),
        valid_until=valid_until,
        vat_regime=decision.regime,
        vat_mention=decision.mention,
        created_by=saved_user(created_by),
    )
    set_totals(estimate, priced)
    check_document_total(estimate)
    estimate.save()
    new_lines(EstimateLine, line_rows(EstimateLine, "estimate", estimate, priced))
    audit_record(
        actor=created_by,
        action="estimate.create",
        obj=estimate,
        changes=audit_snapshot(estimate, ["activity", "client", "total_incl_vat"]),
    )
    return estimate


@transaction.atomic
def estimate_update(
    *,
    estimate: Estimate,
    updated_by,
    client: Client | None = None,
    lines: Iterable[Mapping[str, Any]] | None = None,
    notes: str | None = None,
    valid_until: Any = ...,
) -> Estimate:
    """Change a draft estimate; an advisor's earlier validation is withdrawn since the
    content changed. Raises ``EstimateStateInvalid`` once sent."""
    estimate = estimate_for_update(pk=estimate.pk)
    if estimate.status != Estimate.Status.DRAFT:
        raise EstimateStateInvalid(_("Only a draft estimate can be changed."))
    before = audit_snapshot(estimate)
    if client is not None:
        estimate.client = client
    if notes is not None:
        estimate.notes = notes_clean(notes)
    if valid_until is not ...:
        estimate.valid_until = valid_until
    inputs = line_inputs(lines) if lines is not None else stored_inputs(estimate.lines.all())
    decision = decision_for(estimate.client, timezone.localdate())
    reprice_draft(estimate, EstimateLine, "estimate", inputs, decision)
    audit_record(
        actor=updated_by,
        action="estimate.update",
        obj=estimate,
        changes=audit_diff(before, audit_snapshot(estimate)),
    )
    return estimate


@transaction.atomic
def estimate_delete(*, estimate: Estimate, deleted_by) -> None:
    estimate = estimate_for_update(pk=estimate.pk)
    if estimate.status != Estimate.Status.DRAFT:
        raise EstimateStateInvalid(_("Only a draft estimate can be deleted."))
    audit_record(
        actor=deleted_by, action="estimate.delete", obj=estimate, changes=audit_snapshot(estimate)
    )
    estimate.delete()


@transaction.atomic
def estimate_validate(*, estimate: Estimate, validated_by) -> Estimate:
    """An advisor (or admin) validates a draft estimate so that its member may send it."""
    estimate = estimate_for_update(pk=estimate.pk)
    if estimate.status != Estimate.Status.DRAFT:
        raise EstimateStateInvalid(_("Only a draft estimate can be validated."))
    estimate.validated_by = saved_user(validated_by)
    estimate.validated_at = timezone.now()
    estimate.save(update_fields=["validated_by", "validated_at", "updated_at"])
    audit_record(actor=validated_by, action="estimate.validate", obj=estimate, changes={})
    return estimate


@transaction.atomic
def estimate_send(*, estimate: Estimate, sent_by) -> Estimate:
    """Send a draft estimate: decide VAT for today, number it (``EST-`` series), lock it.

    When the partner setting ``estimate_requires_validation`` is on, a member may send only
    an estimate an advisor has validated (``EstimateNeedsValidation``); staff who send
    validate by doing so. ``valid_until`` defaults to 30 days after sending.
    """
    estimate = estimate_for_update(pk=estimate.pk)
    if estimate.status != Estimate.Status.DRAFT:
        raise EstimateStateInvalid(_("Only a draft estimate can be sent."))
    by_member = is_member(sent_by)
    if by_member and estimate.validated_by_id is None:
        if partner_settings_get().estimate_requires_validation:
            raise EstimateNeedsValidation()
    elif not by_member and estimate.validated_by_id is None:
        estimate.validated_by = saved_user(sent_by)
        estimate.validated_at = timezone.now()
    today = timezone.localdate()
    lines = list(estimate.lines.all())
    if not lines:
        raise invalid_field("lines", _("An estimate needs at least one line."))
    decision = decision_for(estimate.client, today)
    priced = priced_lines(stored_inputs(lines), decision, estimate.currency)
    set_totals(estimate, priced)
    if estimate.total_excl_vat <= 0:
        raise invalid_field("lines", _("An estimate's total must be positive."))
    rerate_and_lock(EstimateLine, "estimate", estimate, lines, priced)
    taken = document_number_take(kind=DocumentSequence.Kind.ESTIMATE, year=today.year)
    estimate.number = taken.number
    estimate.year = taken.year
    estimate.sequence = taken.sequence
    estimate.issue_date = today
    estimate.valid_until = estimate.valid_until or today + dt.timedelta(days=30)
    estimate.language = document_language(estimate.client)
    estimate.vat_regime = decision.regime
    estimate.vat_mention = decision.mention
    estimate.sent_by = saved_user(sent_by)
    estimate.sent_at = timezone.now()
    estimate.status = Estimate.Status.SENT
    estimate.save()
    audit_record(
        actor=sent_by,
        action="estimate.send",
        obj=estimate,
        changes={"number": estimate.number, "status": {"before": "draft", "after": "sent"}},
    )
    return estimate


@transaction.atomic
def estimate_accept(
    *,
    estimate: Estimate,
    accepted_on: dt.date,
    accepted_by_name: str,
    method: str,
    recorded_by,
    note: str = "",
) -> Estimate:
    """Record the client's acceptance of a sent estimate: the date, who accepted for the
    client, and how (``Estimate.AcceptanceMethod``: signature, email, letter, phone,
    in_person, order)."""
    estimate = estimate_for_update(pk=estimate.pk)
    if estimate.status != Estimate.Status.SENT:
        raise EstimateStateInvalid(_("Only a sent estimate can be accepted."))
    if method not in Estimate.AcceptanceMethod.values:
        raise invalid_field(
            "method", _("One of: %(m)s.") % {"m": ", ".join(Estimate.AcceptanceMethod.values)}
        )
    name = (accepted_by_name or "").strip()
    if not name or len(name) > 200:
        raise invalid_field("accepted_by", _("Who accepted for the client (1 to 200 characters)."))
    if not isinstance(accepted_on, dt.date) or accepted_on > timezone.localdate():
        raise invalid_field("accepted_on", _("A date that is not in the future."))
    if accepted_on < estimate.issue_date:
        raise invalid_field("accepted_on", _("The estimate was sent after this date."))
    estimate.status = Estimate.Status.ACCEPTED
    estimate.accepted_on = accepted_on
    estimate.accepted_by_name = name
    estimate.acceptance_method = method
    estimate.acceptance_note = notes_clean(note)
    estimate.acceptance_recorded_by = saved_user(recorded_by)
    estimate.save()
    audit_record(
        actor=recorded_by,
        action="estimate.accept",
        obj=estimate,
        changes={"accepted_on": accepted_on, "accepted_by": name, "method": method},
    )
    return estimate


@transaction.atomic
def estimate_refuse(
    *, estimate: Estimate, refused_on: dt.date, reason: str, recorded_by
) -> Estimate:
    """Record that the client refused a sent estimate."""
    estimate = estimate_for_update(pk=estimate.pk)
    if estimate.status != Estimate.Status.SENT:
        raise EstimateStateInvalid(_("Only a sent estimate can be refused."))
    if not isinstance(refused_on, dt.date) or refused_on > timezone.localdate():
        raise invalid_field("refused_on", _("A date that is not in the future."))
    estimate.status = Estimate.Status.REFUSED
    estimate.refused_on = refused_on
    estimate.refusal_reason = notes_clean(reason)
    estimate.save()
    audit_record(
        actor=recorded_by, action="estimate.refuse", obj=estimate, changes={"reason": reason}
    )
    return estimate


def _decimal_field(value: Any, field: str) -> Decimal:
    try:
        return to_decimal(value, field)
    except ValidationFailed:
        raise invalid_field(field, _("Not a decimal number.")) from None


def _split(total: Decimal, parts: list[Decimal], fraction: Decimal, currency: str):
    """Split ``fraction`` × parts, rounded, so that the pieces add up to
    ``round(fraction × total)`` exactly (the last piece takes the remainder)."""
    target = round_amount(total * fraction, currency)
    pieces = [round_amount(part * fraction, currency) for part in parts[:-1]]
    pieces.append(target - sum(pieces, Decimal(0)))
    return pieces


@transaction.atomic
def estimate_invoice(
    *,
    estimate: Estimate,
    created_by,
    deposit_percent: Any = None,
    deposit_amount: Any = None,
) -> Invoice:
    """Turn an accepted estimate into a draft invoice, without retyping.

    - ``deposit_percent`` (a percentage, e.g. "30" for 30 %) or ``deposit_amount`` (excluding
      VAT, in the estimate's currency): a deposit invoice with one line per VAT rate of the
      estimate, for that share; several deposits may follow each other, together less
      than the estimate's total. The estimate stays ``accepted``.
    - neither: the final invoice — the estimate's lines, minus one line per VAT rate for
      each issued deposit invoice (its number named) — and the estimate becomes
      ``invoiced``. Deposit invoices must be issued first.

    Raises ``EstimateStateInvalid``, ``InvoicingInvalid``.
    """
    estimate = estimate_for_update(pk=estimate.pk)
    if estimate.status != Estimate.Status.ACCEPTED:
        raise EstimateStateInvalid(_("Only an accepted estimate can be invoiced."))
    lines = list(estimate.lines.all())
    currency = estimate.currency
    deposits = estimate_deposit_invoices(estimate=estimate)
    deposited = sum((d.total_excl_vat - d.credited_excl_vat for d in deposits), Decimal(0))
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        by_rate[line.vat_rate] = by_rate.get(line.vat_rate, Decimal(0)) + line.amount_excl_vat
    rates = sorted(by_rate)
    if deposit_percent not in (None, "") and deposit_amount not in (None, ""):
        raise invalid_field(
            "deposit_percent", _("Give a deposit percentage or an amount, not both.")
        )
    if deposit_percent not in (None, "") or deposit_amount not in (None, ""):
        if deposit_percent not in (None, ""):
            percent = _decimal_field(deposit_percent, "deposit_percent")
            if not 0 < percent < 100 or percent != percent.quantize(Decimal("0.01")):
                raise invalid_field(
                    "deposit_percent",
                    _("A percentage above 0 and below 100, with at most 2 decimals."),
                )
            fraction = percent / 100
            label = _("Deposit of %(p)s %% on estimate %(n)s") % {
                "p": percent.normalize(),
                "n": estimate.number,
            }
        else:
            amount = money_parse(deposit_amount, currency=currency, field="deposit_amount")
            if amount <= 0:
                raise invalid_field("deposit_amount", _("A positive amount excluding VAT."))
            fraction = amount / estimate.total_excl_vat
            label = _("Deposit on estimate %(n)s") % {"n": estimate.number}
        pieces = _split(estimate.total_excl_vat, [by_rate[r] for r in rates], fraction, currency)
        if deposit_amount not in (None, "") and deposit_percent in (None, ""):
            pieces[-1] += amount - sum(pieces, Decimal(0))
        if deposited + sum(pieces, Decimal(0)) >= estimate.total_excl_vat:
            raise invalid_field(
                "deposit_amount" if deposit_percent in (None, "") else "deposit_percent",
                _(
                    "Deposits must stay below the estimate's total excluding VAT (%(t)s; "
                    "already invoiced as deposits: %(d)s)."
                )
                % {
                    "t": amount_text(estimate.total_excl_vat, currency),
                    "d": amount_text(deposited, currency),
                },
            )
        inputs = [
            LineInput(
                label + (f" ({(rate * 100).normalize()} %)" if len(rates) > 1 else ""),
                Decimal(1),
                piece,
                rate,
            )
            for rate, piece in zip(rates, pieces, strict=True)
            if piece
        ]
        kind = Invoice.Kind.DEPOSIT
    else:
        pending = [d for d in deposits if d.status == Invoice.Status.DRAFT]
        if pending:
            raise EstimateStateInvalid(
                _("Issue (or delete) the draft deposit invoice first."),
                {"invoice": pending[0].pk},
            )
        inputs = stored_inputs(lines)
        for deposit in deposits:
            deposit_by_rate: dict[Decimal, Decimal] = {}
            for line in deposit.lines.all():
                deposit_by_rate[line.vat_rate] = (
                    deposit_by_rate.get(line.vat_rate, Decimal(0)) + line.amount_excl_vat
                )
            for rate, base in sorted(deposit_by_rate.items()):
                inputs.append(
                    LineInput(
                        _("Less deposit invoice %(n)s of %(d)s")
                        % {"n": deposit.number, "d": deposit.issue_date.isoformat()},
                        Decimal(1),
                        -base,
                        rate,
                    )
                )
        kind = Invoice.Kind.BALANCE if deposits else Invoice.Kind.STANDARD
    invoice = invoice_create(
        activity=estimate.activity,
        client=estimate.client,
        lines=inputs,
        created_by=created_by,
        notes=estimate.notes,
        kind=kind,
        estimate=estimate,
    )
    if kind != Invoice.Kind.DEPOSIT:
        estimate.status = Estimate.Status.INVOICED
        estimate.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=created_by,
        action="estimate.invoice",
        obj=estimate,
        changes={"invoice": invoice.pk, "kind": kind, "total_excl_vat": invoice.total_excl_vat},
    )
    return invoice
