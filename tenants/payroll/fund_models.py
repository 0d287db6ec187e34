"""The guarantee fund (payroll's fund section; contracts and pay live elsewhere in payroll).

Every change to the fund is one immutable ``FundMovement``; the fund's figures are sums of
movements, so each euro is explainable entry by entry:

- ``amount``: the effect on the money available to the fund (feeds +, advances −,
  recoveries +, write-offs 0);
- ``outstanding_change``: the effect on the advances still expected back (advances +,
  recoveries −, write-offs −).

Invoices belong to ``tenants.invoicing``; a movement refers to one by ``invoice_id`` (no
foreign key, so that the two apps migrate independently).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.append_only import LedgerRow
from common.money import DECIMAL_PLACES, MAX_DIGITS


class FundMovementKind(models.TextChoices):
    FEED = "feed", _("Share of a fee")
    ADVANCE = "advance", _("Advance on an overdue invoice")
    RECOVERY = "recovery", _("Recovery when the client paid")
    WRITE_OFF = "write_off", _("Advance written off")


class FundMovement(LedgerRow):
    """One immutable movement of the fund (``common.append_only.LedgerRow``: the ORM and a
    database trigger refuse any update or delete)."""

    kind = models.CharField(_("kind"), max_length=20, choices=FundMovementKind.choices)
    amount = models.DecimalField(
        _("effect on the fund"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    outstanding_change = models.DecimalField(
        _("effect on outstanding advances"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        default=0,
    )
    activity = models.ForeignKey(
        "members.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ledger_entry = models.ForeignKey(
        "members.LedgerEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_movements",
        help_text=_("The fee that fed the fund, or the activity entry of an advance/recovery."),
    )
    invoice_id = models.BigIntegerField(_("invoice"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("guarantee fund movement")
        verbose_name_plural = _("guarantee fund movements")
        ordering = ["booked_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in FundMovementKind]),
                name="fundmovement_kind_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="feed", outstanding_change=0)
                    | models.Q(kind="advance", amount__lt=0, outstanding_change__gt=0)
                    | models.Q(kind="recovery", amount__gt=0, outstanding_change__lt=0)
                    | models.Q(kind="write_off", amount=0, outstanding_change__lt=0)
                ),
                name="fundmovement_signs_by_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["advance", "recovery", "write_off"])
                | models.Q(invoice_id__isnull=False),
                name="fundmovement_advance_has_invoice",
            ),
        ]
        indexes = [
            models.Index(fields=["invoice_id"], name="fundmovement_invoice_idx"),
            models.Index(fields=["booked_on", "id"], name="fundmovement_booked_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.kind} {self.amount} {self.currency}"
