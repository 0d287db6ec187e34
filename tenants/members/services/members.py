"""Writing members, activities and activity ledgers.

Every service is one transaction and writes an audit row (``tenants.audit``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import CurrencyMismatch
from common.money import Money, round_amount
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.members.exceptions import (
    ActivityInvalid,
    IdempotencyConflict,
    LedgerInvalid,
    MemberInvalid,
    MemberTransitionRefused,
)
from tenants.members.models import (
    Activity,
    ActivityStatus,
    Consent,
    ConsentKind,
    LedgerEntry,
    LedgerKind,
    Member,
    MemberStatus,
    MemberStatusChange,
    ShareSubscription,
)
from tenants.members.validation import (
    IdentifierInvalid,
    iban_normalise,
    nace_normalise,
    national_id_normalise,
)


def partner_currency() -> str:
    """The current partner's currency (ISO 4217)."""
    tenant = getattr(connection, "tenant", None)
    currency = getattr(tenant, "currency", None)
    if not currency:
        raise LedgerInvalid(_("No partner is selected: ledgers live in a partner's schema."))
    return currency


def partner_country() -> str:
    return getattr(getattr(connection, "tenant", None), "country", "") or ""


def _first(queryset):
    """The first row of ``queryset`` with no ORDER BY, so that the unique index on the
    filtered column is used whatever the planner's statistics say."""
    return next(iter(queryset.order_by()[:1]), None)


# --- Members ---------------------------------------------------------------------------

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


def _member_clean(data: dict[str, Any]) -> dict[str, Any]:
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
                cleaned["national_id"], partner_country()
            )
        except IdentifierInvalid as exc:
            errors["national_id"] = [str(exc)]
    if "iban" in cleaned:
        try:
            cleaned["iban"] = iban_normalise(cleaned["iban"])
        except IdentifierInvalid as exc:
            errors["iban"] = [str(exc)]
    birth = cleaned.get("birth_date")
    if birth and birth > timezone.localdate():
        errors["birth_date"] = [_("A birth date cannot be in the future.")]
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
    member = Member(**_member_clean(fields), status=MemberStatus.APPLICANT)
    member.save()
    MemberStatusChange.objects.create(
        member=member,
        from_status="",
        to_status=MemberStatus.APPLICANT,
        effective_on=applied_on or timezone.localdate(),
        changed_by=actor if getattr(actor, "pk", None) else None,
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
    for key, value in _member_clean(data).items():
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
        changed_by=actor if getattr(actor, "pk", None) else None,
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
    if getattr(user, "role", None) != "member":
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
    from tenants.partner_settings.selectors import partner_settings_get

    if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= 1_000_000:
        raise MemberInvalid(extra={"fields": {"count": [_("A positive whole number.")]}})
    currency = partner_currency()
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


# --- Activities ------------------------------------------------------------------------

ACTIVITY_FIELDS = ("name", "sector", "description", "started_on")


def _activity_clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    errors: dict[str, list[str]] = {}
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            errors["name"] = [_("This field is required.")]
    if "sector" in cleaned:
        try:
            cleaned["sector"] = nace_normalise(cleaned["sector"])
        except IdentifierInvalid as exc:
            errors["sector"] = [str(exc)]
    if errors:
        raise ActivityInvalid(extra={"fields": errors})
    return cleaned


@transaction.atomic
def activity_create(*, member: Member, actor, **fields: Any) -> Activity:
    """Open an activity for ``member`` (not for an inactive member). ``fields``: ``name``,
    ``sector`` (NACE Rev. 2), optionally ``description``, ``started_on``.
    Raises ``ActivityInvalid``."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ActivityInvalid(extra={"fields": {f: [_("Unknown field.")] for f in sorted(unknown)}})
    if member.status == MemberStatus.INACTIVE:
        raise ActivityInvalid(
            _("An inactive member cannot open an activity."),
            {"fields": {"member": [_("The member is inactive.")]}},
        )
    fields.setdefault("name", "")
    fields.setdefault("sector", "")
    activity = Activity.objects.create(member=member, **_activity_clean(fields))
    audit_record(
        actor=actor, action="activity.create", obj=activity, changes=audit_snapshot(activity)
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor, data: dict[str, Any]) -> Activity:
    """Change an activity's ``name``, ``sector``, ``description``, ``started_on`` or
    ``status`` (active, suspended, closed). Raises ``ActivityInvalid``."""
    allowed = set(ACTIVITY_FIELDS) | {"status"}
    unknown = set(data) - allowed
    if unknown:
        raise ActivityInvalid(extra={"fields": {f: [_("Not editable.")] for f in sorted(unknown)}})
    if "status" in data and data["status"] not in ActivityStatus.values:
        raise ActivityInvalid(
            extra={
                "fields": {
                    "status": [
                        _("One of %(values)s.") % {"values": ", ".join(ActivityStatus.values)}
                    ]
                }
            }
        )
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    before = audit_snapshot(activity, list(allowed))
    for key, value in _activity_clean(data).items():
        setattr(activity, key, value)
    activity.save()
    changes = audit_diff(before, audit_snapshot(activity, list(allowed)))
    if changes:
        audit_record(actor=actor, action="activity.update", obj=activity, changes=changes)
    return activity


# --- Ledger ----------------------------------------------------------------------------


def _source_ref(source: models.Model | None) -> tuple[ContentType | None, str]:
    if source is None:
        return None, ""
    if source.pk is None:
        raise LedgerInvalid(_("The source of an entry must be saved first."))
    return ContentType.objects.get_for_model(source, for_concrete_model=False), str(source.pk)


@transaction.atomic
def ledger_post(
    *,
    activity: Activity,
    kind: str,
    amount: Money,
    booked_on: dt.date,
    description: str,
    rule: dict | None = None,
    source: models.Model | None = None,
    corrects: LedgerEntry | None = None,
    idempotency_key: str | None = None,
    created_by=None,
) -> LedgerEntry:
    """Append one entry to ``activity``'s account and return it.

    ``amount`` is a signed ``Money`` in the partner's currency (credit to the activity > 0,
    debit < 0), already rounded to the currency's minor unit (round at the edge: the caller
    knows the rule). ``rule`` explains the computation (e.g. ``{"rule": "fee", "rate":
    "0.0700", "base": "1000.00"}``); it is shown to the member line by line. ``source`` is
    the document behind the entry (any saved model instance). With an ``idempotency_key``
    already used, the existing entry is returned and nothing is posted.

    Raises ``CurrencyMismatch`` (not the partner's currency), ``LedgerInvalid`` (unknown
    kind, unrounded amount, empty description, correction of another activity's entry),
    ``IdempotencyConflict`` (key reused for a different activity, kind or amount).
    """
    currency = partner_currency()
    if not isinstance(amount, Money):
        raise LedgerInvalid(
            _("The amount must be Money."), {"fields": {"amount": [_("Money expected.")]}}
        )
    if amount.currency != currency:
        raise CurrencyMismatch(
            _("This partner's ledgers are in %(ours)s, not %(theirs)s.")
            % {"ours": currency, "theirs": amount.currency},
            {"currencies": [currency, amount.currency]},
        )
    if idempotency_key is not None:
        idempotency_key = str(idempotency_key).strip()
        if not idempotency_key or len(idempotency_key) > 200:
            raise LedgerInvalid(extra={"fields": {"idempotency_key": [_("1 to 200 characters.")]}})
    if kind not in LedgerKind.values:
        raise LedgerInvalid(
            extra={
                "fields": {
                    "kind": [_("One of %(values)s.") % {"values": ", ".join(LedgerKind.values)}]
                }
            }
        )
    if amount.amount != round_amount(amount.amount, currency):
        raise LedgerInvalid(
            _("%(amount)s has more decimals than %(currency)s allows; round it first.")
            % {"amount": amount, "currency": currency},
            {"fields": {"amount": [_("Not rounded to the currency's minor unit.")]}},
        )
    if not isinstance(booked_on, dt.date) or isinstance(booked_on, dt.datetime):
        raise LedgerInvalid(extra={"fields": {"booked_on": [_("A date is expected.")]}})
    description = (description or "").strip()
    if not description:
        raise LedgerInvalid(extra={"fields": {"description": [_("This field is required.")]}})
    if (kind == LedgerKind.CORRECTION) != (corrects is not None):
        raise LedgerInvalid(
            _("A correction references the entry it corrects, and only a correction does."),
            {"fields": {"corrects": [_("Required for, and only for, kind 'correction'.")]}},
        )
    if corrects is not None and corrects.activity_id != activity.pk:
        raise LedgerInvalid(
            extra={"fields": {"corrects": [_("The corrected entry belongs to another activity.")]}}
        )
    source_type, source_id = _source_ref(source)
    entry = LedgerEntry(
        activity=activity,
        kind=kind,
        amount=amount.amount,
        currency=currency,
        booked_on=booked_on,
        description=description[:255],
        rule=rule or {},
        source_type=source_type,
        source_id=source_id,
        corrects=corrects,
        idempotency_key=idempotency_key,
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    if idempotency_key is not None:
        # Insert first and let the unique index on the key decide: a retried job (or a
        # concurrent one) finds the key taken and returns the entry already posted. Most
        # postings are first postings, so this saves the lookup a check-then-insert costs.
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            existing = _first(LedgerEntry.objects.filter(idempotency_key=idempotency_key))
            if existing is None:  # another constraint failed: not a replay
                raise
            return _same_posting(existing, activity, kind, amount)
    else:
        entry.save()
    audit_record(
        actor=created_by,
        action="ledger.post",
        obj=entry,
        changes={
            "activity": activity.pk,
            "kind": kind,
            "amount": amount,
            "booked_on": booked_on,
            "rule": rule or {},
        },
    )
    return entry


def _same_posting(existing: LedgerEntry, activity: Activity, kind: str, amount: Money):
    if (
        existing.activity_id != activity.pk
        or existing.kind != kind
        or existing.amount != amount.amount
    ):
        raise IdempotencyConflict(extra={"entry": existing.pk})
    return existing


def ledger_effective_amount(*, entry: LedgerEntry) -> Money:
    """``entry``'s amount plus every correction posted against it."""
    corrected = entry.corrections.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return Money(entry.amount + corrected, entry.currency)


@transaction.atomic
def ledger_correct(
    *, entry: LedgerEntry, amount: Money, reason: str, created_by, booked_on: dt.date | None = None
) -> LedgerEntry:
    """Correct ``entry`` so that it counts for ``amount`` (signed Money: what the entry
    should have been; ``Money(0, cur)`` cancels it). Posts one ``correction`` entry for the
    difference, referencing ``entry``, booked on ``booked_on`` (default today), and returns
    it. A correction is itself corrected by correcting the original entry again.

    Raises ``LedgerInvalid`` (no reason, nothing to correct), ``CurrencyMismatch``.
    """
    if entry.corrects_id is not None:
        raise LedgerInvalid(
            _("Correct the original entry, not a correction."),
            {"fields": {"entry": [_("Correct entry %(entry)s.") % {"entry": entry.corrects_id}]}},
        )
    reason = (reason or "").strip()
    if not reason:
        raise LedgerInvalid(extra={"fields": {"reason": [_("A correction needs a reason.")]}})
    # Lock the original so that two corrections in parallel compute from the same state.
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    current = ledger_effective_amount(entry=entry)
    delta = amount - current
    if delta.amount == 0:
        raise LedgerInvalid(
            _("The entry already counts for this amount: nothing to correct."),
            {"fields": {"amount": [_("Equal to the current amount.")]}},
        )
    return ledger_post(
        activity=entry.activity,
        kind=LedgerKind.CORRECTION,
        amount=delta,
        booked_on=booked_on or timezone.localdate(),
        description=f"Correction of entry {entry.pk}: {reason}",
        rule={
            "rule": "correction",
            "corrects": entry.pk,
            "corrected_kind": entry.kind,
            "was": str(current.amount),
            "now": str(amount.amount),
            "difference": str(delta.amount),
            "reason": reason,
        },
        corrects=entry,
        created_by=created_by,
    )
