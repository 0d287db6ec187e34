"""Records of the labour-law layer, in each partner's schema.

- ``PartnerParameter``: the dated values an Academy partner sets for the ``generic`` pack
  (countries with their own pack take every figure from ``packs/data/<cc>.toml``).
- ``SalarySimulation`` and ``IncomePlan``: each computation asked for, with its inputs,
  its result and the parameter snapshot it read, so it can be re-run years later.
- ``Contract``: a contract accepted from a proposal; its employer cost is debited from the
  activity through the ledger (``tenants.members``).

Money columns store the amount next to ``currency`` (the partner's), with the platform's
precision (``common.money.MAX_DIGITS`` / ``DECIMAL_PLACES``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.money import DECIMAL_PLACES, MAX_DIGITS


def _money(verbose_name):
    return models.DecimalField(verbose_name, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)


class PartnerParameter(models.Model):
    """One dated value of a ``generic``-pack parameter, set by the partner's admin.

    ``value`` is in ``unit`` (``fraction``: 0.0765 = 7.65 %; ``<CUR>/hour``...);
    ``effective_from`` inclusive, ``effective_until`` inclusive or open-ended (null).
    Periods of one name never overlap (checked by the service).
    """

    name = models.CharField(_("name"), max_length=80)
    value = models.DecimalField(_("value"), max_digits=MAX_DIGITS, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=20)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner labour-law parameter")
        verbose_name_plural = _("partner labour-law parameters")
        ordering = ["name", "effective_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "effective_from"], name="partnerparameter_name_from_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="partnerparameter_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="partnerparameter_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.value} {self.unit} from {self.effective_from}"

    def as_override(self) -> dict:
        """The loader's override shape (decimal string, ISO dates)."""
        return {
            "name": self.name,
            "value": format(self.value.normalize(), "f"),
            "unit": self.unit,
            "effective_from": self.effective_from.isoformat(),
            **(
                {"effective_until": self.effective_until.isoformat()}
                if self.effective_until
                else {}
            ),
            "source": self.source,
            "note": self.note,
        }


class SimulationMode(models.TextChoices):
    AMOUNT = "amount", _("From an employer budget")
    TARGET_NET = "target_net", _("From a desired net salary")
    TURNOVER = "turnover", _("From a turnover before the fee")
    ACTIVITY_BALANCE = "activity_balance", _("From an activity's balance")


class SalarySimulation(models.Model):
    """One recorded salary simulation.

    ``inputs``: the normalised request (decimal strings, ISO dates) including the amount
    actually used (an activity's balance is read once and recorded). ``result``:
    ``Simulation.to_dict()`` (amounts as decimal strings in ``currency``). ``parameters``:
    the snapshot of the parameter periods read (``snapshots.pack_snapshot``), from which
    ``selectors.salary_simulation_reproduce`` recomputes. ``fee_rate``: the fraction used
    for ``turnover``/``fee`` (null when none was in force).
    """

    mode = models.CharField(_("mode"), max_length=20, choices=SimulationMode.choices)
    activity = models.ForeignKey(
        "members.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contract_type = models.CharField(_("contract type"), max_length=40)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    as_of = models.DateField(_("as of"))
    currency = models.CharField(_("currency"), max_length=3)
    gross = _money(_("gross salary"))
    net = _money(_("net salary"))
    employer_cost = _money(_("employer cost"))
    fee_rate = models.DecimalField(
        _("fee rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))
    pack_code = models.CharField(_("pack"), max_length=20)
    pack_version = models.CharField(_("pack version"), max_length=80)
    parameters = models.JSONField(_("parameters used"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("salary simulation")
        verbose_name_plural = _("salary simulations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="salarysimulation_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=[m.value for m in SimulationMode]),
                name="salarysimulation_mode_known",
            ),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="salsim_user_idx")]

    def __str__(self) -> str:
        return f"{self.pack_code} {self.period_start}–{self.period_end}: {self.gross} gross"


class IncomePlan(models.Model):
    """One recorded protection plan (``planner.plan_protection``), same guarantees as
    ``SalarySimulation``. ``result`` holds the plan (``payouts`` per month as decimal
    strings...) or, for a pack without a monthly rule, the explicit statement of it
    (``applicable`` false)."""

    activity = models.ForeignKey(
        "members.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_month = models.DateField(_("first month"))
    months = models.PositiveSmallIntegerField(_("number of months"))
    currency = models.CharField(_("currency"), max_length=3)
    applicable = models.BooleanField(_("a monthly protection rule applies"))
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))
    pack_code = models.CharField(_("pack"), max_length=20)
    pack_version = models.CharField(_("pack version"), max_length=80)
    parameters = models.JSONField(_("parameters used"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("income plan")
        verbose_name_plural = _("income plans")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(months__gte=1), name="incomeplan_months"),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="incomeplan_user_idx")]

    def __str__(self) -> str:
        return f"{self.pack_code} plan from {self.start_month:%Y-%m} ({self.months} months)"


class ContractStatus(models.TextChoices):
    SIGNED = "signed", _("Signed")


class Contract(models.Model):
    """An employment contract accepted for a member's activity.

    The figures are the server's own recomputation at acceptance (never the client's):
    ``employer_budget`` is the amount made available, ``employer_cost`` (gross + employer
    contributions, <= budget) is what the ledger entry ``ledger_entry`` debits from the
    activity. ``simulation`` is ``Simulation.to_dict()``; ``parameters`` the snapshot of the
    parameter periods read, with ``pack_code`` and ``pack_version``.
    """

    activity = models.ForeignKey(
        "members.Activity", on_delete=models.PROTECT, related_name="labour_contracts"
    )
    contract_type = models.CharField(_("contract type"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.SIGNED
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    employer_budget = _money(_("employer budget"))
    gross = _money(_("gross salary"))
    net = _money(_("net salary"))
    employer_contributions = _money(_("employer contributions"))
    employee_contributions = _money(_("employee contributions"))
    withholding = _money(_("withholding"))
    employer_cost = _money(_("employer cost"))
    simulation = models.JSONField(_("computation"))
    pack_code = models.CharField(_("pack"), max_length=20)
    pack_version = models.CharField(_("pack version"), max_length=80)
    parameters = models.JSONField(_("parameters used"))
    ledger_entry = models.OneToOneField(
        "members.LedgerEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="labour_contract",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="contract_period_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(employer_cost__gt=0)
                & models.Q(employer_cost__lte=models.F("employer_budget")),
                name="contract_cost_within_budget",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ContractStatus]),
                name="contract_status_known",
            ),
        ]
        indexes = [models.Index(fields=["activity", "start"], name="contract_activity_idx")]

    def __str__(self) -> str:
        return f"{self.contract_type} {self.start}–{self.end}: {self.gross} {self.currency} gross"
