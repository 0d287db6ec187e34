"""A partner's local catalogue (tenant schema): the services it offers, members'
subscriptions to them, recorded uses, and the charges billed to activities' ledgers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Value
from django.utils.translation import gettext_lazy as _

from common.money import DECIMAL_PLACES, MAX_DIGITS

CODE_PATTERN = r"^[a-z][a-z0-9_]{1,59}$"


class PricingModel(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage of collected turnover")
    FLAT_MONTHLY = "flat_monthly", _("Flat amount per month")
    FLAT_YEARLY = "flat_yearly", _("Flat amount per year")
    PER_USE = "per_use", _("Amount per use")
    FREE = "free", _("Free")


PRICED_MODELS = (PricingModel.FLAT_MONTHLY, PricingModel.FLAT_YEARLY, PricingModel.PER_USE)


class Service(models.Model):
    """A service this partner offers, implementing a reference service
    (``reference_code``, e.g. ``grant_help``) or local only (``reference_code`` empty).

    Pricing, by ``pricing_model``:
    - ``percentage``: ``percentage`` is a PERCENTAGE (0–100; ``1.5`` means 1.5 %) of the
      turnover collected by the subscribed activity in the month; no ``price_amount``.
    - ``flat_monthly`` / ``flat_yearly`` / ``per_use``: ``price_amount`` (>= 0) in
      ``currency``, which is always the partner's currency; no ``percentage``.
    - ``free``: neither.
    The database checks these shapes too. ``name``/``description`` are translated
    (modeltranslation columns ``name_en`` ... ``name_sv``).
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    reference_code = models.CharField(
        _("reference service code"),
        max_length=60,
        blank=True,
        help_text=_("The federation's service this implements; empty for a local service."),
    )
    # blank: the language a name is required in is the partner's (checked by the service
    # layer), not modeltranslation's default language.
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    pricing_model = models.CharField(
        _("pricing model"), max_length=20, choices=PricingModel.choices
    )
    price_amount = models.DecimalField(
        _("price"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    percentage = models.DecimalField(
        _("percentage of turnover"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Percent, 0 to 100 (1.5 means 1.5 %)."),
    )
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(
        _("available until"), null=True, blank=True, help_text=_("Last day, inclusive.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=CODE_PATTERN), name="service_code_format"
            ),
            models.CheckConstraint(
                condition=models.Q(pricing_model__in=[p.value for p in PricingModel]),
                name="service_pricing_model_known",
            ),
            models.CheckConstraint(
                condition=models.Q(price_amount__isnull=True) | models.Q(price_amount__gte=0),
                name="service_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(percentage__isnull=True)
                | models.Q(percentage__gte=0, percentage__lte=100),
                name="service_percentage_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    pricing_model=PricingModel.PERCENTAGE,
                    percentage__isnull=False,
                    price_amount__isnull=True,
                )
                | models.Q(
                    pricing_model__in=list(PRICED_MODELS),
                    percentage__isnull=True,
                    price_amount__isnull=False,
                )
                | models.Q(
                    pricing_model=PricingModel.FREE,
                    percentage__isnull=True,
                    price_amount__isnull=True,
                ),
                name="service_price_fits_model",
            ),
            models.CheckConstraint(
                condition=models.Q(price_amount__isnull=True) | ~models.Q(currency=""),
                name="service_price_has_currency",
            ),
            models.CheckConstraint(
                condition=models.Q(available_until__isnull=True)
                | models.Q(available_until__gte=F("available_from")),
                name="service_availability_ordered",
            ),
        ]
        indexes = [models.Index(fields=["reference_code"], name="service_reference_idx")]

    def __str__(self) -> str:
        return self.code


def _point_range(field: str) -> Func:
    # int8range(x, x, '[]'): a one-point range, so the exclusion constraint compares ids
    # with GiST's range equality and needs no btree_gist extension (absent from the
    # embedded PostgreSQL).
    return Func(F(field), F(field), Value("[]"), function="int8range")


class Subscription(models.Model):
    """``member`` subscribes to ``service`` from ``starts_on`` to ``ends_on`` (inclusive;
    None: until ended), charged to ``activity`` (one of the member's activities).

    Two subscriptions of one member to one service never overlap: refused with a message
    by ``subscription_create``/``subscription_end``, and by an exclusion constraint.
    """

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="service_subscriptions"
    )
    activity = models.ForeignKey(
        "members.Activity", on_delete=models.PROTECT, related_name="service_subscriptions"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="subscriptions")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("Inclusive."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=F("starts_on")),
                name="subscription_period_ordered",
            ),
            ExclusionConstraint(
                name="subscription_no_overlap",
                index_type="gist",
                expressions=[
                    (_point_range("member"), RangeOperators.EQUAL),
                    (_point_range("service"), RangeOperators.EQUAL),
                    (
                        Func(F("starts_on"), F("ends_on"), Value("[]"), function="daterange"),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["service", "starts_on"], name="subscription_service_idx"),
            models.Index(fields=["member"], name="subscription_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.service_id} from {self.starts_on}"


class ServiceUse(models.Model):
    """One recorded use of a ``per_use`` service (``quantity`` uses on ``used_on``),
    billed with the month that contains ``used_on``."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="uses")
    used_on = models.DateField(_("used on"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=1)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service use")
        verbose_name_plural = _("service uses")
        ordering = ["used_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="serviceuse_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.subscription_id} on {self.used_on}"


class ServiceCharge(models.Model):
    """What one subscription was billed for one month (``period`` = the month's first
    day): ``amount`` (>= 0, in ``currency``) was posted as a debit (``-amount``) of kind
    ``service_charge`` to the subscription's activity; ``rule`` shows the computation.
    One row per subscription and month: the billing job runs any number of times."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="charges")
    period = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    currency = models.CharField(_("currency"), max_length=3)
    rule = models.JSONField(_("computation"), default=dict)
    ledger_entry = models.OneToOneField(
        "members.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service charge")
        verbose_name_plural = _("service charges")
        ordering = ["-period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period"], name="servicecharge_once_a_month"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="servicecharge_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(period__day=1), name="servicecharge_period_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period:%Y-%m} {self.amount} {self.currency}"
