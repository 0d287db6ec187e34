"""Invoicing, inside a partner's schema: clients, estimates, invoices, credit notes,
payments, and the gapless number counters.

Money columns are ``DecimalField(MAX_DIGITS, DECIMAL_PLACES)`` with a ``currency`` beside
them (the partner's currency); VAT rates are fractions (0.1900 = 19 %). How amounts are
rounded is stated in ``tenants.invoicing.totals``.

Immutability: an issued invoice's content (lines, client, amounts, number, dates) never
changes; only its payment state does (status, amount paid, credited, due). Credit notes
and payments are never changed once written. The guard is in the ORM (``save``,
``delete`` and querysets' ``update``/``delete``/``bulk_update``), see ``immutability``; the
services refuse first, with a clearer message. (A database trigger would be stronger, but
the template capture of ``tenants.partners.template`` refuses schemas with triggers.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.money import DECIMAL_PLACES, MAX_DIGITS
from tenants.invoicing.immutability import (
    AppendOnlyModel,
    AppendOnlyQuerySet,
    ChildOfLockedModel,
    ChildOfLockedQuerySet,
    LockedAfterDraftModel,
    LockedAfterDraftQuerySet,
)
from tenants.invoicing.vat import Regime


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", 0)
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


class Client(models.Model):
    """A company or a person a member works for.

    ``vat_number`` is stored compact and checked for ``country`` (``vat.vat_number_normalize``);
    ``language`` (a Django language code, empty for the partner's) is the language of the
    documents sent to the client.
    """

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Person")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    vat_number = models.CharField(_("VAT number"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["company", "person"]), name="client_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"), name="client_country_iso"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentSequence(models.Model):
    """The last number used for one kind of document in one year, in this partner's schema.

    The issuing transaction increments the row (``UPDATE ... RETURNING``, which locks it);
    a number is therefore consumed only when the issue commits: numbers are gapless.
    """

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")
        ESTIMATE = "estimate", _("Estimate")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="documentsequence_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_value}"


class LineBase(models.Model):
    """A document line. ``amount_excl_vat`` and ``vat_amount`` are rounded to the currency
    (see ``totals``); ``vat_rate_explicit`` says whether the member stated the rate (else
    the VAT rules chose it)."""

    position = models.PositiveSmallIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = money_field(_("unit price"))
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    vat_rate_explicit = models.BooleanField(_("VAT rate stated on the line"), default=False)
    amount_excl_vat = money_field(_("amount excluding VAT"))
    vat_amount = money_field(_("VAT"))
    # Set when the document is issued or sent; a database trigger then refuses any change.
    locked = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class DocumentBase(models.Model):
    """What estimates, invoices and credit notes share: number, currency, VAT regime and
    totals."""

    number = models.CharField(_("number"), max_length=60, null=True, blank=True, unique=True)
    year = models.PositiveSmallIntegerField(_("numbering year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=10, blank=True)
    vat_regime = models.CharField(
        _("VAT regime"), max_length=20, choices=Regime.choices, default=Regime.DOMESTIC
    )
    vat_mention = models.CharField(_("VAT mention"), max_length=300, blank=True)
    total_excl_vat = money_field(_("total excluding VAT"))
    total_vat = money_field(_("total VAT"))
    total_incl_vat = money_field(_("total including VAT"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class Estimate(LockedAfterDraftModel, DocumentBase):
    """A quote for a client. draft → sent → accepted | refused; accepted → invoiced once its
    balance (or only) invoice exists. Numbered when sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        INVOICED = "invoiced", _("Invoiced")

    class AcceptanceMethod(models.TextChoices):
        SIGNATURE = "signature", _("Signed estimate")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")
        ORDER = "order", _("Purchase order")

    # Once sent, only these change (the client's answer and the invoicing that follows).
    MUTABLE_AFTER_DRAFT = frozenset(
        {
            "status",
            "accepted_on",
            "accepted_by_name",
            "acceptance_method",
            "acceptance_note",
            "acceptance_recorded_by",
            "refused_on",
            "refusal_reason",
            "updated_at",
        }
    )

    activity = models.ForeignKey(
        "members.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="estimates",
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="estimates"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    issue_date = models.DateField(_("date sent"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by_name = models.CharField(_("accepted by"), max_length=200, blank=True)
    acceptance_method = models.CharField(
        _("acceptance method"), max_length=20, choices=AcceptanceMethod.choices, blank=True
    )
    acceptance_note = models.TextField(_("acceptance note"), blank=True)
    acceptance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    refusal_reason = models.TextField(_("refusal reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LockedAfterDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "sent", "accepted", "refused", "invoiced"]),
                name="estimate_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False),
                name="estimate_numbered_when_sent",
            ),
            models.UniqueConstraint(
                fields=["year", "sequence"], name="estimate_year_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"estimate draft #{self.pk}"


class EstimateLine(ChildOfLockedModel, LineBase):
    estimate = models.ForeignKey(Estimate, on_delete=models.CASCADE, related_name="lines")

    parent_field = "estimate"
    objects = ChildOfLockedQuerySet.as_manager()

    class Meta(LineBase.Meta):
        verbose_name = _("estimate line")
        verbose_name_plural = _("estimate lines")

    def __str__(self) -> str:
        return f"{self.estimate_id}/{self.position} {self.description}"


class Invoice(LockedAfterDraftModel, DocumentBase):
    """An invoice from an activity to a client.

    draft → issued → partly_paid → paid; issued or partly paid → cancelled by a full credit
    note. ``amount_due = total_incl_vat − amount_paid − amount_credited`` (a database
    constraint); partial credit notes lower ``amount_due``. ``collected_excl_vat`` is the
    part of the payments excluding VAT already credited to the activity's ledger, and
    ``credited_excl_vat`` the credit notes' total excluding VAT.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Invoice")
        DEPOSIT = "deposit", _("Deposit invoice")
        BALANCE = "balance", _("Balance invoice")

    # Once issued, only the payment state changes.
    MUTABLE_AFTER_DRAFT = frozenset(
        {
            "status",
            "amount_paid",
            "amount_credited",
            "credited_excl_vat",
            "collected_excl_vat",
            "amount_due",
            "updated_at",
        }
    )

    activity = models.ForeignKey(
        "members.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="invoices"
    )
    estimate = models.ForeignKey(
        Estimate,
        verbose_name=_("estimate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STANDARD)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    payment_terms_days = models.PositiveIntegerField(
        _("payment terms (days)"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    client_snapshot = models.JSONField(_("client as invoiced"), default=dict, blank=True)
    seller_snapshot = models.JSONField(_("seller as invoiced"), default=dict, blank=True)
    amount_paid = money_field(_("amount paid"))
    amount_credited = money_field(_("amount credited"))
    credited_excl_vat = money_field(_("credited excluding VAT"))
    collected_excl_vat = money_field(_("collected excluding VAT"))
    amount_due = money_field(_("amount due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LockedAfterDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="invoice_status_due_idx"),
            models.Index(fields=["issue_date"], name="invoice_issue_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "issued", "partly_paid", "paid", "cancelled"]),
                name="invoice_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(number__isnull=False, issue_date__isnull=False, due_date__isnull=False),
                name="invoice_numbered_when_issued",
            ),
            models.CheckConstraint(
                condition=Q(
                    amount_due=F("total_incl_vat") - F("amount_paid") - F("amount_credited")
                ),
                name="invoice_amount_due_consistent",
            ),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0, amount_paid__gte=0, amount_credited__gte=0),
                name="invoice_amounts_not_negative",
            ),
            models.UniqueConstraint(
                fields=["year", "sequence"], name="invoice_year_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"invoice draft #{self.pk}"


class InvoiceLine(ChildOfLockedModel, LineBase):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    parent_field = "invoice"
    objects = ChildOfLockedQuerySet.as_manager()

    class Meta(LineBase.Meta):
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.position} {self.description}"


class CreditNote(AppendOnlyModel, DocumentBase):
    """A numbered document that credits (part of) an issued invoice. A credit note equal
    to the invoice's total cancels it; a partial one lowers its amount due."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="credit_notes"
    )
    issue_date = models.DateField(_("issue date"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="creditnote_year_sequence_unique"
            ),
            models.CheckConstraint(condition=Q(total_incl_vat__gt=0), name="creditnote_positive"),
        ]

    def __str__(self) -> str:
        return self.number or ""


class CreditNoteLine(AppendOnlyModel, LineBase):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.PROTECT, related_name="lines")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta(LineBase.Meta):
        verbose_name = _("credit note line")
        verbose_name_plural = _("credit note lines")

    def __str__(self) -> str:
        return f"{self.credit_note_id}/{self.position} {self.description}"


class Payment(AppendOnlyModel):
    """A client's payment of (part of) an invoice, in the invoice's currency.

    ``share_excl_vat`` is the part of the payment excluding VAT credited to the activity;
    ``fee_rate`` (fraction) and ``fee_amount`` the cooperative's fee taken on it.
    """

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = money_field(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    received_on = models.DateField(_("date received"))
    share_excl_vat = money_field(_("share excluding VAT"))
    fee_rate = models.DecimalField(_("fee rate"), max_digits=6, decimal_places=4)
    fee_amount = money_field(_("fee"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} on {self.received_on}"
