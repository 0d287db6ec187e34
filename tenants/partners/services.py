"""The tenant lifecycle: create, promote, suspend, reactivate, archive.

Every entry point (API, admin, commands, seeding) goes through these functions. Each is
one transaction and writes one ``PartnerEvent``, so a partner's tier and status at any past
date can be read back (``selectors.partner_tier_on``).

The charter: a new partner's settings (the template's defaults) are pushed to the
federation and must keep its tier's charter from its first day; a promotion to a higher
tier is refused with every requirement of the target tier's charter the partner does not
meet (``shared.charter.enforcement.check_partner``, public tables only).
"""

from __future__ import annotations

import datetime as dt
import logging

from babel import Locale, UnknownLocaleError
from babel.numbers import get_territory_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from common.countries import country_code
from common.money import validate_currency
from common.text import validate_text
from services_catalog.local.services.charter import catalogue_state_push
from shared.charter.enforcement import check_partner, refuse_unmet
from shared.charter.services import findings_sync
from tenants.partner_settings.charter import settings_state_push
from tenants.partners.exceptions import (
    PartnerExists,
    PartnerInvalid,
    PartnerSchemaExists,
    TransitionRefused,
)
from tenants.partners.models import (
    SLUG_VALIDATOR,
    TIER_RANK,
    Domain,
    Partner,
    PartnerEvent,
    Status,
    Tier,
)
from tenants.partners.routing import routing_cache_clear
from tenants.partners.template import clone_template_into, template_schema_name

logger = logging.getLogger(__name__)

RESERVED_SLUGS = {"www", "api", "admin", "static", "media", "public", "hq", "federation"}
# Schema names PostgreSQL keeps for itself ("pg_" is refused by CREATE SCHEMA) or already has.
RESERVED_SCHEMA_PREFIXES = ("pg_",)
RESERVED_SCHEMAS = {"information_schema", "public"}

# The language a country's cooperative works in by default (the first of its languages).
DEFAULT_LOCALES = {
    "BE": ["fr_BE", "nl_BE"],
    "FR": ["fr_FR"],
    "DE": ["de_DE"],
    "AT": ["de_AT"],
    "IT": ["it_IT"],
    "ES": ["es_ES"],
    "SE": ["sv_SE"],
    "NL": ["nl_NL"],
    "CL": ["es_CL"],
    "US": ["en_US"],
    "CA": ["en_CA", "fr_CA"],
    "GB": ["en_GB"],
}

# PostgreSQL's SQLSTATE for CREATE SCHEMA of a name that exists (duplicate_schema).
_DUPLICATE_SCHEMA = "42P06"

# Which moves between tiers the lifecycle accepts: an Academy tenant is promoted in
# place; established partners may move between the three network tiers.
_NETWORK_TIERS = {Tier.OPEN_SMART, Tier.SOCIAL_FRANCHISE, Tier.EUROPEAN_GROUP}


def schema_name_for(slug: str) -> str:
    """The PostgreSQL schema of a partner: its slug with hyphens as underscores."""
    return slug.replace("-", "_")


def partner_host(slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def _validate_country(country: str) -> str:
    code = country_code(country)
    if code is None:
        raise PartnerInvalid(
            _("Unknown country code: %(country)s (ISO 3166-1 alpha-2 expected).")
            % {"country": repr(country)},
            {"fields": {"country": [_("Unknown ISO 3166-1 alpha-2 code.")]}},
        )
    return code


def _validate_locale(locale: str, field: str = "default_locale") -> str:
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError, AttributeError):
        raise PartnerInvalid(
            _("Unknown locale: %(locale)s.") % {"locale": repr(locale)},
            {"fields": {field: [_("Unknown locale.")]}},
        ) from None
    if parsed.modifier or parsed.script:
        raise PartnerInvalid(
            _("Give a plain locale such as de_DE, not %(locale)s.") % {"locale": repr(locale)},
            {"fields": {field: [_("Plain locale.")]}},
        )
    return str(parsed)


def partner_create(
    *,
    slug: str,
    name: str,
    country: str,
    tier: str,
    currency: str | None = None,
    default_locale: str | None = None,
    languages: list[str] | None = None,
    founded_on: dt.date | None = None,
    legal_form: str = "",
    recorded_by: str = "",
) -> Partner:
    """Create a partner: its schema (cloned from the template, or migrated when no current
    template exists), its registry row, its host ``<slug>.<PLATFORM_DOMAIN>`` and its first
    history event, all in one transaction: a failure leaves nothing behind.

    ``currency`` defaults to the country's current currency (ISO 4217), ``default_locale``
    to the country's first language. ``name`` and ``legal_form`` follow the text rule
    (``common.text``). Raises ``PartnerInvalid``, ``PartnerExists`` (the slug is taken) or
    ``PartnerSchemaExists`` (no partner has the slug, but its schema exists: it is left
    untouched).
    """
    slug = (slug or "").strip().lower()
    try:
        SLUG_VALIDATOR(slug)
    except Exception:
        raise PartnerInvalid(
            _("Invalid slug: %(slug)s.") % {"slug": repr(slug)},
            {"fields": {"slug": [str(SLUG_VALIDATOR.message)]}},
        ) from None
    if slug.endswith("-"):
        # The host <slug>.<domain> would not be a valid DNS label.
        raise PartnerInvalid(
            _("Invalid slug: %(slug)s.") % {"slug": repr(slug)},
            {"fields": {"slug": [_("A slug cannot end with a hyphen.")]}},
        )
    schema_name = schema_name_for(slug)
    if (
        slug in RESERVED_SLUGS
        or schema_name == template_schema_name()
        or schema_name.startswith(RESERVED_SCHEMA_PREFIXES)
        or schema_name in RESERVED_SCHEMAS
    ):
        raise PartnerInvalid(
            _("The slug %(slug)s is reserved.") % {"slug": repr(slug)},
            {"fields": {"slug": [_("Reserved.")]}},
        )
    if not (name or "").strip():
        raise PartnerInvalid(
            _("A partner needs a name."), {"fields": {"name": [_("This field is required.")]}}
        )
    for field, value in (("name", name), ("legal_form", legal_form)):
        try:
            validate_text(value)
        except ValidationError as exc:
            raise PartnerInvalid(exc.messages[0], {"fields": {field: exc.messages}}) from None
    country = _validate_country(country)
    # The founding date is a fact of the past (today is read here, and only here).
    if founded_on is not None and founded_on > timezone.localdate():
        raise PartnerInvalid(
            _("A partner cannot be founded in the future."),
            {"fields": {"founded_on": [_("In the future.")]}},
        )
    if tier not in Tier.values:
        raise PartnerInvalid(
            _("Unknown tier: %(tier)s.") % {"tier": repr(tier)},
            {"fields": {"tier": [_("One of %(values)s.") % {"values": ", ".join(Tier.values)}]}},
        )
    if currency is None:
        currencies = get_territory_currencies(country)
        if not currencies:
            raise PartnerInvalid(
                _("No currency known for %(country)s; give one.") % {"country": country},
                {"fields": {"currency": [_("Required.")]}},
            )
        currency = currencies[0]
    try:
        currency = validate_currency(currency)
    except Exception:
        raise PartnerInvalid(
            _("Unknown currency: %(currency)s.") % {"currency": repr(currency)},
            {"fields": {"currency": [_("Unknown ISO 4217 code.")]}},
        ) from None
    locales = DEFAULT_LOCALES.get(country, ["en"])
    default_locale = _validate_locale(default_locale or locales[0])
    languages = [_validate_locale(lang, "languages") for lang in (languages or locales)]
    if default_locale not in languages:
        languages.insert(0, default_locale)
    if (
        Partner.objects.filter(slug=slug).exists()
        or Partner.objects.filter(schema_name=schema_name).exists()
    ):
        raise PartnerExists(
            _("A partner %(slug)s already exists.") % {"slug": repr(slug)},
            {"fields": {"slug": [_("Already used.")]}},
        )

    connection.set_schema_to_public()
    with transaction.atomic():
        try:
            _create_schema(schema_name)
        except ProgrammingError as exc:
            # Checked by CREATE SCHEMA itself rather than beforehand, so that a schema
            # made between a check and the creation is refused the same way.
            if getattr(exc.__cause__, "sqlstate", None) != _DUPLICATE_SCHEMA:
                raise
            raise PartnerSchemaExists(
                _(
                    "The database already holds a schema %(schema)s, so no partner %(slug)s "
                    "can be created; choose another slug."
                )
                % {"schema": schema_name, "slug": repr(slug)},
                {"fields": {"slug": [_("Its schema already exists.")]}, "schema": schema_name},
            ) from None
        partner = Partner(
            schema_name=schema_name,
            slug=slug,
            name=name.strip(),
            country=country,
            tier=tier,
            status=Status.ACTIVE,
            currency=currency,
            default_locale=default_locale,
            languages=languages,
            founded_on=founded_on,
            legal_form=legal_form,
        )
        partner.save()
        _register_domains(partner)
        PartnerEvent.objects.create(
            partner=partner,
            kind=PartnerEvent.Kind.CREATED,
            effective_on=founded_on or timezone.localdate(),
            tier=tier,
            status=Status.ACTIVE,
            recorded_by=recorded_by,
        )
        _charter_start(partner)
        transaction.on_commit(routing_cache_clear)
    return partner


def _charter_start(partner: Partner) -> None:
    """Push the new partner's settings and (empty) catalogue to the federation, refuse
    the creation when its settings break its tier's charter today
    (``CharterRequirementsUnmet``: the transaction leaves nothing), and open the findings
    of what it has yet to set up (its core services)."""
    with tenant_context(partner):
        settings_state_push()
        catalogue_state_push()
    today = timezone.localdate()
    refuse_unmet(
        partner=partner,
        tier=partner.tier,
        unmet=check_partner(partner=partner, on=today, settings_only=True),
    )
    findings_sync(partner=partner, today=today)


def _create_schema(schema_name: str) -> None:
    if clone_template_into(schema_name):
        return
    logger.info("No current template capture; migrating schema %s.", schema_name)
    from django.core.management import call_command  # noqa: F401  (keeps import local)
    from django_tenants.migration_executors.base import run_migrations

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    run_migrations(
        args=[],
        options=_migrate_options(),
        executor_codename="create",
        schema_name=schema_name,
        allow_atomic=True,
    )
    connection.set_schema_to_public()


def _migrate_options() -> dict:
    from django.core.management.commands.migrate import Command as DjangoMigrate

    parser = DjangoMigrate().create_parser("manage.py", "migrate")
    options = vars(parser.parse_args(["--noinput", "--verbosity", "0"]))
    options["skip_checks"] = True
    return options


def _register_domains(partner: Partner) -> None:
    Domain.objects.create(domain=partner_host(partner.slug), tenant=partner, is_primary=True)


def _check_sequence(partner: Partner, effective_on: dt.date | None) -> dt.date:
    """``effective_on`` (default today), refused when before the partner's last change."""
    effective_on = effective_on or timezone.localdate()
    # The history is a sequence: a change cannot take effect before the one in force.
    last = partner.events.order_by("-effective_on", "-id").first()
    if last is not None and effective_on < last.effective_on:
        raise TransitionRefused(
            _("%(partner)s last changed on %(date)s; a later change cannot take effect before.")
            % {"partner": partner.slug, "date": last.effective_on.isoformat()},
            {
                "fields": {
                    "effective_on": [
                        _("On or after %(date)s.") % {"date": last.effective_on.isoformat()}
                    ]
                }
            },
        )
    return effective_on


def _record(
    partner: Partner,
    kind: str,
    *,
    tier: str,
    status: str,
    effective_on: dt.date | None,
    reason: str,
    recorded_by: str,
) -> PartnerEvent:
    effective_on = _check_sequence(partner, effective_on)
    event = PartnerEvent.objects.create(
        partner=partner,
        kind=kind,
        effective_on=effective_on,
        tier=tier,
        status=status,
        previous_tier=partner.tier,
        previous_status=partner.status,
        reason=reason,
        recorded_by=recorded_by,
    )
    partner.tier = tier
    partner.status = status
    partner.save(update_fields=["tier", "status"])
    transaction.on_commit(routing_cache_clear)
    return event


def _locked(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().get(pk=partner.pk)


@transaction.atomic
def partner_promote(
    *,
    partner: Partner,
    tier: str,
    effective_on: dt.date | None = None,
    reason: str = "",
    recorded_by: str = "",
) -> Partner:
    """Move ``partner`` to ``tier`` in place (schema and data stay). An Academy tenant is
    promoted to a network tier; network partners move between network tiers; nobody goes
    back to the Academy. ``effective_on`` defaults to today.

    A move to a higher tier (``TIER_RANK``) is refused unless the partner meets the
    target tier's charter in force on ``effective_on``: ``CharterRequirementsUnmet`` lists
    every unmet requirement (core services, fee band, contribution, board seats, share
    remuneration, annual reports if the tier asks for them). After any move, the
    partner's findings are brought up to date. Raises ``TransitionRefused`` too."""
    partner = _locked(partner)
    if tier not in Tier.values:
        raise PartnerInvalid(
            _("Unknown tier: %(tier)s.") % {"tier": repr(tier)},
            {"fields": {"tier": [_("Unknown tier.")]}},
        )
    if tier == partner.tier:
        raise TransitionRefused(
            _("%(partner)s is already in tier %(tier)s.") % {"partner": partner.slug, "tier": tier}
        )
    if tier == Tier.ACADEMY:
        raise TransitionRefused(_("A partner cannot move back to the Academy."))
    if partner.status == Status.ARCHIVED:
        raise TransitionRefused(_("%(partner)s is archived.") % {"partner": partner.slug})
    today = timezone.localdate()
    if TIER_RANK[tier] > TIER_RANK[partner.tier]:
        on = _check_sequence(partner, effective_on)
        refuse_unmet(
            partner=partner, tier=tier, unmet=check_partner(partner=partner, on=on, tier=tier)
        )
    _record(
        partner,
        PartnerEvent.Kind.PROMOTED,
        tier=tier,
        status=partner.status,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
    )
    findings_sync(partner=partner, today=today)
    return partner


@transaction.atomic
def partner_suspend(
    *, partner: Partner, reason: str, effective_on: dt.date | None = None, recorded_by: str = ""
) -> Partner:
    """Close access to an active partner (403 on its host); data stays. A reason is
    required. Raises ``TransitionRefused``."""
    partner = _locked(partner)
    if partner.status != Status.ACTIVE:
        raise TransitionRefused(
            _("%(partner)s is %(status)s, not active.")
            % {"partner": partner.slug, "status": partner.get_status_display()}
        )
    if not reason.strip():
        raise PartnerInvalid(
            _("Say why the partner is suspended."), {"fields": {"reason": [_("Required.")]}}
        )
    _record(
        partner,
        PartnerEvent.Kind.SUSPENDED,
        tier=partner.tier,
        status=Status.SUSPENDED,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
    )
    return partner


@transaction.atomic
def partner_reactivate(
    *,
    partner: Partner,
    reason: str = "",
    effective_on: dt.date | None = None,
    recorded_by: str = "",
) -> Partner:
    """Reopen a suspended or archived partner (a dormant partner may come back)."""
    partner = _locked(partner)
    if partner.status == Status.ACTIVE:
        raise TransitionRefused(_("%(partner)s is already active.") % {"partner": partner.slug})
    _record(
        partner,
        PartnerEvent.Kind.REACTIVATED,
        tier=partner.tier,
        status=Status.ACTIVE,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
    )
    return partner


@transaction.atomic
def partner_archive(
    *, partner: Partner, reason: str, effective_on: dt.date | None = None, recorded_by: str = ""
) -> Partner:
    """Close a partner for good (410 on its host); its schema and data are kept."""
    partner = _locked(partner)
    if partner.status == Status.ARCHIVED:
        raise TransitionRefused(_("%(partner)s is already archived.") % {"partner": partner.slug})
    if not reason.strip():
        raise PartnerInvalid(
            _("Say why the partner is archived."), {"fields": {"reason": [_("Required.")]}}
        )
    _record(
        partner,
        PartnerEvent.Kind.ARCHIVED,
        tier=partner.tier,
        status=Status.ARCHIVED,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
    )
    return partner
