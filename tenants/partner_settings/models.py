"""A partner's own settings (one row per partner schema) and its dated fee rates.

The row is installed by the data migration ``0002_install_partner_settings``, so every
migrated schema (and the template that new partners are cloned from) has it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.money import DECIMAL_PLACES, MAX_DIGITS

DEFAULT_FEE_RATE = Decimal("0.0700")
DEFAULT_FUND_SHARE = Decimal("0.1000")
DEFAULT_INVOICE_NUMBER_FORMAT = "{country}-{year}-{seq:06d}"


def default_chart_of_accounts() -> dict:
    """Account numbers used by the accounting export (French PCG-style defaults that most
    partners' accountants recognise; each partner's admin may replace any of them).

    ``accounts`` names the accounts; ``ledger`` gives, for each kind of activity ledger
    entry, the pair ``[debit, credit]`` (account names) for an entry that credits the
    activity (amount > 0); an entry that debits the activity swaps them.
    """
    return {
        "accounts": {
            "clients": "411000",
            "sales": "706000",
            "vat_collected": "445710",
            "bank": "512000",
            "activity_budgets": "467000",
            "activity_allocations": "658100",
            "fee_income": "706100",
            "service_income": "706200",
            "expense_payable": "425000",
            "salaries_payable": "421000",
            "fund_advances": "467100",
            "guarantee_fund": "151000",
            "fund_allocations": "681500",
            "corrections": "658000",
        },
        "ledger": {
            "turnover_collected": ["activity_allocations", "activity_budgets"],
            "fee": ["fee_income", "activity_budgets"],
            "service_charge": ["service_income", "activity_budgets"],
            "expense": ["expense_payable", "activity_budgets"],
            "salary": ["salaries_payable", "activity_budgets"],
            "fund_advance": ["fund_advances", "activity_budgets"],
            "fund_recovery": ["fund_advances", "activity_budgets"],
            "correction": ["corrections", "activity_budgets"],
        },
        "fund": {
            "feed": ["fund_allocations", "guarantee_fund"],
            "write_off": ["guarantee_fund", "fund_advances"],
        },
        "journals": {"sales": "VE", "bank": "BQ", "activities": "OD", "fund": "FG"},
    }


class PartnerSettings(models.Model):
    """The partner's settings: exactly one row (id 1) per partner schema.

    Fractions are stored as fractions (0.1000 = 10 %), never as percentages. The fee rate
    itself is dated and lives in ``FeeRate``; read it only through
    ``tenants.partner_settings.selectors.fee_rate(on=...)``.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    guarantee_fund_share = models.DecimalField(
        _("guarantee fund share"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_FUND_SHARE,
        help_text=_("Fraction of each fee fed into the guarantee fund (0.1000 = 10 %)."),
    )
    fund_overdue_days = models.PositiveIntegerField(
        _("days overdue before a fund advance"), default=30
    )
    invoice_number_format = models.CharField(
        _("invoice number format"),
        max_length=60,
        default=DEFAULT_INVOICE_NUMBER_FORMAT,
        help_text=_("Placeholders: {country}, {year}, {seq} (e.g. {seq:06d})."),
    )
    estimate_requires_validation = models.BooleanField(
        _("estimates need an advisor's validation"), default=True
    )
    payment_terms_days = models.PositiveIntegerField(_("default payment terms (days)"), default=30)
    share_nominal_value = models.DecimalField(
        _("nominal value of one cooperative share"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        default=Decimal("25"),
        help_text=_("In the partner's currency."),
    )
    company_id = models.CharField(
        _("company identifier"),
        max_length=20,
        blank=True,
        help_text=_("E.g. the SIREN of a French partner (used to name the FEC file)."),
    )
    chart_of_accounts = models.JSONField(_("chart of accounts"), default=default_chart_of_accounts)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partner settings")
        verbose_name_plural = _("partner settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="partnersettings_singleton"),
            models.CheckConstraint(
                condition=models.Q(guarantee_fund_share__gte=0, guarantee_fund_share__lte=1),
                name="partnersettings_fund_share_fraction",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Partner settings"))


class FeeRate(models.Model):
    """The cooperative's fee rate (a fraction of turnover) in force from ``effective_from``
    (inclusive) until the next row's date."""

    rate = models.DecimalField(
        _("fee rate"),
        max_digits=5,
        decimal_places=4,
        help_text=_("Fraction of turnover excluding VAT (0.0700 = 7 %)."),
    )
    effective_from = models.DateField(_("effective from"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee rates")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lt=1), name="feerate_fraction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rate} from {self.effective_from}"
