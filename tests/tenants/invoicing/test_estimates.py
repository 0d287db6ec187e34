"""Estimates: validation setting, sending, acceptance, and invoicing with a deposit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tenants.invoicing import services
from tenants.invoicing.exceptions import EstimateNeedsValidation, EstimateStateInvalid
from tenants.invoicing.models import Estimate, Invoice
from tenants.partner_settings.models import PartnerSettings

from .factories import line, make_activity, make_client

D = Decimal


def today():
    return timezone.localdate()


@pytest.fixture
def estimate(alpha):
    return services.estimate_create(
        activity=make_activity(),
        client=make_client(),
        lines=[line(quantity="10", unit_price="100.00"), line(unit_price="50.00", vat_rate="0.07")],
        created_by=None,
    )


def test_a_member_cannot_send_without_validation_when_the_partner_requires_it(
    estimate, make_user, partner_a
):
    member = make_user(partner_a, "member")
    advisor = make_user(partner_a, "advisor")

    with pytest.raises(EstimateNeedsValidation):
        services.estimate_send(estimate=estimate, sent_by=member)

    services.estimate_validate(estimate=estimate, validated_by=advisor)
    sent = services.estimate_send(estimate=estimate, sent_by=member)
    assert sent.status == Estimate.Status.SENT
    assert sent.number.startswith(f"EST-DE-{today().year}-")


def test_a_member_may_send_alone_when_the_partner_allows_it(estimate, make_user, partner_a):
    PartnerSettings.objects.filter(pk=1).update(estimate_requires_validation=False)
    member = make_user(partner_a, "member")

    sent = services.estimate_send(estimate=estimate, sent_by=member)

    assert sent.status == Estimate.Status.SENT


def test_an_accepted_estimate_becomes_a_deposit_then_a_balance_invoice(estimate):
    services.estimate_send(estimate=estimate, sent_by=None)
    services.estimate_accept(
        estimate=estimate,
        accepted_on=today(),
        accepted_by_name="Frau Schmidt",
        method="signature",
        recorded_by=None,
    )
    estimate.refresh_from_db()
    assert estimate.accepted_by_name == "Frau Schmidt"
    # 1000.00 at 19 % + 50.00 at 7 % = 1050.00 excl. VAT, 1243.50 incl.

    deposit = services.estimate_invoice(estimate=estimate, deposit_percent="30", created_by=None)
    assert deposit.kind == Invoice.Kind.DEPOSIT
    assert deposit.total_excl_vat == D("315.00")  # 300.00 + 15.00
    assert deposit.total_vat == D("58.05")  # 57.00 + 1.05
    with pytest.raises(EstimateStateInvalid):
        services.estimate_invoice(estimate=estimate, created_by=None)  # deposit not issued
    services.invoice_issue(invoice=deposit, issued_by=None)

    balance = services.estimate_invoice(estimate=estimate, created_by=None)

    estimate.refresh_from_db()
    assert estimate.status == Estimate.Status.INVOICED
    assert balance.kind == Invoice.Kind.BALANCE
    assert balance.total_excl_vat == D("735.00")
    assert balance.total_excl_vat + deposit.total_excl_vat == estimate.total_excl_vat
    assert balance.total_incl_vat + deposit.total_incl_vat == estimate.total_incl_vat
    assert balance.lines.count() == 4  # 2 estimate lines + 2 deductions (one per rate)


def test_a_deposit_amount_is_split_across_rates_exactly(estimate):
    services.estimate_send(estimate=estimate, sent_by=None)
    services.estimate_accept(
        estimate=estimate,
        accepted_on=today(),
        accepted_by_name="X",
        method="email",
        recorded_by=None,
    )

    deposit = services.estimate_invoice(estimate=estimate, deposit_amount="100.00", created_by=None)

    assert deposit.total_excl_vat == D("100.00")


def test_an_estimate_not_accepted_cannot_be_invoiced_and_a_refusal_is_recorded(estimate):
    with pytest.raises(EstimateStateInvalid):
        services.estimate_invoice(estimate=estimate, created_by=None)
    services.estimate_send(estimate=estimate, sent_by=None)

    refused = services.estimate_refuse(
        estimate=estimate, refused_on=today(), reason="Too expensive", recorded_by=None
    )

    assert refused.status == Estimate.Status.REFUSED
    with pytest.raises(EstimateStateInvalid):
        services.estimate_update(estimate=estimate, updated_by=None, notes="x")


def test_estimates_through_the_api(partner_a, api, make_user, in_schema):
    advisor = make_user(partner_a, "advisor")
    member_user = make_user(partner_a, "member")
    with in_schema(partner_a):
        activity = make_activity(user=member_user)
        client = make_client(created_by=member_user)  # a member invoices their own clients
    member = api(partner_a, member_user)

    created = member.post(
        "/api/v1/estimates/",
        {"activity": activity.pk, "client": client.pk, "lines": [line(unit_price="200.00")]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    estimate_id = created.json()["id"]
    assert member.post(f"/api/v1/estimates/{estimate_id}/send/").status_code == 403
    assert member.post(f"/api/v1/estimates/{estimate_id}/validate/").status_code == 403
    assert (
        api(partner_a, advisor).post(f"/api/v1/estimates/{estimate_id}/validate/").status_code
        == 200
    )
    assert member.post(f"/api/v1/estimates/{estimate_id}/send/").status_code == 200
    accepted = member.post(
        f"/api/v1/estimates/{estimate_id}/accept/",
        {"accepted_on": today().isoformat(), "accepted_by": "Herr Meier", "method": "email"},
        format="json",
    )
    assert accepted.json()["status"] == "accepted"
    invoiced = member.post(f"/api/v1/estimates/{estimate_id}/invoice/", {}, format="json")
    assert invoiced.status_code == 201, invoiced.json()
    assert invoiced.json()["total_incl_vat"] == "238.00"
    assert invoiced.json()["status"] == "draft"


def test_an_estimate_with_a_negative_total_is_refused_when_written(alpha):
    from tenants.invoicing.exceptions import InvoicingInvalid

    with pytest.raises(InvoicingInvalid) as refused:
        services.estimate_create(
            activity=make_activity(),
            client=make_client(),
            lines=[line(unit_price="-5.00")],
            created_by=None,
        )

    assert list(refused.value.extra["fields"]) == ["lines"]
    assert not Estimate.objects.exists()


def test_a_draft_estimate_changed_to_a_negative_total_stays_as_it_was(estimate):
    from tenants.invoicing.exceptions import InvoicingInvalid

    total = estimate.total_incl_vat
    with pytest.raises(InvoicingInvalid):
        services.estimate_update(
            estimate=estimate, updated_by=None, lines=[line(unit_price="-1.00")]
        )

    estimate.refresh_from_db()
    assert estimate.total_incl_vat == total
    assert estimate.lines.count() == 2
