"""Expenses: filing with a receipt, approval debits the ledger once, rejection needs a
reason, receipts stay in their partner's storage and are served only through the API."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty

from tenants.expenses.models import Expense
from tenants.members.models import LedgerEntry
from tenants.members.selectors import activity_balance
from tests.tenants.members.factories import ActivityFactory, MemberFactory, post

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Receipts go to a temporary MEDIA_ROOT (the tenant storage caches its root)."""
    settings.MEDIA_ROOT = str(tmp_path)
    if default_storage._wrapped is empty:
        default_storage._setup()
    default_storage._wrapped.__dict__.pop("relative_media_root", None)
    yield tmp_path
    default_storage._wrapped.__dict__.pop("relative_media_root", None)


def receipt(name="ticket.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world(partner_a, make_user, in_schema):
    ann_user = make_user(partner_a, "member", username="ann")
    bob_user = make_user(partner_a, "member", username="bob")
    with in_schema(partner_a):
        ann = MemberFactory(user=ann_user)
        bob = MemberFactory(user=bob_user)
        activity = ActivityFactory(member=ann)
        bob_activity = ActivityFactory(member=bob)
        post(activity, "500.00")
    return {
        "ann_user": ann_user,
        "bob_user": bob_user,
        "activity": activity,
        "bob_activity": bob_activity,
        "advisor": make_user(partner_a, "advisor"),
        "accountant": make_user(partner_a, "accountant"),
    }


def file_expense(api, partner, user, activity, amount="120.00", **extra):
    payload = {
        "activity": activity.pk,
        "amount": amount,
        "spent_on": "2026-03-01",
        "category": "travel",
        "description": "Train to Bremen",
        "receipt": extra.pop("receipt", None) or receipt(),
        **extra,
    }
    return api(partner, user).post("/api/v1/expenses/", payload, format="multipart")


def test_a_member_files_an_expense_and_an_advisor_approves_it(partner_a, api, world, in_schema):
    # Given an expense filed by the member with a receipt
    filed = file_expense(api, partner_a, world["ann_user"], world["activity"])
    assert filed.status_code == 201, filed.json()
    body = filed.json()
    assert body["status"] == "submitted"
    assert body["receipt_url"] == f"/api/v1/expenses/{body['id']}/receipt/"
    # When an advisor approves it
    approved = api(partner_a, world["advisor"]).post(f"/api/v1/expenses/{body['id']}/approve/")
    # Then the activity is debited once, with the rule naming the expense
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    with in_schema(partner_a):
        entry = LedgerEntry.objects.get(kind="expense", activity=world["activity"])
        assert entry.amount == Decimal("-120.00")
        assert entry.rule["expense"] == body["id"]
        assert activity_balance(activity=world["activity"]).amount == Decimal("380.00")
    # And approving again is refused without a second debit
    again = api(partner_a, world["accountant"]).post(f"/api/v1/expenses/{body['id']}/approve/")
    assert again.status_code == 409
    with in_schema(partner_a):
        assert LedgerEntry.objects.filter(kind="expense").count() == 1


def test_a_rejection_needs_a_reason_and_posts_nothing(partner_a, api, world, in_schema):
    expense_id = file_expense(api, partner_a, world["ann_user"], world["activity"]).json()["id"]
    client = api(partner_a, world["accountant"])
    assert client.post(f"/api/v1/expenses/{expense_id}/reject/", {"reason": " "}).status_code == 400
    rejected = client.post(f"/api/v1/expenses/{expense_id}/reject/", {"reason": "No receipt date"})
    assert rejected.status_code == 200
    assert rejected.json()["decision_reason"] == "No receipt date"
    with in_schema(partner_a):
        assert not LedgerEntry.objects.filter(kind="expense").exists()


def test_an_expense_beyond_the_balance_is_not_approved(partner_a, api, world, in_schema):
    expense_id = file_expense(
        api, partner_a, world["ann_user"], world["activity"], "600.00"
    ).json()["id"]
    response = api(partner_a, world["advisor"]).post(f"/api/v1/expenses/{expense_id}/approve/")
    assert response.status_code == 409
    assert response.json()["code"] == "expense_exceeds_balance"
    with in_schema(partner_a):
        assert Expense.objects.get(pk=expense_id).status == "submitted"


def test_a_member_cannot_approve_nor_file_for_another_member(partner_a, api, world):
    expense_id = file_expense(api, partner_a, world["ann_user"], world["activity"]).json()["id"]
    ann = api(partner_a, world["ann_user"])
    assert ann.post(f"/api/v1/expenses/{expense_id}/approve/").status_code == 403
    response = file_expense(api, partner_a, world["ann_user"], world["bob_activity"])
    assert response.status_code == 404
    bob = api(partner_a, world["bob_user"])
    assert bob.get(f"/api/v1/expenses/{expense_id}/").status_code == 404
    assert bob.get(f"/api/v1/expenses/{expense_id}/receipt/").status_code == 404
    assert bob.get("/api/v1/expenses/").json()["count"] == 0


@pytest.mark.parametrize(
    "extra",
    [
        {"amount": "-5.00"},
        {"amount": "0"},
        {"amount": "10.001"},
        {"amount": "abc"},
        {"category": "yacht"},
        {"spent_on": "2999-01-01"},
        {"vat_amount": "500.00"},
        {"receipt": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary", "application/pdf")},
        {"receipt": SimpleUploadedFile("empty.pdf", b"", "application/pdf")},
    ],
)
def test_bad_expenses_are_refused_and_nothing_is_stored(
    partner_a, api, world, in_schema, media_root, extra
):
    response = file_expense(api, partner_a, world["ann_user"], world["activity"], **extra)
    assert response.status_code == 400, response.content
    with in_schema(partner_a):
        assert Expense.objects.count() == 0
    assert not any(files for _root, _dirs, files in os.walk(media_root))


def test_the_receipt_downloads_through_the_api_only(partner_a, api, world):
    body = file_expense(api, partner_a, world["ann_user"], world["activity"]).json()
    response = api(partner_a, world["accountant"]).get(body["receipt_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert api(partner_a).get(body["receipt_url"]).status_code == 401


def test_receipts_are_stored_per_partner(
    partner_a, partner_b, api, world, in_schema, make_user, media_root
):
    body = file_expense(api, partner_a, world["ann_user"], world["activity"]).json()
    with in_schema(partner_a):
        name = Expense.objects.get(pk=body["id"]).receipt.name
        alpha_path = default_storage.path(name)
        alpha_url = default_storage.url(name)
        assert default_storage.exists(name)
    assert alpha_path.startswith(os.path.join(str(media_root), partner_a.schema_name) + os.sep)
    with in_schema(partner_b):
        # The same relative name points into beta's own folder, where nothing exists.
        assert not default_storage.exists(name)
        assert default_storage.path(name) != alpha_path
        assert default_storage.url(name) != alpha_url
    beta = api(partner_b, make_user(partner_b, "admin"))
    assert beta.get(f"/api/v1/expenses/{body['id']}/receipt/").status_code == 404
    assert beta.get(f"/api/v1/expenses/{body['id']}/").status_code == 404
    assert beta.get("/api/v1/expenses/").json()["count"] == 0
    # No public media URL serves the file, on either host.
    assert api(partner_a).get(alpha_url).status_code == 404
    assert api(partner_b).get(alpha_url).status_code == 404


def test_expenses_export_as_csv(partner_a, api, world):
    file_expense(api, partner_a, world["ann_user"], world["activity"])
    response = api(partner_a, world["accountant"]).get("/api/v1/expenses/?format=csv")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("id,activity,member,amount")
    assert len(lines) == 2


def test_the_list_filters_by_activity_and_refuses_a_malformed_id(partner_a, api, world):
    file_expense(api, partner_a, world["ann_user"], world["activity"])
    file_expense(api, partner_a, world["bob_user"], world["bob_activity"])
    advisor = api(partner_a, world["advisor"])

    mine = advisor.get(f"/api/v1/expenses/?activity={world['activity'].pk}").json()
    malformed = advisor.get("/api/v1/expenses/?activity=12abc")

    assert [e["activity"] for e in mine["results"]] == [world["activity"].pk]
    assert malformed.status_code == 400
    assert list(malformed.json()["extra"]["fields"]) == ["activity"]
