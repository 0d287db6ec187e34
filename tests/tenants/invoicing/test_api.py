"""The invoicing API: contract fields, roles, isolation between partners, bad input."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tenants.invoicing import services
from tenants.invoicing.models import Client, Invoice
from tests.conftest import host_of

from .factories import D, issued_invoice, line, make_activity, make_client, make_invoice


def token_client_on(api, token_partner, user, host_partner):
    """A client holding ``user``'s token (issued in ``token_partner``'s schema, None =
    public) but talking to ``host_partner``'s host."""
    client = api(token_partner, user)
    client.defaults["HTTP_HOST"] = host_of(host_partner)
    return client


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def staff(partner_a, make_user):
    return {role: make_user(partner_a, role) for role in ("admin", "advisor", "accountant")}


@pytest.fixture
def member_setup(partner_a, make_user, in_schema):
    """Two members with a login and an activity each, in partner_a."""
    users = [make_user(partner_a, "member"), make_user(partner_a, "member")]
    with in_schema(partner_a):
        activities = [make_activity(user=user) for user in users]
    return users, activities


def invoice_body(activity, client, **extra):
    return {
        "activity": activity.pk,
        "client": client.pk,
        "lines": [
            {"description": "Design", "quantity": "2", "unit_price": "150.00"},
            {"description": "Travel", "quantity": "1", "unit_price": "20.00", "vat_rate": "0.07"},
        ],
        **extra,
    }


def test_a_member_creates_issues_and_an_accountant_collects_an_invoice(
    partner_a, api, staff, member_setup
):
    users, activities = member_setup
    member = api(partner_a, users[0])

    client = member.post(
        "/api/v1/clients/", {"name": "Kunde GmbH", "country": "DE"}, format="json"
    ).json()
    created = member.post(
        "/api/v1/invoices/", invoice_body(activities[0], Client(pk=client["id"])), format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"] is None
    assert body["status"] == "draft"
    assert body["currency"] == "EUR"
    assert body["total_excl_vat"] == "320.00"
    assert body["total_vat"] == "58.40"  # 300 × 19 % + 20 × 7 %
    assert body["total_incl_vat"] == "378.40"
    assert body["amount_due"] == "378.40"

    issued = member.post(f"/api/v1/invoices/{body['id']}/issue/", {}, format="json")
    assert issued.status_code == 200, issued.json()
    assert issued.json()["number"].startswith(f"DE-{today()[:4]}-")

    accountant = api(partner_a, staff["accountant"])
    paid = accountant.post(
        f"/api/v1/invoices/{body['id']}/payments/",
        {"amount": "100.00", "date": today()},
        format="json",
    )
    assert paid.status_code == 201, paid.json()
    assert paid.json()["amount"] == "100.00"
    detail = member.get(f"/api/v1/invoices/{body['id']}/").json()
    assert detail["status"] == "partly_paid"
    assert detail["amount_due"] == "278.40"

    refused = accountant.post(
        f"/api/v1/invoices/{body['id']}/payments/",
        {"amount": "300.00", "date": today()},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "overpayment"
    assert "278.40" in refused.json()["message"]

    pdf = member.get(f"/api/v1/invoices/{body['id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_member_may_not_record_payments_nor_credit_notes(partner_a, api, member_setup, in_schema):
    users, activities = member_setup
    with in_schema(partner_a):
        invoice = issued_invoice(activity=activities[0])
    member = api(partner_a, users[0])

    paid = member.post(
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {"amount": "1.00", "date": today()},
        format="json",
    )
    credited = member.post(
        f"/api/v1/invoices/{invoice.pk}/credit-note/", {"reason": "x"}, format="json"
    )

    assert paid.status_code == 403
    assert credited.status_code == 403
    assert member.get(f"/api/v1/invoices/{invoice.pk}/payments/").status_code == 200


def test_an_accountant_reads_all_but_creates_no_invoice(
    partner_a, api, staff, member_setup, in_schema
):
    users, activities = member_setup
    with in_schema(partner_a):
        client = make_client()
        make_invoice(activity=activities[0], client=client)
        make_invoice(activity=activities[1], client=client)
    accountant = api(partner_a, staff["accountant"])

    assert accountant.get("/api/v1/invoices/").json()["count"] == 2
    created = accountant.post(
        "/api/v1/invoices/", invoice_body(activities[0], client), format="json"
    )
    assert created.status_code == 403


def test_a_member_sees_only_invoices_of_their_own_activities(
    partner_a, api, member_setup, in_schema
):
    users, activities = member_setup
    with in_schema(partner_a):
        client = make_client()
        mine = make_invoice(activity=activities[0], client=client)
        theirs = issued_invoice(activity=activities[1], client=client)
    member = api(partner_a, users[0])

    listed = member.get("/api/v1/invoices/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert member.get(f"/api/v1/invoices/{theirs.pk}/").status_code == 404
    assert member.get(f"/api/v1/invoices/{theirs.pk}/pdf/").status_code == 404
    assert member.post(f"/api/v1/invoices/{theirs.pk}/issue/", {}).status_code == 404
    # Nor may they invoice on another member's activity.
    created = member.post("/api/v1/invoices/", invoice_body(activities[1], client), format="json")
    assert created.status_code == 400
    assert "activity" in created.json()["extra"]["fields"]


def test_a_member_sees_only_their_own_clients(partner_a, api, member_setup, in_schema):
    users, activities = member_setup
    other = api(partner_a, users[1])
    mine = (
        api(partner_a, users[0])
        .post("/api/v1/clients/", {"name": "Mine", "country": "DE"}, format="json")
        .json()
    )

    assert other.get("/api/v1/clients/").json()["count"] == 0
    assert other.get(f"/api/v1/clients/{mine['id']}/").status_code == 404
    assert (
        other.patch(f"/api/v1/clients/{mine['id']}/", {"name": "x"}, format="json").status_code
        == 404
    )


def test_partner_b_cannot_list_read_or_change_partner_a_documents(
    partner_a, partner_b, api, make_user, staff, in_schema
):
    with in_schema(partner_a):
        client = make_client()
        invoice = issued_invoice(client=client)
        activity = invoice.activity
        draft = make_invoice(activity=activity, client=client)
        estimate = services.estimate_create(
            activity=activity, client=client, lines=[line()], created_by=None
        )
    b_admin = api(partner_b, make_user(partner_b, "admin"))

    assert b_admin.get("/api/v1/invoices/").json()["count"] == 0
    assert b_admin.get("/api/v1/clients/").json()["count"] == 0
    assert b_admin.get("/api/v1/estimates/").json()["count"] == 0
    assert b_admin.get(f"/api/v1/invoices/{invoice.pk}/").status_code == 404
    assert b_admin.get(f"/api/v1/invoices/{invoice.pk}/pdf/").status_code == 404
    assert b_admin.get(f"/api/v1/clients/{client.pk}/").status_code == 404
    assert b_admin.get(f"/api/v1/estimates/{estimate.pk}/").status_code == 404
    assert (
        b_admin.patch(f"/api/v1/clients/{client.pk}/", {"name": "x"}, format="json").status_code
        == 404
    )
    assert b_admin.delete(f"/api/v1/invoices/{draft.pk}/").status_code == 404
    assert (
        b_admin.post(
            f"/api/v1/invoices/{invoice.pk}/payments/",
            {"amount": "1.00", "date": today()},
            format="json",
        ).status_code
        == 404
    )
    # partner_a's token on partner_b's host is unknown there.
    a_admin_on_b = token_client_on(api, partner_a, staff["admin"], partner_b)
    assert a_admin_on_b.get("/api/v1/invoices/").status_code == 401
    with in_schema(partner_a):
        assert Invoice.objects.get(pk=invoice.pk).amount_paid == 0
        assert Client.objects.get(pk=client.pk).name == client.name


@pytest.mark.parametrize("path", ["clients/", "invoices/", "estimates/"])
def test_hq_tokens_get_401_on_partner_hosts(partner_a, api, make_user, path):
    hq = make_user(None, "hq_admin")

    response = token_client_on(api, None, hq, partner_a).get(f"/api/v1/{path}")

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"quantity": "abc"}, "quantity"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "1e400"}, "quantity"),
        ({"unit_price": "99999999999999999999"}, "unit_price"),
        ({"unit_price": "NaN"}, "unit_price"),
        ({"unit_price": "1.0001"}, "unit_price"),
        ({"quantity": "999999999", "unit_price": "9999999999"}, "lines"),
        ({"vat_rate": "19"}, "vat_rate"),
        ({"vat_rate": "0.5"}, "vat_rate"),
    ],
)
def test_bad_lines_answer_400_and_create_nothing(partner_a, api, staff, in_schema, patch, field):
    with in_schema(partner_a):
        activity = make_activity()
        client = make_client()
    body = invoice_body(activity, client)
    body["lines"][0].update(patch)

    response = api(partner_a, staff["advisor"]).post("/api/v1/invoices/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in str(response.json()["extra"])
    with in_schema(partner_a):
        assert not Invoice.objects.exists()


def test_an_invoice_whose_total_would_be_negative_is_a_400_naming_the_lines(
    partner_a, api, staff, in_schema
):
    with in_schema(partner_a):
        activity = make_activity()
        client = make_client()
    body = {
        "activity": activity.pk,
        "client": client.pk,
        "lines": [{"description": "Refund", "quantity": "1", "unit_price": "-5.00"}],
    }

    response = api(partner_a, staff["advisor"]).post("/api/v1/invoices/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invoicing_invalid"
    assert "-5.95" in response.json()["message"]
    assert list(response.json()["extra"]["fields"]) == ["lines"]
    with in_schema(partner_a):
        assert not Invoice.objects.exists()


def test_a_draft_changed_to_a_negative_total_is_a_400_and_stays_as_it_was(
    partner_a, api, staff, in_schema
):
    with in_schema(partner_a):
        draft = make_invoice()
    advisor = api(partner_a, staff["advisor"])
    lines = [{"description": "Discount", "quantity": "2", "unit_price": "-10.00"}]

    response = advisor.patch(f"/api/v1/invoices/{draft.pk}/", {"lines": lines}, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["lines"]
    with in_schema(partner_a):
        draft.refresh_from_db()
        assert draft.total_incl_vat == D("119.00")
        assert [line.unit_price for line in draft.lines.all()] == [D("100.00")]


@pytest.mark.parametrize(
    "body",
    [
        {"activity": 999999, "client": None},
        {"activity": "x"},
        {"client": 2**70},
        {"lines": []},
        {"lines": "nope"},
    ],
)
def test_bad_references_answer_400(partner_a, api, staff, in_schema, body):
    with in_schema(partner_a):
        activity = make_activity()
        client = make_client()
    data = invoice_body(activity, client)
    data.update({k: v for k, v in body.items() if v is not None})
    if body.get("client", 1) is None:
        data["client"] = client.pk

    response = api(partner_a, staff["advisor"]).post("/api/v1/invoices/", data, format="json")

    assert response.status_code == 400, response.content


def test_ids_of_another_partner_in_a_body_are_unknown(
    partner_a, partner_b, api, staff, make_user, in_schema
):
    from django.db import connection

    with in_schema(partner_a):
        activity = make_activity()
        client = make_client()
    with in_schema(partner_b):
        # Ids are per schema: start partner B's past partner A's, so that B's ids name
        # nothing at A (else the request would name one of A's own rows).
        with connection.cursor() as cursor:
            for model, last in ((type(activity), activity.pk), (Client, client.pk)):
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [model._meta.db_table, last + 1000],
                )
        b_activity = make_activity()
        b_client = make_client(country="SE")
    advisor = api(partner_a, staff["advisor"])

    wrong_activity = advisor.post(
        "/api/v1/invoices/", invoice_body(b_activity, client), format="json"
    )
    wrong_client = advisor.post(
        "/api/v1/invoices/", invoice_body(activity, b_client), format="json"
    )

    assert wrong_activity.status_code == 400, wrong_activity.content
    assert list(wrong_activity.json()["extra"]["fields"]) == ["activity"]
    assert wrong_client.status_code == 400, wrong_client.content
    assert list(wrong_client.json()["extra"]["fields"]) == ["client"]
    with in_schema(partner_a):
        assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    "payment",
    [
        {"amount": "abc", "date": "2026-01-01"},
        {"amount": "1.001", "date": "2026-01-01"},
        {"amount": "-1", "date": "2026-01-01"},
        {"amount": "1e50", "date": "2026-01-01"},
        {"amount": "1.00", "date": "not a date"},
        {"amount": "1.00"},
        {"amount": "1.00", "date": "2999-01-01"},
    ],
)
def test_bad_payments_answer_400_and_change_nothing(partner_a, api, staff, in_schema, payment):
    with in_schema(partner_a):
        invoice = issued_invoice()

    response = api(partner_a, staff["accountant"]).post(
        f"/api/v1/invoices/{invoice.pk}/payments/", payment, format="json"
    )

    assert response.status_code == 400, response.content
    with in_schema(partner_a):
        invoice.refresh_from_db()
        assert invoice.amount_paid == 0
        assert invoice.status == "issued"


def test_an_issued_invoice_cannot_be_changed_through_the_api(partner_a, api, staff, in_schema):
    with in_schema(partner_a):
        invoice = issued_invoice()
    advisor = api(partner_a, staff["advisor"])

    patched = advisor.patch(f"/api/v1/invoices/{invoice.pk}/", {"notes": "changed"}, format="json")
    deleted = advisor.delete(f"/api/v1/invoices/{invoice.pk}/")

    assert patched.status_code == 409
    assert deleted.status_code == 409


def test_lists_filter_order_and_export(partner_a, api, staff, in_schema):
    with in_schema(partner_a):
        client = make_client(name="Filtered AG")
        issued = issued_invoice(client=client)
        make_invoice(client=client)
        make_invoice()
    admin = api(partner_a, staff["admin"])

    assert admin.get("/api/v1/invoices/?status=issued").json()["count"] == 1
    assert admin.get(f"/api/v1/invoices/?client={client.pk}").json()["count"] == 2
    assert admin.get(f"/api/v1/invoices/?activity={issued.activity_id}").json()["count"] == 1
    assert admin.get(f"/api/v1/invoices/?issued_from={today()}").json()["count"] == 1
    assert admin.get("/api/v1/invoices/?status=bogus").status_code == 400
    assert admin.get("/api/v1/invoices/?issued_from=yesterday").status_code == 400
    assert admin.get("/api/v1/invoices/?activity=abc").status_code == 400
    ordered = admin.get("/api/v1/invoices/?ordering=-total_incl_vat&page_size=2").json()
    assert len(ordered["results"]) == 2
    csv = admin.get("/api/v1/invoices/?format=csv&status=issued")
    assert csv.status_code == 200
    assert issued.number in csv.content.decode()
    xlsx = admin.get("/api/v1/invoices/?format=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert admin.get("/api/v1/clients/?format=csv").status_code == 200
    assert admin.get("/api/v1/estimates/?format=xlsx").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/invoices/", "/api/v1/estimates/"])
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("issued_from=20250301", "issued_from"),
        ("issued_to=2025-1-1", "issued_to"),
        ("created_from=2025-02-30", "created_from"),
        ("due_before=01/03/2025", "due_before"),
        ("activity=1e3", "activity"),
        ("client=-4", "client"),
        ("client=99999999999999999999", "client"),
    ],
)
def test_a_malformed_list_filter_answers_400_naming_it(
    partner_a, api, staff, path, query, parameter
):
    response = api(partner_a, staff["admin"]).get(f"{path}?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["extra"]["fields"]) == [parameter]


def test_a_credit_note_through_the_api_cancels_the_invoice(partner_a, api, staff, in_schema):
    with in_schema(partner_a):
        invoice = issued_invoice()
    advisor = api(partner_a, staff["advisor"])

    note = advisor.post(
        f"/api/v1/invoices/{invoice.pk}/credit-note/", {"reason": "Duplicate"}, format="json"
    )

    assert note.status_code == 201, note.json()
    assert note.json()["number"].startswith("CN-DE-")
    assert advisor.get(f"/api/v1/invoices/{invoice.pk}/").json()["status"] == "cancelled"
    notes = advisor.get(f"/api/v1/invoices/{invoice.pk}/credit-notes/").json()
    assert len(notes) == 1
    pdf = advisor.get(f"/api/v1/invoices/{invoice.pk}/credit-notes/{notes[0]['id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_a_draft_has_no_pdf(partner_a, api, staff, in_schema):
    with in_schema(partner_a):
        invoice = make_invoice()

    response = api(partner_a, staff["advisor"]).get(f"/api/v1/invoices/{invoice.pk}/pdf/")

    assert response.status_code == 409


def test_bad_client_input_answers_400(partner_a, api, staff):
    advisor = api(partner_a, staff["advisor"])

    for body in (
        {"name": "X", "country": "ZZ"},
        {"name": "X", "country": "DE", "vat_number": "DE000"},
        {"name": "", "country": "DE"},
        {"name": "X", "country": "DE", "email": "not-an-email"},
        {"name": "X", "country": "DE", "kind": "robot"},
        {"name": "X", "country": "DE", "language": "xx"},
    ):
        response = advisor.post("/api/v1/clients/", body, format="json")
        assert response.status_code == 400, (body, response.content)
