"""Methods a resource does not offer answer 405; changing or deleting an issued invoice,
or issuing it again, answers 409; and none of them changes anything."""

import pytest


@pytest.fixture
def issued(partner_a, in_schema):
    from tests.tenants.invoicing.factories import issued_invoice

    with in_schema(partner_a):
        return issued_invoice()


def _state(in_schema, partner, invoice):
    from tenants.invoicing.models import Invoice

    with in_schema(partner):
        fresh = Invoice.objects.get(pk=invoice.pk)
        return (fresh.status, fresh.number, fresh.total_incl_vat, fresh.lines.count(), fresh.notes)


def test_an_issued_invoice_cannot_be_changed_deleted_or_issued_again(
    api, partner_a, make_user, in_schema, issued
):
    client = api(partner_a, make_user(partner_a, "admin"))
    path = f"/api/v1/invoices/{issued.pk}/"
    line = {"description": "x", "quantity": "1", "unit_price": "1.00"}
    before = _state(in_schema, partner_a, issued)

    answers = [
        client.patch(path, {"notes": "changed", "lines": [line]}, format="json").status_code,
        client.delete(path).status_code,
        client.post(f"{path}issue/", {}, format="json").status_code,
        client.put(path, {"notes": "changed"}, format="json").status_code,
    ]

    assert answers == [409, 409, 409, 405]
    assert _state(in_schema, partner_a, issued) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/api/v1/invoices/{invoice}/"),
        ("put", "/api/v1/clients/1/"),
        ("delete", "/api/v1/invoices/{invoice}/payments/"),
        ("put", "/api/v1/invoices/{invoice}/payments/"),
        ("patch", "/api/v1/invoices/{invoice}/pdf/"),
        ("post", "/api/v1/invoices/{invoice}/pdf/"),
        ("delete", "/api/v1/invoices/{invoice}/credit-notes/"),
        ("patch", "/api/v1/contracts/1/"),
        ("delete", "/api/v1/contracts/1/"),
        ("put", "/api/v1/salary-simulations/1/"),
        ("delete", "/api/v1/salary-simulations/1/"),
        ("delete", "/api/v1/income-plans/1/"),
        ("delete", "/api/v1/subscriptions/1/"),
        ("delete", "/api/v1/services/1/"),
        ("put", "/api/v1/labour-law/parameters/"),
        ("delete", "/api/v1/contracts/types/"),
    ],
)
def test_a_method_the_resource_does_not_offer_is_405(
    api, partner_a, make_user, issued, method, path
):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = getattr(client, method)(path.format(invoice=issued.pk), {}, format="json")

    assert response.status_code == 405, response.content
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("method", "status"),
    [
        ("head", 405),  # the action answers POST only
        ("options", 403),  # HasRole declares no role for the metadata action
    ],
)
def test_head_and_options_answer_without_changing_anything(
    api, partner_a, make_user, in_schema, issued, method, status
):
    client = api(partner_a, make_user(partner_a, "member"))
    before = _state(in_schema, partner_a, issued)

    response = getattr(client, method)(f"/api/v1/invoices/{issued.pk}/issue/")

    assert response.status_code == status
    assert _state(in_schema, partner_a, issued) == before
