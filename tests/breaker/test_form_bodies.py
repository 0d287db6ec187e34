"""Text that is not valid UTF-8 is refused in every kind of body. A JSON body holding
invalid UTF-8 is a 400; so is a form or multipart body holding the same bytes (Django
alone decodes form fields with ``errors="replace"`` and would store U+FFFD in their place,
so that what is stored would not be what was sent)."""

import uuid

from tests.tenants.invoicing.factories import make_activity


def test_invalid_utf8_in_a_json_body_is_a_400(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.generic(
        "POST",
        "/api/v1/clients/",
        b'{"name": "A\xffB", "country": "BE"}',
        content_type="application/json",
    )

    assert response.status_code == 400


def test_invalid_utf8_in_a_form_body_is_a_400(api, partner_a, make_user, in_schema):
    from tenants.invoicing.models import Client

    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.generic(
        "POST",
        "/api/v1/clients/",
        "name=A%FFB&country=BE",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400, response.content
    with in_schema(partner_a):
        assert not Client.objects.filter(name__contains="\ufffd").exists()


def test_invalid_utf8_in_a_multipart_field_is_a_400(api, partner_a, make_user, in_schema):
    from tenants.expenses.models import Expense

    user = make_user(partner_a, "admin")
    with in_schema(partner_a):
        activity = make_activity()
    boundary = uuid.uuid4().hex
    parts = {
        "activity": str(activity.pk).encode(),
        "amount": b"12.50",
        "spent_on": b"2025-03-01",
        "category": b"travel",
        "description": b"Train \xff ticket",
    }
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in parts.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="receipt"; '
        f'filename="r.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode() + b"%PDF-1.4\n%%EOF\n\r\n"
    body += f"--{boundary}--\r\n".encode()

    response = api(partner_a, user).generic(
        "POST", "/api/v1/expenses/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )

    assert response.status_code == 400, response.content
    with in_schema(partner_a):
        assert not Expense.objects.exists()


def test_valid_utf8_in_a_form_body_is_stored_as_sent(api, partner_a, make_user, in_schema):
    from tenants.invoicing.models import Client

    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.generic(
        "POST",
        "/api/v1/clients/",
        "name=Caf%C3%A9+Ol%C3%A9&country=BE",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 201, response.content
    with in_schema(partner_a):
        assert Client.objects.filter(name="Café Olé").exists()
