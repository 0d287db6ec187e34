"""The charter (public schema): what every partner of a tier keeps, version by dated
version; the findings of the charter checks; the bounded settings each partner pushes
out of its own schema; and the annual reports partners file.

Fractions are stored as fractions (``0.0700`` = 7 %), never as percentages. The required
core services are not here: they are the reference catalogue's ``TierRequirement`` rows of
level ``core`` (one source), which the checks read.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.money import DECIMAL_PLACES, MAX_DIGITS
from tenants.partners.models import Partner, Tier


class ReportingFrequency(models.TextChoices):
    NONE = "none", _("No report")
    ANNUAL = "annual", _("Every year")


class ReportFigure(models.TextChoices):
    """The figures of a partner's annual report (``AnnualReport`` has one field each)."""

    OPERATING_RESULT = "operating_result", _("Operating result")
    EQUITY = "equity", _("Equity")
    STAFF_FTE = "staff_fte", _("Staff (full-time equivalents)")
    HQ_CAPITAL = "hq_capital", _("Headquarters' capital contribution")
    HQ_CURRENT_ACCOUNT = "hq_current_account", _("Headquarters' current-account contribution")
    HQ_VOTING_SHARE = "hq_voting_share", _("Headquarters' share of voting rights")


def _fraction(field: str, *, low_open: bool = False) -> Q:
    low = Q(**{f"{field}__gt": 0}) if low_open else Q(**{f"{field}__gte": 0})
    return low & Q(**{f"{field}__lt": 1})


class Charter(models.Model):
    """One version of the charter of ``tier``, in force from ``effective_from``
    (inclusive) until the next version of the same tier.

    - ``fee_rate_min``/``fee_rate_max``: the band of the member fee (fraction of turnover
      excluding VAT) each partner's dated fee rate must lie in, bounds included;
    - ``contribution_rate``: the federation contribution (fraction of turnover); a
      partner's own contribution rate must be at least it;
    - ``no_profit_distribution`` and ``share_remuneration_cap``: the non-profit clause; a
      partner's remuneration of cooperative shares (fraction of their nominal value, per
      year) is at most the cap;
    - ``min_hq_board_seats``: headquarters' seats on the partner's board, at least;
    - ``reporting_frequency``, ``report_due_months`` and ``report_figures``: the
      reporting duty: which figures of the annual report (``ReportFigure`` values), how
      often, and how many months after the year's end the report is due;
    - ``small_count_min`` and ``dominance_max``: the suppression thresholds of the
      federation's rollups (a figure over fewer than ``small_count_min`` members, or one
      where a single member makes more than ``dominance_max`` of the total, is hidden).

    A version in force (``effective_from`` on or before today) is never edited: a change
    is a new version (``charter_create``); a database trigger refuses updates and deletes
    of rows in force since before today, whatever the write path.
    """

    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    effective_from = models.DateField(_("effective from"))
    fee_rate_min = models.DecimalField(_("minimum fee rate"), max_digits=5, decimal_places=4)
    fee_rate_max = models.DecimalField(_("maximum fee rate"), max_digits=5, decimal_places=4)
    contribution_rate = models.DecimalField(
        _("federation contribution rate"),
        max_digits=5,
        decimal_places=4,
        help_text=_("Fraction of turnover; a partner's rate must be at least this."),
    )
    no_profit_distribution = models.BooleanField(_("no profit distribution"), default=True)
    share_remuneration_cap = models.DecimalField(
        _("share remuneration cap"),
        max_digits=5,
        decimal_places=4,
        help_text=_("Fraction of a share's nominal value per year (0.0300 = 3 %)."),
    )
    min_hq_board_seats = models.PositiveSmallIntegerField(_("minimum headquarters board seats"))
    reporting_frequency = models.CharField(
        _("reporting frequency"), max_length=10, choices=ReportingFrequency.choices
    )
    report_due_months = models.PositiveSmallIntegerField(
        _("report due (months after the year's end)"), default=6
    )
    report_figures = models.JSONField(_("figures reported"), default=list, blank=True)
    small_count_min = models.PositiveSmallIntegerField(
        _("smallest count shown in rollups"), default=3
    )
    dominance_max = models.DecimalField(
        _("largest share of one member in a rollup figure"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.8500"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["tier", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "effective_from"], name="charter_unique_start"),
            models.CheckConstraint(
                condition=Q(tier__in=[t.value for t in Tier]), name="charter_tier_known"
            ),
            models.CheckConstraint(
                condition=_fraction("fee_rate_min", low_open=True)
                & _fraction("fee_rate_max", low_open=True)
                & Q(fee_rate_min__lte=F("fee_rate_max")),
                name="charter_fee_band_ordered",
            ),
            models.CheckConstraint(
                condition=_fraction("contribution_rate"), name="charter_contribution_fraction"
            ),
            models.CheckConstraint(
                condition=_fraction("share_remuneration_cap"),
                name="charter_share_cap_fraction",
            ),
            models.CheckConstraint(
                condition=Q(reporting_frequency__in=[f.value for f in ReportingFrequency]),
                name="charter_reporting_known",
            ),
            models.CheckConstraint(
                condition=Q(report_due_months__gte=1, report_due_months__lte=24),
                name="charter_report_due_range",
            ),
            models.CheckConstraint(
                condition=Q(small_count_min__gte=1), name="charter_small_count_positive"
            ),
            models.CheckConstraint(
                condition=Q(dominance_max__gt=0, dominance_max__lte=1),
                name="charter_dominance_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.version

    @property
    def version(self) -> str:
        """How messages name this version: ``european_group@2020-01-01``."""
        return f"{self.tier}@{self.effective_from.isoformat()}"

    @property
    def requires_annual_report(self) -> bool:
        return self.reporting_frequency == ReportingFrequency.ANNUAL


class FindingKind(models.TextChoices):
    FEE_RATE = "fee_rate", _("Fee rate outside the band")
    CONTRIBUTION_RATE = "contribution_rate", _("Federation contribution below the charter")
    SHARE_REMUNERATION = "share_remuneration", _("Share remuneration above the cap")
    HQ_BOARD_SEATS = "hq_board_seats", _("Too few headquarters board seats")
    CORE_SERVICE = "core_service", _("Required core service not offered")
    ANNUAL_REPORT = "annual_report", _("Annual report late or missing")
    STATE_MISSING = "state_missing", _("Settings never pushed to the federation")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class CharterFinding(models.Model):
    """One way a partner does not keep the charter, as a check saw it: opened on
    ``opened_on``, resolved on ``resolved_on`` when a later check no longer sees it.

    ``kind`` and ``subject`` say what (``fee_rate``/``fee_rate``,
    ``core_service``/``advances``, ``annual_report``/``2025``); at most one finding per
    partner, kind and subject is open at a time. ``detail`` holds the bound, the value and
    the date checked (JSON-safe strings); ``charter`` is the version whose bound is not
    met (None for a finding no version names, such as missing settings). Findings are
    derived data: written by the checks only, never by hand, and not audited.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=30, choices=FindingKind.choices)
    subject = models.CharField(_("subject"), max_length=80)
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices)
    opened_on = models.DateField(_("opened on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("charter finding")
        verbose_name_plural = _("charter findings")
        ordering = ["-opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "subject"],
                condition=Q(status="open"),
                name="finding_one_open",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in FindingKind]), name="finding_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_on__isnull=True)
                | Q(status="resolved", resolved_on__gte=F("opened_on")),
                name="finding_resolution_dated",
            ),
        ]
        indexes = [models.Index(fields=["partner", "status"], name="finding_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.kind}:{self.subject} {self.status}"


class PartnerCharterState(models.Model):
    """What a partner's own code pushed out of its schema of the settings the charter
    bounds, so that headquarters' checks (a promotion, a new charter version) read public
    tables only.

    ``settings``: ``{name: [[effective_from or null, value], ...]}`` for ``fee_rate``,
    ``contribution_rate``, ``share_remuneration_rate`` (decimal strings) and
    ``hq_board_seats`` (an integer), sorted by date; a null date means "always".
    ``services``: ``[[reference_code, available_from, available_until or null], ...]``
    for the local services implementing a reference service. Aggregates of settings and
    the catalogue only: no member's data.
    """

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="charter_state")
    settings = models.JSONField(_("bounded settings"), default=dict)
    services = models.JSONField(_("services offered"), default=list)
    settings_pushed_at = models.DateTimeField(_("settings pushed at"), null=True)
    services_pushed_at = models.DateTimeField(_("services pushed at"), null=True)

    class Meta:
        verbose_name = _("partner charter state")
        verbose_name_plural = _("partner charter states")

    def __str__(self) -> str:
        return f"charter state of {self.partner_id}"


class AnnualReport(models.Model):
    """What the platform cannot know of a partner's year, filed by the partner's staff
    on its own host: ``operating_result`` and ``equity`` (in ``currency``, the partner's),
    ``staff_fte`` (full-time equivalents), headquarters' ``hq_capital`` and
    ``hq_current_account`` contributions (in ``currency``, the amounts held at the year's
    end) and ``hq_voting_share`` (a fraction of the votes). Figures of the cooperative,
    never of a person. A figure the charter of the year does not ask for may be left out
    (null); the ones it asks for are required (``annual_report_file``). One report per
    partner and year; ``filed_on`` is the first filing,
    corrections keep it (and are audited in the partner's trail)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    currency = models.CharField(_("currency"), max_length=3)
    operating_result = models.DecimalField(
        _("operating result"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True
    )
    equity = models.DecimalField(
        _("equity"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True
    )
    staff_fte = models.DecimalField(_("staff (FTE)"), max_digits=8, decimal_places=2, null=True)
    hq_capital = models.DecimalField(
        _("headquarters' capital"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True
    )
    hq_current_account = models.DecimalField(
        _("headquarters' current account"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
    )
    hq_voting_share = models.DecimalField(
        _("headquarters' share of votes"), max_digits=5, decimal_places=4, null=True
    )
    filed_on = models.DateField(_("filed on"))
    filed_by = models.CharField(_("filed by"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["partner_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "year"], name="annualreport_one_a_year"),
            models.CheckConstraint(
                condition=Q(staff_fte__gte=0), name="annualreport_staff_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(hq_capital__gte=0, hq_current_account__gte=0),
                name="annualreport_hq_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(hq_voting_share__gte=0, hq_voting_share__lte=1),
                name="annualreport_voting_share_fraction",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1998, year__lte=2200), name="annualreport_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.year}"
