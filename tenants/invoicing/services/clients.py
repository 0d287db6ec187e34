"""Clients: create, change, delete (a member only the clients they created)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from common.accounts.acting import is_member, saved_user
from common.countries import country_code
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.invoicing.exceptions import ClientNotOwned, InvoiceStateInvalid, invalid_field
from tenants.invoicing.models import Client
from tenants.invoicing.selectors import client_for_update, client_has_documents
from tenants.invoicing.vat import vat_number_normalize

LANGUAGES = {code for code, _name in settings.LANGUAGES}
EMAIL_MAX_LENGTH = Client._meta.get_field("email").max_length


CLIENT_FIELDS = ("name", "kind", "country", "vat_number", "address", "email", "language")


def _client_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check client fields (see ``client_create``) and return them normalised."""
    clean: dict[str, Any] = {}
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise invalid_field(sorted(unknown)[0], _("Unknown field."))
    if "name" in data:
        name = str(data["name"] or "").strip()
        if not name or len(name) > 200:
            raise invalid_field("name", _("A name of 1 to 200 characters is required."))
        clean["name"] = name
    if "kind" in data:
        if data["kind"] not in Client.Kind.values:
            raise invalid_field("kind", _("One of: company, person."))
        clean["kind"] = data["kind"]
    if "country" in data:
        country = country_code(data["country"])
        if country is None:
            raise invalid_field("country", _("An ISO 3166-1 alpha-2 country code is required."))
        clean["country"] = country
    for field in ("address", "email", "language", "vat_number"):
        if field in data:
            clean[field] = str(data[field] or "").strip()
    if len(clean.get("email", "")) > EMAIL_MAX_LENGTH:
        raise invalid_field("email", _("At most %(n)d characters.") % {"n": EMAIL_MAX_LENGTH})
    if clean.get("email"):
        try:
            validate_email(clean["email"])
        except DjangoValidationError:
            raise invalid_field("email", _("Not a valid email address.")) from None
    if clean.get("language") and clean["language"] not in LANGUAGES:
        raise invalid_field(
            "language", _("One of: %(codes)s.") % {"codes": ", ".join(sorted(LANGUAGES))}
        )
    if len(clean.get("address", "")) > 1000:
        raise invalid_field("address", _("At most 1000 characters."))
    return clean


@transaction.atomic
def client_create(
    *,
    name: str,
    country: str,
    created_by,
    kind: str = Client.Kind.COMPANY,
    vat_number: str = "",
    address: str = "",
    email: str = "",
    language: str = "",
) -> Client:
    """Create a client. ``country`` is ISO 3166-1 alpha-2; ``vat_number`` is checked for
    that country with python-stdnum (``vat.vat_number_normalize``) and stored compact;
    ``language`` is a platform language code or empty (the partner's).

    Raises ``InvoicingInvalid`` or ``ClientVatNumberInvalid`` (``extra.fields``).
    """
    clean = _client_clean(
        {
            "name": name,
            "kind": kind,
            "country": country,
            "vat_number": vat_number,
            "address": address,
            "email": email,
            "language": language,
        }
    )
    clean["vat_number"] = vat_number_normalize(country=clean["country"], number=clean["vat_number"])
    client = Client.objects.create(created_by=saved_user(created_by), **clean)
    audit_record(actor=created_by, action="client.create", obj=client, changes=clean)
    return client


@transaction.atomic
def client_update(*, client: Client, data: Mapping[str, Any], updated_by) -> Client:
    """Change some of a client's fields (same rules as ``client_create``). Issued
    documents keep the client as it was when they were issued. A member may change only
    the clients they created (else ``ClientNotOwned``)."""
    _check_client_owner(client, updated_by)
    client = client_for_update(pk=client.pk)
    clean = _client_clean(data)
    before = audit_snapshot(client, list(CLIENT_FIELDS))
    for field, value in clean.items():
        setattr(client, field, value)
    client.vat_number = vat_number_normalize(country=client.country, number=client.vat_number)
    client.save()
    changes = audit_diff(before, audit_snapshot(client, list(CLIENT_FIELDS)))
    if changes:
        audit_record(actor=updated_by, action="client.update", obj=client, changes=changes)
    return client


@transaction.atomic
def client_delete(*, client: Client, deleted_by) -> None:
    """Delete a client that no estimate or invoice uses (else ``InvoiceStateInvalid``). A
    member may delete only the clients they created (else ``ClientNotOwned``)."""
    _check_client_owner(client, deleted_by)
    if client_has_documents(client=client):
        raise InvoiceStateInvalid(_("This client has documents and cannot be deleted."))
    audit_record(
        actor=deleted_by,
        action="client.delete",
        obj=client,
        changes=audit_snapshot(client, list(CLIENT_FIELDS)),
    )
    client.delete()


def _check_client_owner(client: Client, user) -> None:
    # A member sees the clients on their own documents, whoever created them; changing one
    # would change other members' drafts (name, address, and the VAT decision by country).
    if is_member(user) and client.created_by_id != user.pk:
        raise ClientNotOwned()
