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
# What a new partner starts with: within every tier's default charter (the charter's
# checks refuse a partner whose settings break its tier's, from its creation on).
DEFAULT_CONTRIBUTION_RATE = Decimal("0.0100")
DEFAULT_SHARE_REMUNERATION_RATE = Decimal("0.0000")
DEFAULT_HQ_BOARD_SEATS = 1
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
    share_remuneration_rate = models.DecimalField(
        _("share remuneration rate"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_SHARE_REMUNERATION_RATE,
        help_text=_(
            "Yearly return paid on cooperative shares, a fraction of their nominal value "
            "(0.0200 = 2 %); at most the charter's cap."
        ),
    )
    hq_board_seats = models.PositiveSmallIntegerField(
        _("headquarters seats on the board"),
        default=DEFAULT_HQ_BOARD_SEATS,
        help_text=_("At least the charter's minimum."),
    )
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
            models.CheckConstraint(
                condition=models.Q(share_remuneration_rate__gte=0, share_remuneration_rate__lt=1),
                name="partnersettings_share_remuneration_fraction",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Partner settings"))


class FeeRate(models.Model):
    """The cooperative's fee rate (a fraction of turnover) in force from ``effective_from``
    (inclusive) until the next row's date.

    The database refuses a rate outside 0 < rate < 1 (a zero fee is never a charter's
    band); the band of the partner's tier is checked by ``fee_rate_set`` against the
    charter in force on ``effective_from`` (``shared.charter.enforcement``)."""

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
                condition=models.Q(rate__gt=0, rate__lt=1), name="feerate_positive_fraction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rate} from {self.effective_from}"


class ContributionRate(models.Model):
    """The partner's federation contribution (a fraction of turnover) in force from
    ``effective_from`` (inclusive) until the next row's date; at least the charter's
    ``contribution_rate`` (checked by ``contribution_rate_set``). Read it only through
    ``selectors.federation_contribution_rate(on=...)``."""

    rate = models.DecimalField(
        _("federation contribution rate"),
        max_digits=5,
        decimal_places=4,
        help_text=_("Fraction of turnover excluding VAT (0.0100 = 1 %)."),
    )
    effective_from = models.DateField(_("effective from"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("federation contribution rate")
        verbose_name_plural = _("federation contribution rates")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lt=1), name="contributionrate_fraction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rate} from {self.effective_from}"
