"""Expenses a member files against an activity, with a receipt file, decided by an advisor
or accountant. An approved expense debits the activity through its ledger."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.money import DECIMAL_PLACES, MAX_DIGITS
from tenants.members.models import Activity, LedgerEntry


def receipt_path(instance, filename: str) -> str:
    """``receipts/<year>/<uuid>.<ext>``, relative to the partner's own media folder
    (the default storage is django-tenants' ``TenantFileSystemStorage``, rooted at
    ``MEDIA_ROOT/<schema>/``). The client's file name is kept only in ``receipt_name``."""
    extension = (filename.rsplit(".", 1)[-1] if "." in filename else "bin").lower()[:8]
    return f"receipts/{timezone.now().year}/{uuid.uuid4().hex}.{extension}"


class ExpenseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExpenseCategory(models.TextChoices):
    TRAVEL = "travel", _("Travel")
    EQUIPMENT = "equipment", _("Equipment")
    SUPPLIES = "supplies", _("Supplies")
    TRAINING = "training", _("Training")
    SERVICES = "services", _("Services")
    MEALS = "meals", _("Meals")
    OTHER = "other", _("Other")


class Expense(models.Model):
    """``amount`` is what the member paid, VAT included, in the partner's ``currency``
    (positive); ``vat_amount`` the VAT part if the receipt shows it."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="expenses")
    amount = models.DecimalField(_("amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    vat_amount = models.DecimalField(
        _("VAT included"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0
    )
    currency = models.CharField(_("currency"), max_length=3)
    spent_on = models.DateField(_("spent on"))
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    description = models.CharField(_("description"), max_length=255)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, max_length=200)
    receipt_name = models.CharField(_("receipt file name"), max_length=200)
    receipt_content_type = models.CharField(max_length=100)
    receipt_size = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=20, choices=ExpenseStatus.choices, default=ExpenseStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    ledger_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="expense"
    )

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="expense_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(vat_amount__gte=0, vat_amount__lte=models.F("amount")),
                name="expense_vat_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ExpenseStatus]),
                name="expense_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(ledger_entry__isnull=False),
                name="expense_approved_is_posted",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="expense_status_idx")]

    def __str__(self) -> str:
        return f"{self.description} ({self.amount} {self.currency})"
