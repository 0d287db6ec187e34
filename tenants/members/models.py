"""Members, their activities, and each activity's account: an append-only ledger.

An activity's balance is never stored: it is the sum of its ledger entries
(``selectors.activity_balance``). A wrong entry is never edited; ``services.ledger_correct``
posts a new entry that references it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.append_only import LedgerRow
from common.money import DECIMAL_PLACES, MAX_DIGITS


class MemberStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Member(models.Model):
    """A worker of the cooperative. ``national_id`` and ``iban`` are validated (by the
    services) with python-stdnum for the partner's country and stored compact."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    national_id = models.CharField(_("national identification number"), max_length=40, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.APPLICANT
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in MemberStatus]),
                name="member_status_known",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="member_status_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MemberStatusChange(models.Model):
    """One dated change of a member's status (append-only)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=MemberStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=MemberStatus.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return (
            f"{self.member_id}: {self.from_status or '-'} → {self.to_status} on {self.effective_on}"
        )


class ShareSubscription(models.Model):
    """Cooperative shares subscribed by a member: ``count`` shares of ``nominal_value``
    each (in ``currency``, the partner's)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="shares")
    count = models.PositiveIntegerField(_("number of shares"))
    nominal_value = models.DecimalField(
        _("nominal value per share"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    currency = models.CharField(_("currency"), max_length=3)
    subscribed_on = models.DateField(_("subscribed on"))
    paid = models.BooleanField(_("paid"), default=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subscribed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gt=0), name="share_count_positive"),
            models.CheckConstraint(
                condition=models.Q(nominal_value__gt=0), name="share_nominal_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(paid=False, paid_on__isnull=True)
                | models.Q(paid=True, paid_on__isnull=False),
                name="share_paid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.nominal_value} {self.currency}"


class ConsentKind(models.TextChoices):
    DATA_PROCESSING = "data_processing", _("Processing of personal data")
    ELECTRONIC_DOCUMENTS = "electronic_documents", _("Electronic documents (payslips...)")
    NEWSLETTER = "newsletter", _("Newsletter")
    IMAGE_RIGHTS = "image_rights", _("Use of image")
    DATA_SHARING = "data_sharing", _("Sharing with the federation (anonymised)")


class Consent(models.Model):
    """A consent given by a member to one text version; withdrawn by setting
    ``withdrawn_at`` (a new consent is a new row)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("kind"), max_length=40, choices=ConsentKind.choices)
    text_version = models.CharField(_("text version"), max_length=40)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.text_version}"


class ActivityStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Activity(models.Model):
    """A member's business unit; ``sector`` is a NACE Rev. 2 code (division "62", group
    "62.0" or class "62.01"), checked against ``data/nace_rev2_divisions.csv``."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="activities")
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector (NACE Rev. 2)"), max_length=5)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.ACTIVE
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ActivityStatus]),
                name="activity_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LedgerKind(models.TextChoices):
    """Sign convention: an entry that credits the activity is > 0, a debit is < 0."""

    TURNOVER_COLLECTED = "turnover_collected", _("Turnover collected")
    FEE = "fee", _("Cooperative fee")
    SERVICE_CHARGE = "service_charge", _("Service charge")
    EXPENSE = "expense", _("Expense")
    SALARY = "salary", _("Salary and contributions")
    FUND_ADVANCE = "fund_advance", _("Guarantee fund advance")
    FUND_RECOVERY = "fund_recovery", _("Guarantee fund recovery")
    CORRECTION = "correction", _("Correction")


class LedgerEntry(LedgerRow):
    """One immutable line of an activity's account (``common.append_only.LedgerRow``: the
    ORM and a database trigger refuse any update or delete).

    ``amount`` is signed (credit > 0, debit < 0) in ``currency`` (the partner's).
    ``rule`` explains how the amount was computed, e.g. ``{"rule": "fee", "rate": "0.0700",
    "base": "1000.00", "source": "partner_settings.fee_rate"}``. ``source`` points at the
    document that caused it (invoice payment, expense...). ``corrects`` links a correction to
    the entry it corrects. ``idempotency_key`` (unique) makes a retried job post once.
    """

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=30, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.CharField(max_length=64, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["booked_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in LedgerKind]),
                name="ledgerentry_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | models.Q(kind="correction"),
                name="ledgerentry_only_corrections_correct",
            ),
        ]
        indexes = [
            # Covering index: the balance (SUM(amount) of one activity) is an index-only scan.
            models.Index(fields=["activity"], include=["amount"], name="ledger_balance_idx"),
            models.Index(fields=["activity", "booked_on", "id"], name="ledger_activity_date_idx"),
            models.Index(fields=["booked_on"], name="ledger_booked_on_idx"),
            models.Index(fields=["source_type", "source_id"], name="ledger_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.kind} {self.amount} {self.currency}"
