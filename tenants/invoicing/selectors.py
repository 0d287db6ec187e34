"""Reading clients, invoices, credit notes, payments and estimates.

Scoping: staff (admin, advisor, accountant) see everything of their partner; a member
sees the documents of their own activities, and the clients they created or that appear
on those documents. Anything else answers "not found", never "forbidden", so that ids do
not leak.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import is_member
from tenants.invoicing.exceptions import InvoicingInvalid, ObjectNotFound
from tenants.invoicing.models import Client, CreditNote, Estimate, Invoice, Payment


def client_list(*, user) -> QuerySet[Client]:
    """Clients ``user`` may see (see the module docstring)."""
    qs = Client.objects.all()
    if is_member(user):
        own_invoice = Invoice.objects.filter(
            client_id=OuterRef("pk"), activity__member__user_id=user.pk
        )
        own_estimate = Estimate.objects.filter(
            client_id=OuterRef("pk"), activity__member__user_id=user.pk
        )
        qs = qs.filter(Q(created_by_id=user.pk) | Exists(own_invoice) | Exists(own_estimate))
    return qs.order_by("name", "id")


def _get(qs: QuerySet, pk: Any, what: str):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise ObjectNotFound(_("No such %(what)s.") % {"what": what}) from None


def client_get(*, user, pk: Any) -> Client:
    """Raises ``ObjectNotFound`` for a client ``user`` may not see."""
    return _get(client_list(user=user), pk, _("client"))


def _scoped(qs: QuerySet, user) -> QuerySet:
    if is_member(user):
        qs = qs.filter(activity__member__user_id=user.pk)
    return qs


def _filter_documents(qs: QuerySet, filters: Mapping[str, Any], statuses) -> QuerySet:
    """Common filters, already parsed (``common.api.params``): ``status`` (a string of
    comma-separated statuses), ``activity`` and ``client`` (ids), ``issued_from`` /
    ``issued_to`` (issue date, inclusive), ``created_from`` / ``created_to`` (dates). A
    filter that is absent, None or empty is not applied. Raises ``InvoicingInvalid`` for an
    unknown status."""
    status = filters.get("status")
    if status:
        wanted = [s.strip() for s in status.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in statuses]
        if unknown:
            raise InvoicingInvalid(
                _("Unknown status: %(s)s.") % {"s": ", ".join(unknown)},
                {"fields": {"status": [_("One of: %(v)s.") % {"v": ", ".join(statuses)}]}},
            )
        qs = qs.filter(status__in=wanted)
    lookups = {
        "activity": "activity_id",
        "client": "client_id",
        "issued_from": "issue_date__gte",
        "issued_to": "issue_date__lte",
        "created_from": "created_at__date__gte",
        "created_to": "created_at__date__lte",
    }
    for name, lookup in lookups.items():
        if filters.get(name) is not None:
            qs = qs.filter(**{lookup: filters[name]})
    return qs


def invoice_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[Invoice]:
    """Invoices ``user`` may see, filtered (see ``_filter_documents``; also ``kind``,
    ``due_before`` (a date), ``overdue`` (a bool)), newest first, with client and lines
    loaded."""
    filters = filters or {}
    qs = _scoped(Invoice.objects.select_related("client").prefetch_related("lines"), user)
    qs = _filter_documents(qs, filters, Invoice.Status.values)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("due_before") is not None:
        qs = qs.filter(due_date__lt=filters["due_before"])
    if filters.get("overdue"):
        qs = qs.filter(status__in=INVOICE_UNPAID_STATUSES, due_date__lt=timezone.localdate())
    return qs.order_by("-created_at", "-id")


def invoice_get(*, user, pk: Any) -> Invoice:
    """Raises ``ObjectNotFound`` for an invoice ``user`` may not see."""
    return _get(invoice_list(user=user), pk, _("invoice"))


def credit_note_list(*, invoice: Invoice) -> QuerySet[CreditNote]:
    return CreditNote.objects.filter(invoice=invoice).prefetch_related("lines").order_by("id")


def payment_list(*, invoice: Invoice) -> QuerySet[Payment]:
    return Payment.objects.filter(invoice=invoice).order_by("received_on", "id")


def estimate_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[Estimate]:
    """Estimates ``user`` may see, filtered like invoices, newest first."""
    qs = _scoped(Estimate.objects.select_related("client").prefetch_related("lines"), user)
    qs = _filter_documents(qs, filters or {}, Estimate.Status.values)
    return qs.order_by("-created_at", "-id")


def estimate_get(*, user, pk: Any) -> Estimate:
    return _get(estimate_list(user=user), pk, _("estimate"))


# --- Inside a write's transaction ------------------------------------------------------
# Services (invoicing's and the guarantee fund's) load what they change through these: the
# row is locked until the transaction ends, so concurrent writes of one document queue.


def client_for_update(*, pk: int) -> Client:
    """The client ``pk``, its row locked. Raises ``ObjectNotFound``."""
    return _get(Client.objects.select_for_update(), pk, _("client"))


def client_has_documents(*, client: Client) -> bool:
    """Whether an invoice or an estimate names ``client``."""
    return client.invoices.exists() or client.estimates.exists()


# The states in which an invoice still expects money from its client.
INVOICE_UNPAID_STATUSES = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID)


def invoice_for_update(*, pk: int, related: tuple[str, ...] = ("client", "activity")) -> Invoice:
    """The invoice ``pk``, its row locked (the ``related`` rows loaded in the same query, not
    locked). Raises ``ObjectNotFound``."""
    qs = Invoice.objects.select_related(*related).select_for_update(of=("self",))
    return _get(qs, pk, _("invoice"))


def invoice_last_issue_date(*, year: int) -> dt.date | None:
    """The latest issue date among the invoices numbered in ``year``, or None."""
    return (
        Invoice.objects.filter(year=year, issue_date__isnull=False)
        .order_by("-issue_date")
        .values_list("issue_date", flat=True)
        .first()
    )


def invoice_list_unpaid_due_by(*, due_by: dt.date) -> QuerySet[Invoice]:
    """Issued or partly paid invoices due on or before ``due_by``, the longest overdue
    first, with activity and client loaded (for the guarantee fund's advances)."""
    return (
        Invoice.objects.filter(status__in=INVOICE_UNPAID_STATUSES, due_date__lte=due_by)
        .select_related("activity", "client")
        .order_by("due_date", "id")
    )


def estimate_for_update(*, pk: int) -> Estimate:
    """The estimate ``pk``, its row locked. Raises ``ObjectNotFound``."""
    return _get(Estimate.objects.select_for_update(), pk, _("estimate"))


def estimate_deposit_invoices(*, estimate: Estimate) -> list[Invoice]:
    """The deposit invoices of ``estimate`` that are not cancelled, with their lines."""
    return list(
        estimate.invoices.filter(kind=Invoice.Kind.DEPOSIT)
        .exclude(status=Invoice.Status.CANCELLED)
        .prefetch_related("lines")
    )
