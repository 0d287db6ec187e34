"""Gapless, unique numbers per partner and per year, also when issued concurrently."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tenants.invoicing import services
from tenants.invoicing.exceptions import NumberFormatInvalid
from tenants.invoicing.models import DocumentSequence, Invoice
from tenants.invoicing.numbering import number_format_check
from tenants.partner_settings.models import PartnerSettings

from .factories import issued_invoice, line, make_activity, make_client

THREADS = 36
ROLLED_BACK = {3, 11, 17, 29}  # these threads roll their issue back after numbering


class Rollback(Exception):
    pass


@pytest.mark.committed
@pytest.mark.slow
def test_parallel_issues_get_gapless_unique_numbers(committed_partner, django_db_blocker):
    with django_db_blocker.unblock():
        partner = committed_partner(country="DE")
        connection.set_tenant(partner)
        activity = make_activity()
        client = make_client()
        drafts = [
            services.invoice_create(
                activity=activity, client=client, lines=[line(), line()], created_by=None
            )
            for _ in range(THREADS)
        ]
        barrier = threading.Barrier(THREADS)
        numbers: dict[int, str] = {}
        errors: list[BaseException] = []

        def issue(i: int) -> None:
            connection.set_tenant(partner)
            try:
                barrier.wait(timeout=30)
                try:
                    with transaction.atomic():
                        invoice = services.invoice_issue(invoice=drafts[i], issued_by=None)
                        if i in ROLLED_BACK:
                            raise Rollback()
                    numbers[i] = invoice.number
                except Rollback:
                    pass
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=issue, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        assert not errors, errors
        year = timezone.localdate().year
        issued = THREADS - len(ROLLED_BACK)
        assert len(numbers) == issued
        assert sorted(numbers.values()) == [f"DE-{year}-{n:06d}" for n in range(1, issued + 1)]
        assert DocumentSequence.objects.get(kind="invoice", year=year).last_value == issued
        assert Invoice.objects.filter(status="draft").count() == len(ROLLED_BACK)
        connection.set_schema_to_public()


def test_numbers_follow_the_partners_format_and_the_issue_year(alpha):
    PartnerSettings.objects.filter(pk=1).update(invoice_number_format="A{year}/{seq:04d}")
    first = issued_invoice()
    second = issued_invoice()

    year = timezone.localdate().year
    assert first.number == f"A{year}/0001"
    assert second.number == f"A{year}/0002"


def test_invoice_and_credit_note_series_are_separate(alpha):
    first = issued_invoice()
    note = services.invoice_credit_note_create(invoice=first, reason="x", created_by=None)
    second = issued_invoice()

    assert second.sequence == first.sequence + 1
    assert note.sequence == 1
    assert note.number.startswith("CN-")


@pytest.mark.parametrize(
    "fmt", ["{country}-{seq}", "{country}-{year}", "{nope}-{seq}", "{year}-{seq:x"]
)
def test_a_number_format_that_could_collide_or_break_is_refused(fmt):
    with pytest.raises(NumberFormatInvalid):
        number_format_check(fmt)
