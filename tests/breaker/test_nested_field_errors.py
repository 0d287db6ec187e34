"""One shape of field errors, nested fields included: ``extra.fields`` maps a field's path
(``lines[1].quantity``, ``incomes[0]``, ``name``) to a list of messages, whether the
serializer or a service found the fault (found from outside: DRF's nested errors came as
``{"lines": {"1": {"quantity": [...]}}}`` while the services said ``lines[1].quantity``)."""

import pytest

from tests.tenants.invoicing.factories import make_activity, make_client

LINE = {"description": "Work", "quantity": "1", "unit_price": "10.00"}


def _flat(fields: dict) -> bool:
    return all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages)
        for messages in fields.values()
    )


@pytest.fixture
def invoicing(api, partner_a, make_user, in_schema):
    admin = make_user(partner_a, "admin")
    with in_schema(partner_a):
        activity, client = make_activity(), make_client()
    return api(partner_a, admin), {"activity": activity.pk, "client": client.pk}


def test_a_serializer_error_in_an_invoice_line_is_keyed_by_its_path(invoicing):
    client, refs = invoicing

    response = client.post(
        "/api/v1/invoices/",
        {**refs, "lines": [LINE, {**LINE, "quantity": "١٢"}]},
        format="json",
    )

    assert response.status_code == 400, response.content
    fields = response.json()["extra"]["fields"]
    assert list(fields) == ["lines[1].quantity"]
    assert _flat(fields)


def test_a_serializer_and_a_service_name_the_same_line_field_alike(invoicing):
    client, refs = invoicing

    by_serializer = client.post(
        "/api/v1/invoices/", {**refs, "lines": [{**LINE, "quantity": "x"}]}, format="json"
    )
    by_service = client.post(
        "/api/v1/invoices/", {**refs, "lines": [{**LINE, "quantity": "-1"}]}, format="json"
    )

    assert by_serializer.status_code == by_service.status_code == 400
    assert list(by_serializer.json()["extra"]["fields"]) == ["lines[0].quantity"]
    assert list(by_service.json()["extra"]["fields"]) == ["lines[0].quantity"]


def test_an_error_about_the_whole_list_of_lines_is_keyed_lines(invoicing):
    client, refs = invoicing

    response = client.post("/api/v1/invoices/", {**refs, "lines": []}, format="json")

    assert response.status_code == 400, response.content
    fields = response.json()["extra"]["fields"]
    assert list(fields) == ["lines"]
    assert _flat(fields)


def test_an_error_in_a_list_of_amounts_is_keyed_by_its_index(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "member"))

    response = client.post(
        "/api/v1/income-plans/",
        {"start_month": "2027-01", "incomes": ["100", "x", "-1"]},
        format="json",
    )

    assert response.status_code == 400, response.content
    fields = response.json()["extra"]["fields"]
    assert sorted(fields) == ["incomes[1]", "incomes[2]"]
    assert _flat(fields)


def test_a_translated_name_that_is_not_an_object_is_keyed_name(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.post(
        "/api/v1/services/",
        {
            "code": "x1",
            "name": "not an object",
            "pricing_model": "free",
            "currency": "EUR",
            "available_from": "2025-01-01",
        },
        format="json",
    )

    assert response.status_code == 400, response.content
    fields = response.json()["extra"]["fields"]
    assert list(fields) == ["name"]
    assert _flat(fields)
