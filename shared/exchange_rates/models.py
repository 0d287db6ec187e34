"""The federation's dated exchange rates (public schema).

One row per currency and day: ``rate`` is how many units of ``currency`` one euro buys
that day (the ECB's euro foreign exchange reference rate, published on TARGET business
days). EUR itself has no row: it is the unit.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Units of a currency per euro: the ECB publishes up to 4 decimals (0.83578 GBP, 1491.76
# KRW, 20275.17 IDR), so 6 places and 18 digits hold every published rate exactly.
RATE_MAX_DIGITS = 18
RATE_DECIMAL_PLACES = 6


class ExchangeRate(models.Model):
    """``rate`` units of ``currency`` (ISO 4217) per 1 EUR on ``date``, from ``source``
    (e.g. ``ECB eurofxref-hist``)."""

    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("date"))
    rate = models.DecimalField(
        _("units per euro"), max_digits=RATE_MAX_DIGITS, decimal_places=RATE_DECIMAL_PLACES
    )
    source = models.CharField(_("source"), max_length=200)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$") & ~models.Q(currency="EUR"),
                name="exchange_rate_currency_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} 1 EUR = {self.rate} {self.currency}"
