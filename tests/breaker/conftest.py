"""Fixtures shared by the breaker tests."""

import pytest


@pytest.fixture
def shared(partner_a, make_user, in_schema):
    """Ann created client "Ann's Kunde GmbH"; an advisor invoiced Bob's activity to it."""
    from tenants.invoicing import services
    from tests.tenants.invoicing.factories import line, make_activity

    advisor = make_user(partner_a, "advisor")
    ann, bob = make_user(partner_a, "member"), make_user(partner_a, "member")
    with in_schema(partner_a):
        ann_activity, bob_activity = make_activity(user=ann), make_activity(user=bob)
        kunde = services.client_create(
            name="Ann's Kunde GmbH", country="DE", address="Hauptstr. 1", created_by=ann
        )
        ann_draft = services.invoice_create(
            activity=ann_activity, client=kunde, lines=[line()], created_by=ann
        )
        bob_issued = services.invoice_create(
            activity=bob_activity, client=kunde, lines=[line()], created_by=advisor
        )
        services.invoice_issue(invoice=bob_issued, issued_by=advisor)
    return dict(ann=ann, bob=bob, kunde=kunde, ann_draft=ann_draft, bob_issued=bob_issued)
