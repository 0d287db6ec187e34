"""The federation's reference catalogue (public schema): the services the network knows
by a stable code, which tier must offer which (dated), and the coverage rollup that
partners push (aggregates only, never subscribers)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.partners.models import Partner, Tier

CODE_PATTERN = r"^[a-z][a-z0-9_]{1,59}$"


class Category(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment and invoicing")
    SECURITY = "security", _("Financial security")
    ADVICE = "advice", _("Advice and support")
    TRAINING = "training", _("Training")
    WORKSPACE = "workspace", _("Workspace")
    PLATFORM = "platform", _("Work platform")


class Level(models.TextChoices):
    CORE = "core", _("Core (required)")
    OPTIONAL = "optional", _("Optional")


class ReferenceService(models.Model):
    """A service of the federation, known everywhere by its ``code`` (e.g. ``invoicing``).

    ``name`` and ``description`` are translated (modeltranslation: ``name_en`` ...
    ``name_sv``); English is required. The code never changes once created: local
    catalogues and coverage snapshots refer to it.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reference service")
        verbose_name_plural = _("reference services")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=CODE_PATTERN), name="refservice_code_format"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=[c.value for c in Category]),
                name="refservice_category_known",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class TierRequirement(models.Model):
    """Whether partners of ``tier`` must (core) or may (optional) offer ``service``,
    from ``effective_from`` to ``effective_until``, both inclusive (``None``: open-ended).

    Periods of one service and tier never overlap (checked by ``tier_requirement_create``
    and ``tier_requirement_update`` under a lock). A service with no requirement in force
    for a tier is simply not part of that tier's catalogue on that date.
    """

    service = models.ForeignKey(
        ReferenceService, on_delete=models.PROTECT, related_name="requirements"
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tier requirement")
        verbose_name_plural = _("tier requirements")
        ordering = ["service__code", "tier", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__in=[t.value for t in Tier]),
                name="tierreq_tier_known",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=[lv.value for lv in Level]),
                name="tierreq_level_known",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="tierreq_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["service", "tier", "effective_from"], name="tierreq_unique_start"
            ),
        ]
        indexes = [models.Index(fields=["tier", "effective_from"], name="tierreq_tier_idx")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.tier} {self.level} from {self.effective_from}"


class CoverageSnapshot(models.Model):
    """What one partner offered on ``as_of``, as pushed by the partner's own task.

    Aggregates only: ``codes_offered`` (reference codes available on that date, sorted),
    ``subscriber_counts`` (``{code: number of members with a subscription in force}``;
    local-only services appear as ``"local:<code>"``), ``core_required`` and
    ``missing_core`` (reference codes of the tier's core on that date; those not offered).
    No member, activity or subscription identifier is ever stored here.
    """

    # A rollup is derived data: it goes with its partner (which the product never deletes).
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="coverage")
    as_of = models.DateField(_("as of"))
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    codes_offered = models.JSONField(_("codes offered"), default=list)
    subscriber_counts = models.JSONField(_("subscriber counts"), default=dict)
    core_required = models.JSONField(_("core services required"), default=list)
    missing_core = models.JSONField(_("core services missing"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        ordering = ["partner_id", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "as_of"], name="coverage_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} on {self.as_of}"
