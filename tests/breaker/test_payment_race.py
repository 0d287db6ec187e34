"""Double-submitting a payment: two requests paying the whole invoice at the same time
record one payment and one ledger credit; the other is refused."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context
from rest_framework.test import APIClient


@pytest.mark.committed
def test_two_simultaneous_full_payments_post_only_once(committed_partner, django_db_blocker):
    from rest_framework.authtoken.models import Token

    from common.accounts.services import user_create
    from tenants.invoicing.models import Payment
    from tenants.members.models import LedgerEntry
    from tests.tenants.invoicing.factories import issued_invoice

    # Given an issued invoice of 119.00 EUR (committed, so two connections see it)
    partner = committed_partner(country="DE", tier="european_group")
    with django_db_blocker.unblock(), tenant_context(partner):
        user = user_create(
            username="cashier",
            role="accountant",
            password="a-long-test-password",
            check_password=False,
        )
        token = Token.objects.create(user=user).key
        invoice = issued_invoice()

    # When two clients post the full amount at the same moment
    codes: list[int] = []
    barrier = threading.Barrier(2)

    def pay():
        client = APIClient(HTTP_HOST=f"{partner.slug}.localhost")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        with django_db_blocker.unblock():
            try:
                barrier.wait()
                response = client.post(
                    f"/api/v1/invoices/{invoice.pk}/payments/",
                    {"amount": "119.00", "date": timezone.localdate().isoformat()},
                    format="json",
                )
                codes.append(response.status_code)
            finally:
                connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then one is recorded and the other refused (the invoice is paid by then: 409), and
    # the ledger is credited once
    assert sorted(codes) in ([201, 400], [201, 409])
    with django_db_blocker.unblock(), tenant_context(partner):
        assert Payment.objects.filter(invoice_id=invoice.pk).count() == 1
        assert LedgerEntry.objects.filter(kind="turnover_collected").count() == 1
        invoice.refresh_from_db()
        assert invoice.status == "paid"
