"""An invoice issued on a date for which no VAT rate is known is refused naming
``issue_date``, the field the caller must change (found from outside: issue_date
1900-01-01 answered vat_rule_missing with no field)."""

from tests.tenants.invoicing.factories import line, make_activity, make_client


def test_an_issue_date_before_every_vat_rate_is_a_400_naming_issue_date(
    api, partner_a, make_user, in_schema
):
    from tenants.invoicing.models import Invoice
    from tenants.invoicing.services import invoice_create

    admin = make_user(partner_a, "admin")
    with in_schema(partner_a):
        draft = invoice_create(
            activity=make_activity(), client=make_client(), lines=[line()], created_by=admin
        )

    response = api(partner_a, admin).post(
        f"/api/v1/invoices/{draft.pk}/issue/", {"issue_date": "1900-01-01"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "vat_rule_missing"
    assert list(response.json()["extra"]["fields"]) == ["issue_date"]
    with in_schema(partner_a):
        assert Invoice.objects.get(pk=draft.pk).status == Invoice.Status.DRAFT
