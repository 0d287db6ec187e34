"""Writing clients, invoices, credit notes, payments and estimates.

Every service is one transaction and writes an audit row. Amounts are ``Decimal`` in the
partner's currency (one currency per partner); VAT and fee rates are fractions
(0.19 = 19 %). Rounding: see ``tenants.invoicing.totals``. VAT rules: see
``tenants.invoicing.vat``. Numbering: see ``tenants.invoicing.numbering``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import is_member, saved_user
from common.countries import country_code
from common.errors import ValidationFailed
from common.money import Money, round_amount, to_decimal
from common.tenancy import current_partner
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.invoicing.exceptions import (
    ClientNotOwned,
    CreditNoteTooLarge,
    EstimateNeedsValidation,
    EstimateStateInvalid,
    InvoiceNotDraft,
    InvoiceStateInvalid,
    OverpaymentRefused,
    VatRateNotAllowed,
    invalid_field,
)
from tenants.invoicing.models import (
    Client,
    CreditNote,
    CreditNoteLine,
    DocumentSequence,
    Estimate,
    EstimateLine,
    Invoice,
    InvoiceLine,
    Payment,
)
from tenants.invoicing.numbering import document_number_take
from tenants.invoicing.totals import (
    LineAmounts,
    LineInput,
    document_totals,
    line_amounts,
    lines_parse,
    money_parse,
)
from tenants.invoicing.vat import VatDecision, vat_decision, vat_number_normalize
from tenants.members.models import Activity, ActivityStatus
from tenants.members.services import ledger_post
from tenants.partner_settings.selectors import fee_rate, partner_settings_get
from tenants.payroll.services import fund_feed_from_fee, fund_recover_for_invoice

_LANGUAGES = {code for code, _name in settings.LANGUAGES}
FEE_RULE_SOURCE = "partner settings fee rate"


def _today() -> dt.date:
    return timezone.localdate()


def _amt(value: Decimal, currency: str) -> str:
    """An amount as a decimal string with the currency's digits (``"119.00"``)."""
    return str(round_amount(value, currency))


# --- Clients ---------------------------------------------------------------------------

CLIENT_FIELDS = ("name", "kind", "country", "vat_number", "address", "email", "language")


def _client_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check client fields (see ``client_create``) and return them normalised."""
    clean: dict[str, Any] = {}
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise invalid_field(sorted(unknown)[0], _("Unknown field."))
    if "name" in data:
        name = str(data["name"] or "").strip()
        if not name or len(name) > 200:
            raise invalid_field("name", _("A name of 1 to 200 characters is required."))
        clean["name"] = name
    if "kind" in data:
        if data["kind"] not in Client.Kind.values:
            raise invalid_field("kind", _("One of: company, person."))
        clean["kind"] = data["kind"]
    if "country" in data:
        country = country_code(data["country"])
        if country is None:
            raise invalid_field("country", _("An ISO 3166-1 alpha-2 country code is required."))
        clean["country"] = country
    for field in ("address", "email", "language", "vat_number"):
        if field in data:
            clean[field] = str(data[field] or "").strip()
    if clean.get("email"):
        try:
            validate_email(clean["email"])
        except DjangoValidationError:
            raise invalid_field("email", _("Not a valid email address.")) from None
    if clean.get("language") and clean["language"] not in _LANGUAGES:
        raise invalid_field(
            "language", _("One of: %(codes)s.") % {"codes": ", ".join(sorted(_LANGUAGES))}
        )
    if len(clean.get("address", "")) > 1000:
        raise invalid_field("address", _("At most 1000 characters."))
    return clean


@transaction.atomic
def client_create(
    *,
    name: str,
    country: str,
    created_by,
    kind: str = Client.Kind.COMPANY,
    vat_number: str = "",
    address: str = "",
    email: str = "",
    language: str = "",
) -> Client:
    """Create a client. ``country`` is ISO 3166-1 alpha-2; ``vat_number`` is checked for
    that country with python-stdnum (``vat.vat_number_normalize``) and stored compact;
    ``language`` is a platform language code or empty (the partner's).

    Raises ``InvoicingInvalid`` or ``ClientVatNumberInvalid`` (``extra.fields``).
    """
    clean = _client_clean(
        {
            "name": name,
            "kind": kind,
            "country": country,
            "vat_number": vat_number,
            "address": address,
            "email": email,
            "language": language,
        }
    )
    clean["vat_number"] = vat_number_normalize(country=clean["country"], number=clean["vat_number"])
    client = Client.objects.create(created_by=saved_user(created_by), **clean)
    audit_record(actor=created_by, action="client.create", obj=client, changes=clean)
    return client


@transaction.atomic
def client_update(*, client: Client, data: Mapping[str, Any], updated_by) -> Client:
    """Change some of a client's fields (same rules as ``client_create``). Issued
    documents keep the client as it was when they were issued. A member may change only
    the clients they created (else ``ClientNotOwned``)."""
    _check_client_owner(client, updated_by)
    client = Client.objects.select_for_update().get(pk=client.pk)
    clean = _client_clean(data)
    before = audit_snapshot(client, list(CLIENT_FIELDS))
    for field, value in clean.items():
        setattr(client, field, value)
    client.vat_number = vat_number_normalize(country=client.country, number=client.vat_number)
    client.save()
    changes = audit_diff(before, audit_snapshot(client, list(CLIENT_FIELDS)))
    if changes:
        audit_record(actor=updated_by, action="client.update", obj=client, changes=changes)
    return client


@transaction.atomic
def client_delete(*, client: Client, deleted_by) -> None:
    """Delete a client that no estimate or invoice uses (else ``InvoiceStateInvalid``). A
    member may delete only the clients they created (else ``ClientNotOwned``)."""
    _check_client_owner(client, deleted_by)
    if client.invoices.exists() or client.estimates.exists():
        raise InvoiceStateInvalid(_("This client has documents and cannot be deleted."))
    audit_record(
        actor=deleted_by,
        action="client.delete",
        obj=client,
        changes=audit_snapshot(client, list(CLIENT_FIELDS)),
    )
    client.delete()


def _check_client_owner(client: Client, user) -> None:
    # A member sees the clients on their own documents, whoever created them; changing one
    # would change other members' drafts (name, address, and the VAT decision by country).
    if is_member(user) and client.created_by_id != user.pk:
        raise ClientNotOwned()


# --- Lines and VAT ---------------------------------------------------------------------


def _decision_for(client: Client, on: dt.date) -> VatDecision:
    return vat_decision(
        seller_country=current_partner().country,
        client_country=client.country,
        client_is_company=client.kind == Client.Kind.COMPANY,
        client_vat_number=client.vat_number,
        on=on,
    )


def _as_inputs(lines: Iterable[Mapping[str, Any] | LineInput]) -> list[LineInput]:
    lines = list(lines) if not isinstance(lines, list) else lines
    if lines and all(isinstance(line, LineInput) for line in lines):
        return list(lines)
    return lines_parse(lines)


def _priced_lines(
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


def _line_rows(model, parent_field: str, parent, priced, locked=False) -> list:
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


def _stored_inputs(lines) -> list[LineInput]:
    return [
        LineInput(
            line.description,
            line.quantity,
            line.unit_price,
            line.vat_rate if line.vat_rate_explicit else None,
        )
        for line in lines
    ]


def _rerate_and_lock(model, parent_field: str, parent, lines, priced) -> None:
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


def _new_lines(model, rows) -> None:
    """Insert the lines of a draft created or edited in this transaction (base manager:
    the draft is ours, the guard's check would be a wasted query)."""
    model._base_manager.bulk_create(rows)


def _set_totals(document, priced) -> None:
    totals = document_totals(amounts for _line, amounts in priced)
    document.total_excl_vat = totals.total_excl_vat
    document.total_vat = totals.total_vat
    document.total_incl_vat = totals.total_incl_vat


def _document_language(client: Client) -> str:
    if client.language in _LANGUAGES:
        return client.language
    language = current_partner().language
    return language if language in _LANGUAGES else settings.LANGUAGE_CODE


def _client_snapshot(client: Client) -> dict[str, Any]:
    return {
        "id": client.pk,
        "name": client.name,
        "kind": client.kind,
        "country": client.country,
        "vat_number": client.vat_number,
        "address": client.address,
        "email": client.email,
    }


def _seller_snapshot() -> dict[str, Any]:
    partner = current_partner()
    return {
        "name": partner.name,
        "country": partner.country,
        "legal_form": partner.legal_form,
        "locale": partner.default_locale,
    }


def _check_activity(activity: Activity) -> None:
    if activity.status != ActivityStatus.ACTIVE:
        raise invalid_field("activity", _("The activity is not active."))


# --- Invoices --------------------------------------------------------------------------


@transaction.atomic
def invoice_create(
    *,
    activity: Activity,
    client: Client,
    lines: Iterable[Mapping[str, Any] | LineInput],
    created_by,
    notes: str = "",
    payment_terms_days: int | None = None,
    kind: str = Invoice.Kind.STANDARD,
    estimate: Estimate | None = None,
) -> Invoice:
    """Create a draft invoice of ``activity`` to ``client``.

    ``lines``: ``[{"description", "quantity", "unit_price", "vat_rate"?}]`` with decimal
    strings (or ``LineInput``); see ``totals.line_parse``. VAT is decided for today and
    decided again on the issue date. ``payment_terms_days`` None: the partner's default.
    Raises ``InvoicingInvalid``, ``VatRateNotAllowed``, ``VatRuleMissing``.
    """
    _check_activity(activity)
    inputs = _as_inputs(lines)
    currency = current_partner().currency
    decision = _decision_for(client, _today())
    priced = _priced_lines(inputs, decision, currency)
    invoice = Invoice(
        activity=activity,
        client=client,
        estimate=estimate,
        kind=kind,
        currency=currency,
        notes=_notes(notes),
        payment_terms_days=_terms(payment_terms_days),
        vat_regime=decision.regime,
        vat_mention=decision.mention,
        created_by=saved_user(created_by),
    )
    _set_totals(invoice, priced)
    invoice.amount_due = invoice.total_incl_vat
    invoice.save()
    _new_lines(InvoiceLine, _line_rows(InvoiceLine, "invoice", invoice, priced))
    audit_record(
        actor=created_by,
        action="invoice.create",
        obj=invoice,
        changes=audit_snapshot(
            invoice, ["activity", "client", "kind", "total_excl_vat", "total_vat", "total_incl_vat"]
        ),
    )
    return invoice


def _notes(notes: str | None) -> str:
    notes = (notes or "").strip()
    if len(notes) > 5000:
        raise invalid_field("notes", _("At most 5000 characters."))
    return notes


def _terms(days: Any) -> int | None:
    if days is None or days == "":
        return None
    try:
        value = int(days)
    except (TypeError, ValueError):
        raise invalid_field("payment_terms_days", _("A whole number of days.")) from None
    if not 0 <= value <= 365:
        raise invalid_field("payment_terms_days", _("Between 0 and 365 days."))
    return value


def _reprice_draft(document, line_model, parent_field: str, inputs, decision) -> None:
    """Price ``inputs`` under ``decision``, set the draft's VAT regime and totals (and, for
    an invoice, its amount due; for an estimate, drop its validation: what was validated
    has changed), save it and replace its lines."""
    priced = _priced_lines(inputs, decision, document.currency)
    document.vat_regime = decision.regime
    document.vat_mention = decision.mention
    _set_totals(document, priced)
    if isinstance(document, Invoice):
        document.amount_due = document.total_incl_vat
    else:
        document.validated_by = None
        document.validated_at = None
    document.save()
    document.lines.all().delete()
    _new_lines(line_model, _line_rows(line_model, parent_field, document, priced))


def _lock_invoice(invoice: Invoice, related: tuple[str, ...] = ("client", "activity")) -> Invoice:
    """The invoice again, its row locked until the transaction ends (the ``related`` rows
    loaded in the same query, not locked)."""
    return (
        Invoice.objects.select_related(*related).select_for_update(of=("self",)).get(pk=invoice.pk)
    )


@transaction.atomic
def invoice_update(
    *,
    invoice: Invoice,
    updated_by,
    client: Client | None = None,
    lines: Iterable[Mapping[str, Any]] | None = None,
    notes: str | None = None,
    payment_terms_days: Any = ...,
) -> Invoice:
    """Change a draft invoice (its client, lines, notes or terms); lines are replaced as a
    whole. Raises ``InvoiceNotDraft`` for an issued invoice."""
    invoice = _lock_invoice(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise InvoiceNotDraft()
    before = audit_snapshot(invoice)
    if client is not None:
        invoice.client = client
    if notes is not None:
        invoice.notes = _notes(notes)
    if payment_terms_days is not ...:
        invoice.payment_terms_days = _terms(payment_terms_days)
    inputs = _as_inputs(lines) if lines is not None else _stored_inputs(invoice.lines.all())
    decision = _decision_for(invoice.client, _today())
    _reprice_draft(invoice, InvoiceLine, "invoice", inputs, decision)
    audit_record(
        actor=updated_by,
        action="invoice.update",
        obj=invoice,
        changes=audit_diff(before, audit_snapshot(invoice)),
    )
    return invoice


@transaction.atomic
def invoice_delete(*, invoice: Invoice, deleted_by) -> None:
    """Delete a draft invoice (it has no number yet). Raises ``InvoiceNotDraft``."""
    invoice = _lock_invoice(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise InvoiceNotDraft()
    audit_record(
        actor=deleted_by, action="invoice.delete", obj=invoice, changes=audit_snapshot(invoice)
    )
    invoice.delete()


# What ``invoice_issue`` writes; the rest of the draft was saved when it was created.
ISSUE_FIELDS = [
    "number",
    "year",
    "sequence",
    "issue_date",
    "due_date",
    "payment_terms_days",
    "vat_regime",
    "vat_mention",
    "language",
    "client_snapshot",
    "seller_snapshot",
    "total_excl_vat",
    "total_vat",
    "total_incl_vat",
    "amount_due",
    "status",
    "issued_by",
    "issued_at",
    "updated_at",
]


@transaction.atomic
def invoice_issue(*, invoice: Invoice, issued_by, issue_date: dt.date | None = None) -> Invoice:
    """Issue a draft invoice: decide VAT for ``issue_date`` (default today), re-rate and
    re-round the lines, freeze the client and seller details, set the due date (issue date
    + payment terms), take the next gapless number of the issue year, and lock the invoice.

    ``issue_date`` may not be in the future nor before the last invoice issued in its year
    (numbers follow dates). Raises ``InvoiceNotDraft``, ``InvoicingInvalid`` (empty or
    non-positive total), ``VatRateNotAllowed``, ``VatRuleMissing``.
    """
    invoice = _lock_invoice(invoice, related=("client",))
    if invoice.status != Invoice.Status.DRAFT:
        raise InvoiceNotDraft()
    today = _today()
    explicit_date = issue_date is not None
    issue_date = issue_date or today
    if issue_date > today:
        raise invalid_field("issue_date", _("An invoice cannot be issued in the future."))
    client = invoice.client
    decision = _decision_for(client, issue_date)
    lines = list(invoice.lines.all())
    if not lines:
        raise invalid_field("lines", _("An invoice needs at least one line."))
    priced = _priced_lines(_stored_inputs(lines), decision, invoice.currency)
    _set_totals(invoice, priced)
    if invoice.total_incl_vat <= 0 or invoice.total_excl_vat <= 0:
        raise invalid_field("lines", _("An invoice's total must be positive."))
    _rerate_and_lock(InvoiceLine, "invoice", invoice, lines, priced)
    partner_settings = partner_settings_get()
    terms = invoice.payment_terms_days
    if terms is None:
        terms = partner_settings.payment_terms_days
    # Taken last: the counter row stays locked until this transaction commits.
    taken = document_number_take(
        kind=DocumentSequence.Kind.INVOICE,
        year=issue_date.year,
        number_format=partner_settings.invoice_number_format,
    )
    if explicit_date:
        latest = (
            Invoice.objects.filter(year=issue_date.year, issue_date__isnull=False)
            .order_by("-issue_date")
            .values_list("issue_date", flat=True)
            .first()
        )
        if latest and latest > issue_date:
            raise invalid_field(
                "issue_date",
                _("Invoices of %(year)s were already issued on %(date)s; numbers follow dates.")
                % {"year": issue_date.year, "date": latest.isoformat()},
            )
    invoice.number = taken.number
    invoice.year = taken.year
    invoice.sequence = taken.sequence
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + dt.timedelta(days=terms)
    invoice.payment_terms_days = terms
    invoice.vat_regime = decision.regime
    invoice.vat_mention = decision.mention
    invoice.language = _document_language(client)
    invoice.client_snapshot = _client_snapshot(client)
    invoice.seller_snapshot = _seller_snapshot()
    invoice.amount_due = invoice.total_incl_vat
    invoice.status = Invoice.Status.ISSUED
    invoice.issued_by = saved_user(issued_by)
    invoice.issued_at = timezone.now()
    invoice.save(update_fields=ISSUE_FIELDS)
    audit_record(
        actor=issued_by,
        action="invoice.issue",
        obj=invoice,
        changes={
            "number": invoice.number,
            "issue_date": issue_date,
            "due_date": invoice.due_date,
            "vat_regime": decision.regime,
            "vat_source": decision.source,
            "total_excl_vat": invoice.total_excl_vat,
            "total_vat": invoice.total_vat,
            "total_incl_vat": invoice.total_incl_vat,
            "status": {"before": "draft", "after": "issued"},
        },
    )
    return invoice


# --- Payments --------------------------------------------------------------------------


def _payment_share_excl_vat(invoice: Invoice, amount: Decimal) -> Decimal:
    """The part of ``amount`` excluding VAT: pro rata of the invoice's net totals (after
    credit notes), rounded; the payment that settles the invoice takes the remainder, so
    the shares always add up to the invoice's net total excluding VAT."""
    net_incl = invoice.total_incl_vat - invoice.amount_credited
    net_excl = invoice.total_excl_vat - invoice.credited_excl_vat
    if amount == invoice.amount_due:
        return net_excl - invoice.collected_excl_vat
    return round_amount(amount * net_excl / net_incl, invoice.currency)


@transaction.atomic
def invoice_payment_record(
    *, invoice: Invoice, amount: Any, received_on: dt.date, recorded_by
) -> Payment:
    """Record a client's payment of ``amount`` (decimal string or Decimal, in the invoice's
    currency, at most its digits) received on ``received_on``.

    Then, all in this transaction: credit the activity's ledger with the payment's share
    excluding VAT (kind ``turnover_collected``); take the cooperative's fee on that share
    at ``fee_rate(on=received_on)`` (kind ``fee``, negative, ``rule`` naming rate, base and
    source); feed the guarantee fund from the fee; recover any fund advance on the
    invoice; set the status (``partly_paid`` or ``paid``); audit.

    Raises ``InvoiceStateInvalid`` (draft or cancelled invoice), ``OverpaymentRefused``
    (more than ``amount_due``; nothing is changed), ``InvoicingInvalid`` (bad amount or
    date).
    """
    invoice = _lock_invoice(invoice, related=("activity",))
    if invoice.status not in (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID):
        raise InvoiceStateInvalid(
            _("A payment can be recorded only on an issued, unpaid invoice (this one is %(s)s).")
            % {"s": invoice.get_status_display()},
            {"status": invoice.status},
        )
    amount = money_parse(amount, currency=invoice.currency, field="amount")
    if amount <= 0:
        raise invalid_field("amount", _("A payment is positive."))
    if not isinstance(received_on, dt.date):
        raise invalid_field("date", _("A date is required."))
    if received_on > _today():
        raise invalid_field("date", _("A payment cannot be received in the future."))
    if received_on < invoice.issue_date:
        raise invalid_field("date", _("The payment date is before the invoice's issue date."))
    if amount > invoice.amount_due:
        due = _amt(invoice.amount_due, invoice.currency)
        raise OverpaymentRefused(
            _("The payment of %(amount)s is more than the %(due)s still due on %(number)s.")
            % {"amount": amount, "due": due, "number": invoice.number},
            {"fields": {"amount": [_("At most %(due)s.") % {"due": due}]}, "amount_due": due},
        )
    before = audit_snapshot(invoice, ["status", "amount_paid", "amount_due"])
    share = _payment_share_excl_vat(invoice, amount)
    rate = fee_rate(on=received_on)
    fee = round_amount(share * rate, invoice.currency)
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        currency=invoice.currency,
        received_on=received_on,
        share_excl_vat=share,
        fee_rate=rate,
        fee_amount=fee,
        recorded_by=saved_user(recorded_by),
    )
    activity = invoice.activity
    if share:
        ledger_post(
            activity=activity,
            kind="turnover_collected",
            amount=Money(share, invoice.currency),
            booked_on=received_on,
            description=_("Payment of invoice %(number)s") % {"number": invoice.number},
            rule={
                "rule": "turnover_collected",
                "payment": str(amount),
                "base": "payment × total excluding VAT / total including VAT",
                "invoice_total_excl_vat": str(invoice.total_excl_vat - invoice.credited_excl_vat),
                "invoice_total_incl_vat": str(invoice.total_incl_vat - invoice.amount_credited),
            },
            source=payment,
            idempotency_key=f"invoicing.payment.{payment.pk}.turnover",
            created_by=saved_user(recorded_by),
        )
    if fee:
        fee_entry = ledger_post(
            activity=activity,
            kind="fee",
            amount=Money(-fee, invoice.currency),
            booked_on=received_on,
            description=_("Cooperative fee on payment of invoice %(number)s")
            % {"number": invoice.number},
            rule={
                "rule": "fee",
                "rate": str(rate),
                "base": str(share),
                "currency": invoice.currency,
                "on": received_on.isoformat(),
                "source": FEE_RULE_SOURCE,
                "rounding": "half-up to the currency's minor unit",
            },
            source=payment,
            idempotency_key=f"invoicing.payment.{payment.pk}.fee",
            created_by=saved_user(recorded_by),
        )
        fund_feed_from_fee(fee_entry=fee_entry)
    invoice.amount_paid += amount
    invoice.collected_excl_vat += share
    invoice.amount_due = invoice.total_incl_vat - invoice.amount_paid - invoice.amount_credited
    invoice.status = Invoice.Status.PAID if invoice.amount_due == 0 else Invoice.Status.PARTLY_PAID
    invoice.save(
        update_fields=["amount_paid", "collected_excl_vat", "amount_due", "status", "updated_at"]
    )
    fund_recover_for_invoice(invoice=invoice, payment=payment)
    audit_record(
        actor=recorded_by,
        action="invoice.payment",
        obj=invoice,
        changes={
            **audit_diff(before, audit_snapshot(invoice, ["status", "amount_paid", "amount_due"])),
            "payment": payment.pk,
            "amount": amount,
            "received_on": received_on,
            "share_excl_vat": share,
            "fee_rate": rate,
            "fee": fee,
        },
    )
    return payment


# --- Credit notes ----------------------------------------------------------------------


@transaction.atomic
def invoice_credit_note_create(
    *,
    invoice: Invoice,
    reason: str,
    created_by,
    lines: Iterable[Mapping[str, Any]] | None = None,
    issue_date: dt.date | None = None,
) -> CreditNote:
    """Issue a numbered credit note against an issued invoice.

    Without ``lines``: a full credit note, copying the invoice's lines; allowed while
    nothing is paid or credited yet; it cancels the invoice. With ``lines`` (same shape as
    an invoice's): a partial credit note; each line's ``vat_rate`` must be one of the
    invoice's rates (default: the invoice's rate when it has only one). A credit note
    lowers ``amount_due`` and may not exceed it (refunds of paid amounts are not handled
    here); when nothing remains due the invoice becomes ``cancelled`` (nothing was paid)
    or ``paid``. Turnover reaches the ledger only on payment, so a credit note posts no
    ledger entry.

    Raises ``InvoiceStateInvalid``, ``CreditNoteTooLarge``, ``InvoicingInvalid``.
    """
    invoice = _lock_invoice(invoice)
    if invoice.status not in (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID):
        raise InvoiceStateInvalid(
            _(
                "Only an issued invoice with an amount still due can be credited "
                "(this one is %(s)s)."
            )
            % {"s": invoice.get_status_display()},
            {"status": invoice.status},
        )
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", _("A reason is required."))
    today = _today()
    issue_date = issue_date or today
    if issue_date > today or issue_date < invoice.issue_date:
        raise invalid_field("issue_date", _("Between the invoice's issue date and today."))
    invoice_lines = list(invoice.lines.all())
    invoice_rates = {line.vat_rate for line in invoice_lines}
    if lines is None:
        if invoice.amount_paid or invoice.amount_credited:
            due = _amt(invoice.amount_due, invoice.currency)
            message = _(
                "Part of this invoice is already paid or credited: credit the remaining "
                "%(due)s with explicit lines."
            ) % {"due": due}
            raise CreditNoteTooLarge(message, {"fields": {"lines": [message]}, "amount_due": due})
        priced = [
            (
                LineInput(line.description, line.quantity, line.unit_price, line.vat_rate),
                LineAmounts(line.amount_excl_vat, line.vat_rate, line.vat_amount),
            )
            for line in invoice_lines
        ]
    else:
        inputs = lines_parse(list(lines))
        default = next(iter(invoice_rates)) if len(invoice_rates) == 1 else None
        priced = []
        for i, line in enumerate(inputs):
            rate = line.vat_rate if line.vat_rate is not None else default
            if rate is None or rate not in invoice_rates:
                raise invalid_field(
                    f"lines[{i}].vat_rate",
                    _("One of the invoice's VAT rates: %(rates)s.")
                    % {"rates": ", ".join(str(r) for r in sorted(invoice_rates))},
                )
            priced.append(
                (
                    line,
                    line_amounts(
                        quantity=line.quantity,
                        unit_price=line.unit_price,
                        vat_rate=rate,
                        currency=invoice.currency,
                        field=f"lines[{i}]",
                    ),
                )
            )
    totals = document_totals(amounts for _line, amounts in priced)
    if totals.total_incl_vat <= 0:
        raise invalid_field("lines", _("A credit note's total must be positive."))
    if totals.total_incl_vat > invoice.amount_due:
        due = _amt(invoice.amount_due, invoice.currency)
        total = _amt(totals.total_incl_vat, invoice.currency)
        message = _("The credit note (%(total)s) is more than the %(due)s still due.") % {
            "total": total,
            "due": due,
        }
        raise CreditNoteTooLarge(
            message, {"fields": {"lines": [message]}, "amount_due": due, "total": total}
        )
    before = audit_snapshot(invoice, ["status", "amount_credited", "amount_due"])
    taken = document_number_take(kind=DocumentSequence.Kind.CREDIT_NOTE, year=issue_date.year)
    note = CreditNote.objects.create(
        invoice=invoice,
        number=taken.number,
        year=taken.year,
        sequence=taken.sequence,
        currency=invoice.currency,
        language=invoice.language,
        vat_regime=invoice.vat_regime,
        vat_mention=invoice.vat_mention,
        total_excl_vat=totals.total_excl_vat,
        total_vat=totals.total_vat,
        total_incl_vat=totals.total_incl_vat,
        issue_date=issue_date,
        reason=reason[:2000],
        created_by=saved_user(created_by),
    )
    rows = []
    for i, (line, amounts) in enumerate(priced):
        rows.append(
            CreditNoteLine(
                credit_note=note,
                position=i + 1,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                vat_rate=amounts.vat_rate,
                vat_rate_explicit=True,
                amount_excl_vat=amounts.amount_excl_vat,
                vat_amount=amounts.vat_amount,
                locked=True,
            )
        )
    CreditNoteLine.objects.bulk_create(rows)
    invoice.amount_credited += totals.total_incl_vat
    invoice.credited_excl_vat += totals.total_excl_vat
    invoice.amount_due = invoice.total_incl_vat - invoice.amount_paid - invoice.amount_credited
    if invoice.amount_due == 0:
        invoice.status = Invoice.Status.PAID if invoice.amount_paid else Invoice.Status.CANCELLED
    invoice.save(
        update_fields=["amount_credited", "credited_excl_vat", "amount_due", "status", "updated_at"]
    )
    audit_record(
        actor=created_by,
        action="invoice.credit_note",
        obj=invoice,
        changes={
            **audit_diff(
                before, audit_snapshot(invoice, ["status", "amount_credited", "amount_due"])
            ),
            "credit_note": note.number,
            "reason": reason,
            "total_incl_vat": totals.total_incl_vat,
        },
    )
    return note


# --- Estimates -------------------------------------------------------------------------


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
    _check_activity(activity)
    inputs = _as_inputs(lines)
    currency = current_partner().currency
    decision = _decision_for(client, _today())
    priced = _priced_lines(inputs, decision, currency)
    estimate = Estimate(
        activity=activity,
        client=client,
        currency=currency,
        notes=_notes(notes),
        valid_until=valid_until,
        vat_regime=decision.regime,
        vat_mention=decision.mention,
        created_by=saved_user(created_by),
    )
    _set_totals(estimate, priced)
    estimate.save()
    _new_lines(EstimateLine, _line_rows(EstimateLine, "estimate", estimate, priced))
    audit_record(
        actor=created_by,
        action="estimate.create",
        obj=estimate,
        changes=audit_snapshot(estimate, ["activity", "client", "total_incl_vat"]),
    )
    return estimate


def _lock_estimate(estimate: Estimate) -> Estimate:
    return Estimate.objects.select_for_update().get(pk=estimate.pk)


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
    estimate = _lock_estimate(estimate)
    if estimate.status != Estimate.Status.DRAFT:
        raise EstimateStateInvalid(_("Only a draft estimate can be changed."))
    before = audit_snapshot(estimate)
    if client is not None:
        estimate.client = client
    if notes is not None:
        estimate.notes = _notes(notes)
    if valid_until is not ...:
        estimate.valid_until = valid_until
    inputs = _as_inputs(lines) if lines is not None else _stored_inputs(estimate.lines.all())
    decision = _decision_for(estimate.client, _today())
    _reprice_draft(estimate, EstimateLine, "estimate", inputs, decision)
    audit_record(
        actor=updated_by,
        action="estimate.update",
        obj=estimate,
        changes=audit_diff(before, audit_snapshot(estimate)),
    )
    return estimate


@transaction.atomic
def estimate_delete(*, estimate: Estimate, deleted_by) -> None:
    estimate = _lock_estimate(estimate)
    if estimate.status != Estimate.Status.DRAFT:
        raise EstimateStateInvalid(_("Only a draft estimate can be deleted."))
    audit_record(
        actor=deleted_by, action="estimate.delete", obj=estimate, changes=audit_snapshot(estimate)
    )
    estimate.delete()


@transaction.atomic
def estimate_validate(*, estimate: Estimate, validated_by) -> Estimate:
    """An advisor (or admin) validates a draft estimate so that its member may send it."""
    estimate = _lock_estimate(estimate)
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
    estimate = _lock_estimate(estimate)
    if estimate.status != Estimate.Status.DRAFT:
        raise EstimateStateInvalid(_("Only a draft estimate can be sent."))
    by_member = is_member(sent_by)
    if by_member and estimate.validated_by_id is None:
        if partner_settings_get().estimate_requires_validation:
            raise EstimateNeedsValidation()
    elif not by_member and estimate.validated_by_id is None:
        estimate.validated_by = saved_user(sent_by)
        estimate.validated_at = timezone.now()
    today = _today()
    lines = list(estimate.lines.all())
    if not lines:
        raise invalid_field("lines", _("An estimate needs at least one line."))
    decision = _decision_for(estimate.client, today)
    priced = _priced_lines(_stored_inputs(lines), decision, estimate.currency)
    _set_totals(estimate, priced)
    if estimate.total_excl_vat <= 0:
        raise invalid_field("lines", _("An estimate's total must be positive."))
    _rerate_and_lock(EstimateLine, "estimate", estimate, lines, priced)
    taken = document_number_take(kind=DocumentSequence.Kind.ESTIMATE, year=today.year)
    estimate.number = taken.number
    estimate.year = taken.year
    estimate.sequence = taken.sequence
    estimate.issue_date = today
    estimate.valid_until = estimate.valid_until or today + dt.timedelta(days=30)
    estimate.language = _document_language(estimate.client)
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
    estimate = _lock_estimate(estimate)
    if estimate.status != Estimate.Status.SENT:
        raise EstimateStateInvalid(_("Only a sent estimate can be accepted."))
    if method not in Estimate.AcceptanceMethod.values:
        raise invalid_field(
            "method", _("One of: %(m)s.") % {"m": ", ".join(Estimate.AcceptanceMethod.values)}
        )
    name = (accepted_by_name or "").strip()
    if not name or len(name) > 200:
        raise invalid_field("accepted_by", _("Who accepted for the client (1 to 200 characters)."))
    if not isinstance(accepted_on, dt.date) or accepted_on > _today():
        raise invalid_field("accepted_on", _("A date that is not in the future."))
    if accepted_on < estimate.issue_date:
        raise invalid_field("accepted_on", _("The estimate was sent after this date."))
    estimate.status = Estimate.Status.ACCEPTED
    estimate.accepted_on = accepted_on
    estimate.accepted_by_name = name
    estimate.acceptance_method = method
    estimate.acceptance_note = _notes(note)
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
    estimate = _lock_estimate(estimate)
    if estimate.status != Estimate.Status.SENT:
        raise EstimateStateInvalid(_("Only a sent estimate can be refused."))
    if not isinstance(refused_on, dt.date) or refused_on > _today():
        raise invalid_field("refused_on", _("A date that is not in the future."))
    estimate.status = Estimate.Status.REFUSED
    estimate.refused_on = refused_on
    estimate.refusal_reason = _notes(reason)
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
    estimate = _lock_estimate(estimate)
    if estimate.status != Estimate.Status.ACCEPTED:
        raise EstimateStateInvalid(_("Only an accepted estimate can be invoiced."))
    lines = list(estimate.lines.all())
    currency = estimate.currency
    deposits = list(
        estimate.invoices.filter(kind=Invoice.Kind.DEPOSIT)
        .exclude(status=Invoice.Status.CANCELLED)
        .prefetch_related("lines")
    )
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
                % {"t": _amt(estimate.total_excl_vat, currency), "d": _amt(deposited, currency)},
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
        inputs = _stored_inputs(lines)
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
