"""A manual ledger entry of zero is meaningless input: it is refused, since it would stay
as an immutable line of the activity's account."""

import pytest


@pytest.mark.parametrize("amount", ["0", "0.00", "-0.000"])
def test_a_manual_ledger_entry_of_zero_is_refused(api, partner_a, make_user, in_schema, amount):
    from tenants.members.models import LedgerEntry
    from tests.tenants.members.factories import ActivityFactory

    with in_schema(partner_a):
        activity = ActivityFactory()
    client = api(partner_a, make_user(partner_a, "accountant"))

    response = client.post(
        f"/api/v1/activities/{activity.pk}/ledger/",
        {
            "kind": "turnover_collected",
            "amount": amount,
            "booked_on": "2026-01-15",
            "description": "nothing",
        },
        format="json",
    )

    assert response.status_code == 400, response.content
    with in_schema(partner_a):
        assert not LedgerEntry.objects.filter(activity_id=activity.pk).exists()
