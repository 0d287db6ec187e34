"""The partner registry (public schema): partners, their hosts, their dated history, and
the captured template schema new partners are cloned from."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9-]{1,39}$",
    _("A slug is 2 to 40 lowercase letters, digits or hyphens, starting with a letter."),
)


class Tier(models.TextChoices):
    ACADEMY = "academy", _("Academy")
    OPEN_SMART = "open_smart", _("Open Smart")
    SOCIAL_FRANCHISE = "social_franchise", _("Social franchise")
    EUROPEAN_GROUP = "european_group", _("European group")


# How far each tier asks a partner to converge: a move to a higher rank is a promotion,
# which the target tier's charter must allow (``partner_promote``).
TIER_RANK = {
    Tier.ACADEMY: 0,
    Tier.OPEN_SMART: 1,
    Tier.SOCIAL_FRANCHISE: 2,
    Tier.EUROPEAN_GROUP: 3,
}


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


class Partner(TenantMixin):
    """A partner cooperative: one PostgreSQL schema, one country, one currency."""

    slug = models.CharField(_("slug"), max_length=40, unique=True, validators=[SLUG_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217"))
    default_locale = models.CharField(_("default locale"), max_length=10, default="en")
    languages = models.JSONField(_("languages"), default=list)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Schemas are created by the lifecycle service (from the template), never by save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__in=[t.value for t in Tier]), name="partner_tier_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]),
                name="partner_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    @property
    def language(self) -> str:
        """The Django language code of the partner's default locale, e.g. 'fr' for fr_BE."""
        return self.default_locale.split("_")[0]


class Domain(DomainMixin):
    """A host name that reaches one partner, e.g. ``de.localhost``."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class PartnerEvent(models.Model):
    """One dated change of a partner's tier or status; never edited, never deleted.

    Reports read a partner's tier at a past date from here (``partner_tier_on``).
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        PROMOTED = "promoted", _("Tier changed")
        SUSPENDED = "suspended", _("Suspended")
        REACTIVATED = "reactivated", _("Reactivated")
        ARCHIVED = "archived", _("Archived")

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    tier = models.CharField(_("tier after"), max_length=20, choices=Tier.choices)
    status = models.CharField(_("status after"), max_length=20, choices=Status.choices)
    previous_tier = models.CharField(max_length=20, choices=Tier.choices, blank=True)
    previous_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["partner", "effective_on"], name="partnerevent_on_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.kind} on {self.effective_on}"


class RegistryVersion(models.Model):
    """A single counter bumped by a database trigger on every change to partners or
    domains; each process compares it to its cached host table (see ``routing``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"registry version {self.version}"


class TemplateSchema(models.Model):
    """The captured definition of the template schema, replayed to create a partner."""

    schema_name = models.CharField(max_length=63, unique=True)
    fingerprint = models.CharField(max_length=64)
    ddl = models.TextField()
    captured_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.schema_name} ({self.fingerprint[:12]})"
