"""Two acceptances racing for the same balance: the activity's row lock lets one through."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django_tenants.utils import tenant_context


@pytest.mark.committed
def test_two_concurrent_contracts_cannot_spend_the_same_balance(
    committed_partner, django_db_blocker
):
    from common.accounts.services import user_create
    from tenants.labour_law.exceptions import ContractExceedsBalance
    from tenants.labour_law.models import Contract
    from tenants.labour_law.services import contract_create
    from tenants.members.models import LedgerEntry
    from tests.tenants.members.factories import ActivityFactory, MemberFactory, post

    # Given an activity holding 5,000.00 EUR (committed, so two connections see it)
    partner = committed_partner(country="DE", tier="european_group")
    with django_db_blocker.unblock(), tenant_context(partner):
        user = user_create(
            username="racer", role="advisor", password="a-long-test-password", check_password=False
        )
        activity = ActivityFactory(member=MemberFactory())
        post(activity, "5000.00")

    # When two threads each accept a contract using 3,000.00 EUR at the same time
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def accept():
        with django_db_blocker.unblock():
            try:
                with tenant_context(partner):
                    barrier.wait()
                    contract_create(
                        actor=user,
                        activity=activity,
                        contract_type="employment",
                        start=dt.date(2025, 3, 1),
                        amount=Decimal("3000.00"),
                    )
                    outcomes.append("signed")
            except ContractExceedsBalance:
                outcomes.append("refused")
            finally:
                connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then exactly one is signed and debited
    assert sorted(outcomes) == ["refused", "signed"]
    with django_db_blocker.unblock(), tenant_context(partner):
        assert Contract.objects.count() == 1
        assert LedgerEntry.objects.filter(kind="salary").count() == 1
