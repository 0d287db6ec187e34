"""members/ and activities/ over HTTP: roles, member scoping, isolation, bad input, export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tenants.audit.models import AuditEntry
from tenants.members.models import Activity, LedgerEntry, Member, MemberStatusChange
from tests.tenants.members.factories import ActivityFactory, MemberFactory, post

VALID_DE_IDNR = "36574261809"
VALID_IBAN = "DE89 3704 0044 0532 0130 00"


@pytest.fixture
def world(partner_a, make_user, in_schema):
    """Two members of partner_a, each with a login, an activity and entries; a staff user
    of each role."""
    users = {role: make_user(partner_a, role) for role in ("admin", "advisor", "accountant")}
    ann_user = make_user(partner_a, "member", username="ann")
    bob_user = make_user(partner_a, "member", username="bob")
    with in_schema(partner_a):
        ann = MemberFactory(first_name="Ann", last_name="Arbor", user=ann_user)
        bob = MemberFactory(first_name="Bob", last_name="Baker", user=bob_user)
        ann_activity = ActivityFactory(member=ann, name="Ann's studio")
        bob_activity = ActivityFactory(member=bob, name="Bob's bakery")
        post(ann_activity, "1000.00")
        post(ann_activity, "-70.00", kind="fee", rule={"rule": "fee", "rate": "0.0700"})
        post(bob_activity, "500.00")
    return {
        **users,
        "ann_user": ann_user,
        "bob_user": bob_user,
        "ann": ann,
        "bob": bob,
        "ann_activity": ann_activity,
        "bob_activity": bob_activity,
    }


def test_staff_roles_list_every_member(partner_a, api, world):
    for role in ("admin", "advisor", "accountant"):
        response = api(partner_a, world[role]).get("/api/v1/members/")
        assert response.status_code == 200
        assert {m["first_name"] for m in response.json()["results"]} == {"Ann", "Bob"}


def test_a_member_sees_only_their_own_record(partner_a, api, world):
    client = api(partner_a, world["ann_user"])
    listed = client.get("/api/v1/members/").json()["results"]
    assert [m["first_name"] for m in listed] == ["Ann"]
    assert client.get(f"/api/v1/members/{world['ann'].pk}/").status_code == 200
    assert client.get(f"/api/v1/members/{world['bob'].pk}/").status_code == 404
    assert client.get(f"/api/v1/members/{world['bob'].pk}/shares/").status_code == 404


def test_a_member_sees_only_their_own_activities_and_ledger(partner_a, api, world):
    client = api(partner_a, world["ann_user"])
    listed = client.get("/api/v1/activities/").json()["results"]
    assert [a["name"] for a in listed] == ["Ann's studio"]
    assert listed[0]["balance"] == "930.00"
    assert listed[0]["currency"] == "EUR"
    bob_activity = world["bob_activity"].pk
    assert client.get(f"/api/v1/activities/{bob_activity}/").status_code == 404
    assert client.get(f"/api/v1/activities/{bob_activity}/ledger/").status_code == 404


def test_a_member_sees_how_each_fee_was_computed(partner_a, api, world):
    client = api(partner_a, world["ann_user"])
    entries = client.get(f"/api/v1/activities/{world['ann_activity'].pk}/ledger/").json()
    fee = next(e for e in entries["results"] if e["kind"] == "fee")
    assert fee["amount"] == "-70.00"
    assert fee["rule"] == {"rule": "fee", "rate": "0.0700"}


def test_a_member_cannot_create_or_change_members_or_activities(partner_a, api, world):
    client = api(partner_a, world["ann_user"])
    ann = world["ann"].pk
    assert client.post("/api/v1/members/", {"first_name": "X", "last_name": "Y"}).status_code == 403
    assert client.patch(f"/api/v1/members/{ann}/", {"first_name": "Z"}).status_code == 403
    assert client.post(f"/api/v1/members/{ann}/admit/").status_code == 403
    payload = {"member": ann, "name": "New", "sector": "62"}
    assert client.post("/api/v1/activities/", payload).status_code == 403
    ledger = f"/api/v1/activities/{world['ann_activity'].pk}/ledger/"
    entry = {"kind": "fee", "amount": "5", "booked_on": "2026-01-01", "description": "x"}
    assert client.post(ledger, entry).status_code == 403


def test_an_advisor_takes_a_member_from_application_to_active(partner_a, api, world, in_schema):
    client = api(partner_a, world["advisor"])
    created = client.post(
        "/api/v1/members/",
        {
            "first_name": "Clara",
            "last_name": "Zetkin",
            "email": "clara@example.org",
            "national_id": VALID_DE_IDNR,
            "iban": VALID_IBAN,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "applicant"
    assert body["iban"] == "DE89370400440532013000"
    admitted = client.post(f"/api/v1/members/{body['id']}/admit/", {"reason": "Welcome"})
    assert admitted.status_code == 200
    assert admitted.json()["status"] == "active"
    history = client.get(f"/api/v1/members/{body['id']}/history/").json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("", "applicant"),
        ("applicant", "active"),
    ]
    assert client.post(f"/api/v1/members/{body['id']}/admit/").status_code == 409
    with in_schema(partner_a):
        assert AuditEntry.objects.filter(action="member.status_change").count() == 1


def test_a_member_gets_a_login_and_then_sees_their_record(partner_a, api, world):
    staff = api(partner_a, world["advisor"])
    created = staff.post("/api/v1/members/", {"first_name": "Dan", "last_name": "D"}).json()
    response = staff.post(
        f"/api/v1/members/{created['id']}/login/",
        {"username": "dan", "password": "a-long-enough-password-42"},
    )
    assert response.status_code == 201, response.json()
    token = api(partner_a).post(
        "/api/v1/auth/token/", {"username": "dan", "password": "a-long-enough-password-42"}
    )
    assert token.status_code == 200
    client = api(partner_a)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert [m["first_name"] for m in client.get("/api/v1/members/").json()["results"]] == ["Dan"]


@pytest.mark.parametrize(
    "payload",
    [
        {"first_name": "", "last_name": "X"},
        {"first_name": "A", "last_name": "X", "national_id": "12345678901"},
        {"first_name": "A", "last_name": "X", "iban": "DE00 1234"},
        {"first_name": "A", "last_name": "X", "birth_date": "2999-01-01"},
        {"first_name": "A", "last_name": "X", "email": "not-an-email"},
        {"last_name": "X"},
    ],
)
def test_bad_member_input_is_refused_and_nothing_is_created(
    partner_a, api, world, in_schema, payload
):
    response = api(partner_a, world["advisor"]).post("/api/v1/members/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["extra"]["fields"]
    with in_schema(partner_a):
        assert Member.objects.count() == 2
        assert MemberStatusChange.objects.count() == 0


@pytest.mark.parametrize("sector", ["99.999", "04", "abc", ""])
def test_an_activity_with_an_unknown_sector_is_refused(partner_a, api, world, in_schema, sector):
    response = api(partner_a, world["advisor"]).post(
        "/api/v1/activities/", {"member": world["ann"].pk, "name": "X", "sector": sector}
    )
    assert response.status_code == 400
    with in_schema(partner_a):
        assert Activity.objects.count() == 2


def test_an_advisor_opens_an_activity_with_a_nace_class(partner_a, api, world):
    response = api(partner_a, world["advisor"]).post(
        "/api/v1/activities/", {"member": world["ann"].pk, "name": "Code", "sector": "62.01"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["balance"] == "0.00"


def test_shares_and_consents(partner_a, api, world):
    staff = api(partner_a, world["advisor"])
    ann = world["ann"].pk
    share = staff.post(
        f"/api/v1/members/{ann}/shares/", {"count": 4, "subscribed_on": "2026-01-05"}
    )
    assert share.status_code == 201, share.json()
    assert share.json()["total"] == "100.000"
    assert share.json()["currency"] == "EUR"
    share_id = share.json()["id"]
    # Only accounting marks shares paid.
    assert staff.post(f"/api/v1/members/{ann}/shares/{share_id}/paid/").status_code == 403
    paid = api(partner_a, world["accountant"]).post(
        f"/api/v1/members/{ann}/shares/{share_id}/paid/", {"paid_on": "2026-01-10"}
    )
    assert paid.status_code == 200
    assert paid.json()["paid"] is True
    member = api(partner_a, world["ann_user"])
    consent = member.post(
        f"/api/v1/members/{ann}/consents/", {"kind": "data_processing", "text_version": "2026-1"}
    )
    assert consent.status_code == 201
    withdrawn = member.post(f"/api/v1/members/{ann}/consents/{consent.json()['id']}/withdraw/")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_at"]
    assert member.post(f"/api/v1/members/{ann}/shares/", {"count": 1}).status_code == 403


def test_an_accountant_corrects_an_entry(partner_a, api, world, in_schema):
    with in_schema(partner_a):
        fee = LedgerEntry.objects.get(activity=world["ann_activity"], kind="fee")
    client = api(partner_a, world["accountant"])
    url = f"/api/v1/activities/{world['ann_activity'].pk}/ledger/{fee.pk}/correct/"
    response = client.post(url, {"amount": "-65.00", "reason": "Rate was 6.5 %"})
    assert response.status_code == 201, response.json()
    assert response.json()["corrects"] == fee.pk
    detail = client.get(f"/api/v1/activities/{world['ann_activity'].pk}/").json()
    assert detail["balance"] == "935.00"
    bad = client.post(url, {"amount": "-65.001", "reason": "x"})
    assert bad.status_code == 400


def test_lists_filter_order_and_export(partner_a, api, world):
    client = api(partner_a, world["admin"])
    ordered = client.get("/api/v1/members/?ordering=-last_name").json()["results"]
    assert [m["last_name"] for m in ordered] == ["Baker", "Arbor"]
    assert client.get("/api/v1/members/?search=bob").json()["count"] == 1
    response = client.get("/api/v1/activities/?format=csv&ordering=name")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["name"], r["balance"]) for r in rows] == [
        ("Ann's studio", "930.00"),
        ("Bob's bakery", "500.00"),
    ]
    xlsx = client.get("/api/v1/members/?format=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 1).value == "id"
    assert sheet.max_row == 3


def test_activities_filter_by_member_id(partner_a, api, world):
    client = api(partner_a, world["admin"])
    listed = client.get(f"/api/v1/activities/?member={world['bob'].pk}").json()["results"]
    assert [a["name"] for a in listed] == ["Bob's bakery"]


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", "99999999999999999999"])
def test_a_member_filter_that_is_not_an_id_is_refused_naming_it(partner_a, api, world, value):
    response = api(partner_a, world["admin"]).get(f"/api/v1/activities/?member={value}")
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["member"]


def test_the_ledger_filters_by_booking_dates(partner_a, api, world, in_schema):
    import datetime as dt

    with in_schema(partner_a):
        post(world["ann_activity"], "5.00", booked_on=dt.date(2026, 3, 1))
    url = f"/api/v1/activities/{world['ann_activity'].pk}/ledger/"
    rows = api(partner_a, world["admin"]).get(f"{url}?from=2026-02-01&to=2026-03-31").json()
    assert [r["amount"] for r in rows["results"]] == ["5.00"]


@pytest.mark.parametrize("value", ["20260301", "2026-3-1", "2026-02-30", "yesterday"])
def test_a_ledger_date_filter_not_in_iso_form_is_refused_naming_it(partner_a, api, world, value):
    url = f"/api/v1/activities/{world['ann_activity'].pk}/ledger/?from={value}"
    response = api(partner_a, world["admin"]).get(url)
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["from"]


def test_a_member_export_holds_only_their_own_rows(partner_a, api, world):
    response = api(partner_a, world["ann_user"]).get(
        f"/api/v1/activities/{world['ann_activity'].pk}/ledger/?format=csv"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(Decimal(r["amount"]) for r in rows) == [Decimal("-70"), Decimal("1000")]


def test_another_partner_cannot_see_or_change_members(partner_a, partner_b, api, world, make_user):
    beta_admin = make_user(partner_b, "admin")
    client = api(partner_b, beta_admin)
    assert client.get("/api/v1/members/").json()["count"] == 0
    assert client.get("/api/v1/activities/").json()["count"] == 0
    assert client.get(f"/api/v1/members/{world['ann'].pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/members/{world['ann'].pk}/", {"first_name": "X"}).status_code == 404
    )
    ledger = f"/api/v1/activities/{world['ann_activity'].pk}/ledger/"
    assert client.get(ledger).status_code == 404
    # partner_a's tokens do not open partner_b's host, nor does HQ's.
    alpha_token = api(partner_a, world["admin"])._credentials["HTTP_AUTHORIZATION"]
    stranger = api(partner_b)
    stranger.credentials(HTTP_AUTHORIZATION=alpha_token)
    assert stranger.get("/api/v1/members/").status_code == 401
    hq = make_user(None, "hq_admin")
    hq_client = api(None, hq)
    assert hq_client.get("/api/v1/members/").status_code == 404
    on_partner_host = api(partner_a)
    on_partner_host.credentials(HTTP_AUTHORIZATION=hq_client._credentials["HTTP_AUTHORIZATION"])
    assert on_partner_host.get("/api/v1/members/").status_code == 401


def test_anonymous_requests_are_refused(partner_a, api, world):
    assert api(partner_a).get("/api/v1/members/").status_code == 401
    assert api(partner_a).get("/api/v1/activities/").status_code == 401
