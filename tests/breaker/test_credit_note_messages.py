"""Refusals name amounts with the currency's digits ("109.00" in EUR), as everywhere else
in the invoicing API, never the storage precision ("109.000")."""

from django.utils import timezone


def test_a_whole_credit_note_after_a_payment_names_the_remainder_in_currency_digits(
    api, partner_a, make_user, in_schema
):
    from tenants.invoicing.models import CreditNote
    from tests.tenants.invoicing.factories import issued_invoice

    with in_schema(partner_a):
        invoice = issued_invoice()  # 100.00 + 19 % VAT = 119.00 EUR
    accountant = api(partner_a, make_user(partner_a, "accountant"))
    today = timezone.localdate().isoformat()
    accountant.post(
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {"amount": "10.00", "date": today},
        format="json",
    )

    response = accountant.post(
        f"/api/v1/invoices/{invoice.pk}/credit-note/", {"reason": "cancel"}, format="json"
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert "109.00 " in body["message"]
    assert "109.000" not in body["message"]
    assert body["extra"]["amount_due"] == "109.00"
    with in_schema(partner_a):
        assert not CreditNote.objects.filter(invoice_id=invoice.pk).exists()
