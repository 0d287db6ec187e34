"""Members: registration, identity and contact, status (applicant → active ↔ inactive),
their login, cooperative shares and consents. Each service is one transaction and writes
one audit row (``tenants.audit``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import is_member, saved_user
from common.dates import validate_birth_date
from common.money import round_amount
from common.tenancy import current_partner
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.members.exceptions import MemberInvalid, MemberTransitionRefused
from tenants.members.models import (
    Consent,
    ConsentKind,
    Member,
    MemberStatus,
    MemberStatusChange,
    ShareSubscription,
)
from tenants.members.validation import IdentifierInvalid, iban_normalise, national_id_normalise
from tenants.partner_settings.selectors import partner_settings_get

MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "birth_date",
    "national_id",
    "iban",
)


def member_clean(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (some of ``MEMBER_FIELDS``) trimmed, with the national id and IBAN checked
    for the partner's country and made compact. Raises ``MemberInvalid`` naming every field
    in error. Also the admin form's check."""
    cleaned = dict(data)
    errors: dict[str, list[str]] = {}
    for field in ("first_name", "last_name"):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
            if not cleaned[field]:
                errors[field] = [_("This field is required.")]
    if "national_id" in cleaned:
        try:
            cleaned["national_id"] = national_id_normalise(
                cleaned["national_id"], current_partner().country
            )
        except IdentifierInvalid as exc:
            errors["national_id"] = [str(exc)]
    if "iban" in cleaned:
        try:
            cleaned["iban"] = iban_normalise(cleaned["iban"])
        except IdentifierInvalid as exc:
            errors["iban"] = [str(exc)]
    birth = cleaned.get("birth_date")
    if birth:
        # The same plausible range as the API's, so that the admin cannot store what the
        # API refuses.
        try:
            validate_birth_date(birth, today=timezone.localdate())
        except ValidationError as exc:
            errors["birth_date"] = exc.messages
    if errors:
        raise MemberInvalid(extra={"fields": errors})
    return cleaned


@transaction.atomic
def member_create(*, actor, applied_on: dt.date | None = None, **fields: Any) -> Member:
    """Register an applicant, from ``applied_on`` (default today; when an application is
    recorded late). ``fields``: any of ``MEMBER_FIELDS`` (``first_name`` and ``last_name``
    required). The national id and IBAN are validated for the partner's country and stored
    compact. Raises ``MemberInvalid``."""
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise MemberInvalid(extra={"fields": {f: [_("Unknown field.")] for f in sorted(unknown)}})
    fields.setdefault("first_name", "")
    fields.setdefault("last_name", "")
    member = Member(**member_clean(fields), status=MemberStatus.APPLICANT)
    member.save()
    MemberStatusChange.objects.create(
        member=member,
        from_status="",
        to_status=MemberStatus.APPLICANT,
        effective_on=applied_on or timezone.localdate(),
        changed_by=saved_user(actor),
    )
    audit_record(actor=actor, action="member.create", obj=member, changes=audit_snapshot(member))
    return member


@transaction.atomic
def member_update(*, member: Member, actor, data: dict[str, Any]) -> Member:
    """Change a member's identity or contact fields (``MEMBER_FIELDS``). The status changes
    only through ``member_status_change``. Raises ``MemberInvalid``."""
    unknown = set(data) - set(MEMBER_FIELDS)
    if unknown:
        raise MemberInvalid(
            extra={"fields": {f: [_("Not editable here.")] for f in sorted(unknown)}}
        )
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = audit_snapshot(member, list(MEMBER_FIELDS))
    for key, value in member_clean(data).items():
        setattr(member, key, value)
    member.save()
    changes = audit_diff(before, audit_snapshot(member, list(MEMBER_FIELDS)))
    if changes:
        audit_record(actor=actor, action="member.update", obj=member, changes=changes)
    return member


# Allowed moves: an applicant is admitted or turned down; a member leaves and may return.
MEMBER_TRANSITIONS = {
    MemberStatus.APPLICANT: {MemberStatus.ACTIVE, MemberStatus.INACTIVE},
    MemberStatus.ACTIVE: {MemberStatus.INACTIVE},
    MemberStatus.INACTIVE: {MemberStatus.ACTIVE},
}


@transaction.atomic
def member_status_change(
    *,
    member: Member,
    to_status: str,
    actor,
    effective_on: dt.date | None = None,
    reason: str = "",
) -> Member:
    """Move a member to ``to_status`` (``MEMBER_TRANSITIONS``) from ``effective_on``
    (default today; not before the last change). Raises ``MemberTransitionRefused``."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if to_status not in MEMBER_TRANSITIONS.get(member.status, set()):
        raise MemberTransitionRefused(
            _("A member cannot go from %(from)s to %(to)s.")
            % {"from": member.status, "to": to_status},
            {"from": member.status, "to": to_status},
        )
    effective_on = effective_on or timezone.localdate()
    last = member.status_changes.order_by("-effective_on", "-id").first()
    if last and effective_on < last.effective_on:
        raise MemberTransitionRefused(
            _("A status change cannot take effect before the previous one."),
            {
                "fields": {
                    "effective_on": [
                        _("On or after %(date)s.") % {"date": last.effective_on.isoformat()}
                    ]
                }
            },
        )
    previous = member.status
    member.status = to_status
    member.save(update_fields=["status", "updated_at"])
    MemberStatusChange.objects.create(
        member=member,
        from_status=previous,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        changed_by=saved_user(actor),
    )
    audit_record(
        actor=actor,
        action="member.status_change",
        obj=member,
        changes={
            "status": {"before": previous, "after": to_status},
            "effective_on": effective_on,
            "reason": reason,
        },
    )
    return member


@transaction.atomic
def member_user_link(*, member: Member, user, actor) -> Member:
    """Let ``user`` (role ``member``) log in as ``member``. Raises ``MemberInvalid``."""
    if not is_member(user):
        raise MemberInvalid(extra={"fields": {"user": [_("The login must have the member role.")]}})
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise MemberInvalid(extra={"fields": {"user": [_("Already linked to another member.")]}})
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = member.user_id
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=actor,
        action="member.user_link",
        obj=member,
        changes={"user": {"before": before, "after": user.pk}},
    )
    return member


@transaction.atomic
def member_share_subscribe(
    *,
    member: Member,
    count: int,
    actor,
    subscribed_on: dt.date | None = None,
    nominal_value: Decimal | None = None,
) -> ShareSubscription:
    """Record ``count`` shares subscribed by ``member`` at the partner's nominal value (or
    ``nominal_value``, in the partner's currency). Raises ``MemberInvalid``."""
    if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= 1_000_000:
        raise MemberInvalid(extra={"fields": {"count": [_("A positive whole number.")]}})
    currency = current_partner().currency
    value = (
        nominal_value if nominal_value is not None else partner_settings_get().share_nominal_value
    )
    if value <= 0 or value != round_amount(value, currency):
        raise MemberInvalid(
            extra={"fields": {"nominal_value": [_("A positive amount in the currency's unit.")]}}
        )
    share = ShareSubscription.objects.create(
        member=member,
        count=count,
        nominal_value=value,
        currency=currency,
        subscribed_on=subscribed_on or timezone.localdate(),
    )
    audit_record(
        actor=actor, action="member.share_subscribe", obj=share, changes=audit_snapshot(share)
    )
    return share


@transaction.atomic
def member_share_mark_paid(
    *, share: ShareSubscription, actor, paid_on: dt.date | None = None
) -> ShareSubscription:
    """Mark a subscription paid on ``paid_on`` (default today). Raises ``MemberInvalid``
    if already paid or dated before the subscription."""
    share = ShareSubscription.objects.select_for_update().get(pk=share.pk)
    if share.paid:
        raise MemberTransitionRefused(_("These shares are already paid."))
    paid_on = paid_on or timezone.localdate()
    if paid_on < share.subscribed_on:
        raise MemberInvalid(
            extra={"fields": {"paid_on": [_("Cannot be before the subscription date.")]}}
        )
    share.paid, share.paid_on = True, paid_on
    share.save(update_fields=["paid", "paid_on"])
    audit_record(
        actor=actor,
        action="member.share_paid",
        obj=share,
        changes={"paid": {"before": False, "after": True}, "paid_on": paid_on},
    )
    return share


@transaction.atomic
def member_consent_give(*, member: Member, kind: str, text_version: str, actor) -> Consent:
    """Record that ``member`` consents to ``kind`` in ``text_version`` of its text.
    Raises ``MemberInvalid``."""
    if kind not in ConsentKind.values:
        raise MemberInvalid(
            extra={
                "fields": {
                    "kind": [_("One of %(values)s.") % {"values": ", ".join(ConsentKind.values)}]
                }
            }
        )
    text_version = (text_version or "").strip()
    if not text_version or len(text_version) > 40:
        raise MemberInvalid(extra={"fields": {"text_version": [_("1 to 40 characters.")]}})
    consent = Consent.objects.create(
        member=member, kind=kind, text_version=text_version, given_at=timezone.now()
    )
    audit_record(
        actor=actor, action="member.consent_give", obj=consent, changes=audit_snapshot(consent)
    )
    return consent


@transaction.atomic
def member_consent_withdraw(*, consent: Consent, actor) -> Consent:
    """Withdraw a consent now. Raises ``MemberTransitionRefused`` if already withdrawn."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise MemberTransitionRefused(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action="member.consent_withdraw",
        obj=consent,
        changes={"withdrawn_at": consent.withdrawn_at},
    )
    return consent
