"""Every user-facing text of the rule packs, marked for translation.

The pack modules and ``contracts.py`` stay pure Python (no Django import), so their labels
(contribution lines, withholding, contract types and notes, protection rules) and the
templates of contract reasons are listed here with ``gettext_noop`` for the catalogues;
the API translates them at the edge (``translate_label``, ``translate_reason``).
``tests/tenants/labour_law/test_labels.py`` fails when a pack text is missing here.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogues (makemessages and Babel extract calls by this
    name); defined here rather than imported so the engine's tests need no Django settings.
    """
    return message


def gettext(message: str) -> str:
    """``message`` in the active language; unchanged when Django is not configured (the
    engine, planner and loader raise translated errors, yet their tests run without Django
    settings). Imported as ``_`` by those modules, so Babel extracts their strings."""
    from django.conf import settings

    if not settings.configured:
        return message
    from django.utils.translation import gettext as django_gettext

    return django_gettext(message)


PACK_TEXTS = (
    gettext_noop("Employer social security (ONSS)"),
    gettext_noop("Employee social security (ONSS)"),
    gettext_noop("Withholding tax (précompte professionnel, approximation)"),
    gettext_noop("Daily contract (contrat journalier): one fixed-term contract per day worked"),
    gettext_noop("Short fixed-term contract (contrat à durée déterminée court)"),
    gettext_noop("Partner practice: contracts of up to 3 months per assignment."),
    gettext_noop(
        "No monthly protection rule: every contract is subject to full social security from the "
        "first day. The work-of-arts certificate (attestation du travail des arts) and "
        "unemployment day counts are not modelled."
    ),
    gettext_noop("Employer contributions, uncapped (approximation)"),
    gettext_noop("Old-age and AGIRC-ARRCO T1, capped at the PMSS"),
    gettext_noop("Old-age insurance, uncapped"),
    gettext_noop("CSG and CRDS"),
    gettext_noop("Income tax at source (prélèvement à la source, approximation)"),
    gettext_noop("CDI entrepreneur-salarié (CESA) in a business and employment cooperative"),
    gettext_noop("Contrat d'appui au projet d'entreprise (CAPE): support contract, no salary"),
    gettext_noop("12 months, renewable twice (36 months at most); pays no salary."),
    gettext_noop(
        "Intermittents du spectacle (annexes 8 and 10 of the unemployment insurance rules) are "
        "covered when they worked at least the required hours over the last months."
    ),
    gettext_noop("Pension insurance"),
    gettext_noop("Unemployment insurance"),
    gettext_noop("Health insurance"),
    gettext_noop("Health insurance, additional rate"),
    gettext_noop("Long-term care insurance"),
    gettext_noop("Insolvency levy"),
    gettext_noop("Wage tax (approximation)"),
    gettext_noop("Pension insurance, flat rate"),
    gettext_noop("Health insurance, flat rate"),
    gettext_noop("Flat-rate wage tax"),
    gettext_noop("Pension insurance top-up"),
    gettext_noop(
        "Employment subject to social insurance (sozialversicherungspflichtige Beschäftigung), "
        "paid by the month"
    ),
    gettext_noop("Marginal employment (Minijob), gross at most the marginal-employment limit"),
    gettext_noop("Does not count towards the protection threshold."),
    gettext_noop(
        "A member is protected from the month their gross pay reaches the marginal-employment "
        "limit, held for at least the required number of consecutive months (the German partner's "
        "rule; 400 EUR when it was set)."
    ),
    gettext_noop("Employer INPS contributions (approximation)"),
    gettext_noop("Employee INPS contributions"),
    gettext_noop("IRPEF withholding (approximation)"),
    gettext_noop("Fixed-term employment (contratto a tempo determinato)"),
    gettext_noop("On-call employment (lavoro intermittente)"),
    gettext_noop("No monthly protection rule implemented for Italy."),
    gettext_noop("Common contingencies"),
    gettext_noop("Unemployment"),
    gettext_noop("Wage guarantee fund (FOGASA)"),
    gettext_noop("Vocational training"),
    gettext_noop("Intergenerational equity (MEI)"),
    gettext_noop("IRPF withholding (approximation)"),
    gettext_noop(
        "Fixed-term contract for production circumstances (contrato por circunstancias de la "
        "producción)"
    ),
    gettext_noop("6 months at most, 12 if the sector's collective agreement allows it."),
    gettext_noop("Fixed-discontinuous contract (contrato fijo-discontinuo)"),
    gettext_noop("No monthly protection rule implemented for Spain."),
    gettext_noop("Employer social insurance"),
    gettext_noop("Payroll taxes (DB, DZ, Kommunalsteuer)"),
    gettext_noop("Severance fund (BV)"),
    gettext_noop("Employee social insurance"),
    gettext_noop("Accident insurance"),
    gettext_noop("Fixed-term employment (befristetes Dienstverhältnis)"),
    gettext_noop("Marginal employment (geringfügige Beschäftigung), gross at most the limit"),
    gettext_noop(
        "No monthly protection rule implemented for Austria; employment above the marginal limit "
        "is fully insured from the first day."
    ),
    gettext_noop("Employer fee (arbetsgivaravgift)"),
    gettext_noop("Preliminary tax (approximation)"),
    gettext_noop("Employment per assignment (särskild visstidsanställning)"),
    gettext_noop("Becomes permanent after more than 12 months within five years."),
    gettext_noop("No monthly protection rule implemented for Sweden."),
    gettext_noop("Employer contributions"),
    gettext_noop("Employee contributions"),
    gettext_noop("Income tax withholding"),
    gettext_noop("Employment, paid by the month"),
    gettext_noop("No monthly protection rule: the generic pack knows none."),
)

# str.format templates of ContractProposal reasons (contracts.Reason).
REASON_TEMPLATES = (
    gettext_noop(
        "{contract} — at most {max_days} day(s) per contract; {start} to {end} is {days} days."
    ),
    gettext_noop(
        "{contract} — at most {max_months} month(s) per contract; it must end by {limit}."
    ),
    gettext_noop("The balance pays no salary."),
    gettext_noop("{contract} — at least {min_hours} hours per day worked; {hours} hours asked."),
    gettext_noop(
        "The balance pays {gross} {currency} gross, {hours_payable} hours at the minimum wage of "
        "{wage} {currency}/hour; {hours} hours need {needed} {currency} gross."
    ),
)


def translate_label(text: str | None) -> str | None:
    """``text`` (a pack label, in English) in the active language, when the catalogue has
    it; unchanged otherwise."""
    from django.utils.translation import gettext

    return gettext(text) if text else text


def translate_reason(reason: str) -> str:
    """A contract reason in the active language (``contracts.Reason`` keeps its template
    and values; a plain string is returned as it is)."""
    from django.utils.translation import gettext

    template = getattr(reason, "template", None)
    if template is None:
        return str(reason)
    params = dict(reason.params)
    # The contract type is named by its translated label, never by its code.
    if params.get("contract"):
        params["contract"] = gettext(params["contract"])
    return gettext(template).format(**params)
