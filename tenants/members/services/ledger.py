"""An activity's account: an append-only ledger (``LedgerEntry``). Entries are posted,
never edited; a wrong one is corrected by a new entry that references it. Each posting is
one transaction with its audit row. The balance is read by ``selectors.activity_balance``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import saved_user
from common.errors import CurrencyMismatch
from common.money import Money, round_amount
from common.tenancy import current_partner
from tenants.audit.services import audit_record
from tenants.members.exceptions import IdempotencyConflict, LedgerInvalid
from tenants.members.models import Activity, LedgerEntry, LedgerKind
from tenants.members.selectors import ledger_effective_amount, ledger_entry_for_key


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
    currency = current_partner().currency
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
        created_by=saved_user(created_by),
    )
    if idempotency_key is not None:
        # Insert first and let the unique index on the key decide: a retried job (or a
        # concurrent one) finds the key taken and returns the entry already posted. Most
        # postings are first postings, so this saves the lookup a check-then-insert costs.
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            existing = ledger_entry_for_key(idempotency_key=idempotency_key)
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
