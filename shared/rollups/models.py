"""The federation's monthly rollups (public schema): what each partner publishes of its
month, after disclosure control in its own schema.

One row per partner and month. Three kinds of cells:

- the partner's own accounting and registry figures, always published: turnover invoiced
  and collected, fees, documents issued, members by status, joined and left, services
  offered and subscribed;
- personal cells, which describe members' pay or work: ``salary_mass``,
  ``protected_members``, ``fund_advances``, ``fund_write_offs``, ``activities`` and the
  breakdowns ``activities_by_sector``, ``turnover_by_sector``,
  ``members_by_contract_type``. A suppressed cell is NULL (a breakdown's key maps to
  null) and its name is listed in ``suppressed`` (``"salary_mass"``,
  ``"turnover_by_sector.90"``); readers show it as suppressed, never as 0;
- cells with no value for another reason (``federation_contribution_due`` until the
  charter's rate is wired; ``protected_members`` where the country has no monthly
  protection rule) are NULL and listed in ``unavailable``.

Database constraints keep a scalar cell NULL exactly when it is listed. Counts only, no
identifier of a member, client or document: per-member values never leave the schema.
``figures_version`` is the definition the row was computed with; ``checksum`` (SHA-256 of
the published content) lets a re-run leave an unchanged row untouched.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.money import DECIMAL_PLACES, MAX_DIGITS
from tenants.partners.models import Partner

# Scalar cells that may be NULL, each only when listed in ``suppressed`` or ``unavailable``.
NULLABLE_CELLS = (
    "federation_contribution_due",
    "salary_mass",
    "protected_members",
    "fund_advances",
    "fund_write_offs",
    "activities",
)
BREAKDOWNS = ("activities_by_sector", "turnover_by_sector", "members_by_contract_type")


def _money(label, null=False):
    return models.DecimalField(
        label, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=null, blank=null
    )


def _count(label, null=False):
    return models.PositiveIntegerField(label, null=null, blank=null)


def _null_iff_listed(name: str) -> models.CheckConstraint:
    listed = Q(suppressed__contains=[name]) | Q(unavailable__contains=[name])
    return models.CheckConstraint(
        condition=(Q(**{f"{name}__isnull": True}) & listed)
        | (Q(**{f"{name}__isnull": False}) & ~listed),
        name=f"rollup_{name}_null_iff_listed",
    )


class PartnerMonthFigures(models.Model):
    """One partner's published figures for one calendar month (``month``: its first day),
    amounts in ``currency`` (the partner's, rounded to its digits)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="month_figures")
    month = models.DateField(_("month"))
    figures_version = models.PositiveIntegerField(_("figures version"))
    currency = models.CharField(_("currency"), max_length=3)

    turnover_invoiced = _money(_("turnover invoiced"))
    turnover_collected = _money(_("turnover collected"))
    fees = _money(_("fees"))
    federation_contribution_due = _money(_("federation contribution due"), null=True)
    invoices_issued = _count(_("invoices issued"))
    credit_notes_issued = _count(_("credit notes issued"))

    members_applicant = _count(_("applicant members"))
    members_active = _count(_("active members"))
    members_inactive = _count(_("inactive members"))
    members_joined = _count(_("members joined"))
    members_left = _count(_("members left"))
    services_offered = _count(_("services offered"))
    services_subscribed = _count(_("services subscribed"))

    salary_mass = _money(_("salary mass"), null=True)
    protected_members = _count(_("protected members"), null=True)
    fund_advances = _money(_("guarantee fund advances"), null=True)
    fund_write_offs = _money(_("guarantee fund write-offs"), null=True)
    activities = _count(_("activities of active members"), null=True)
    activities_by_sector = models.JSONField(_("activities by sector"), default=dict)
    turnover_by_sector = models.JSONField(_("turnover by sector"), default=dict)
    members_by_contract_type = models.JSONField(_("members by contract type"), default=dict)

    suppressed = models.JSONField(_("suppressed cells"), default=list)
    unavailable = models.JSONField(_("unavailable cells"), default=list)
    checksum = models.CharField(_("checksum"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("partner month figures")
        verbose_name_plural = _("partner month figures")
        ordering = ["partner_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "month"], name="rollup_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="rollup_month_is_first_day"),
            *(_null_iff_listed(name) for name in NULLABLE_CELLS),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.month:%Y-%m} v{self.figures_version}"
