"""Issue 4, "Country operations" — acceptance story, through the HTTP API only.

On the German partner's host (alpha, DE, EUR), the country team takes a new member from
application to a paid estimate: admission, a login, an activity, a client, an estimate
the member prepares (validated by an advisor, as the partner's setting requires), accepted
by the client, invoiced as a deposit and a balance without retyping, issued with gapless
numbers in the partner's format, paid partly then fully — the turnover collected and the
cooperative's fee taken at the partner's rate on the activity's ledger, each entry with
the rule that computed it —, an expense filed with its receipt and approved, an overdue
invoice advanced by the guarantee fund and the advance recovered when the client pays, and
the period's accounting export. Everything answers in German, in euros. One step is then
checked on the Swedish partner (beta, SE, SEK).

Figures (fee 7.5 %, VAT 19 %, fund share 10 % of each fee):

- estimate: 20 days × 500.00 = 10,000.00 + 1,900.00 VAT = 11,900.00
- deposit 30 %: 3,000.00 + 570.00 = 3,570.00, paid at once: turnover 3,000.00, fee 225.00
- balance: 7,000.00 + 1,330.00 = 8,330.00, paid 4,165.00 then 4,165.00: turnover
  3,500.00 + 3,500.00, fee 262.50 + 262.50
- workshop invoice issued 90 days ago: 1,000.00 + 190.00 = 1,190.00, overdue; the fund
  (fed 22.50 + 26.25 + 26.25 = 75.00) advances 75.00; the client then pays 1,190.00:
  turnover 1,000.00, fee 75.00, the 75.00 advance recovered.
- expense: 119.00 (19.00 VAT) debited.
- balance of the activity: 11,000.00 − 825.00 − 119.00 + 75.00 − 75.00 = 10,056.00.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.acceptance.conftest import PASSWORD, login, ok
from tests.helpers import translated

pytestmark = pytest.mark.django_db

# A valid German tax identification number (IdNr) and IBAN (python-stdnum's examples).
DE_IDNR = "36574261809"
DE_IBAN = "DE89 3704 0044 0532 0130 00"
# A minimal PDF: the receipt is checked by its content, not its name.
RECEIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def D(value) -> Decimal:
    return Decimal(str(value))


def ledger_of(client, activity_id) -> list[dict]:
    body = ok(client.get(f"/api/v1/activities/{activity_id}/ledger/?page_size=200"))
    return body["results"] if isinstance(body, dict) else body


def balance_of(client, activity_id) -> str:
    return ok(client.get(f"/api/v1/activities/{activity_id}/"))["balance"]


def fund_of(client) -> dict:
    return ok(client.get("/api/v1/guarantee-fund/"))


class Team:
    """The German partner's team, each logged in through the API."""

    def __init__(self, partner, make_user):
        self.partner = partner
        for role in ("admin", "advisor", "accountant"):
            user = make_user(partner, role)
            setattr(self, role, login(partner, user.username))


@pytest.fixture
def team_a(partner_a, make_user):
    return Team(partner_a, make_user)


def test_a_new_member_goes_from_application_to_collected_turnover_in_german_and_euros(
    partner_a, team_a, make_user
):
    admin, advisor, accountant = team_a.admin, team_a.advisor, team_a.accountant
    today = timezone.localdate()

    # --- The partner's settings: its fee rate, number format, validation rule. --------
    settings = ok(admin.get("/api/v1/settings/"))
    assert settings["country"] == "DE"
    assert settings["currency"] == "EUR"
    settings = ok(
        admin.patch(
            "/api/v1/settings/",
            {
                "fee_rate": "0.0750",
                "fee_rate_effective_from": today.isoformat(),
                "invoice_number_format": "A-{year}-{seq:05d}",
                "estimate_requires_validation": True,
                "guarantee_fund_share": "0.1000",
                "fund_overdue_days": 30,
                "payment_terms_days": 30,
            },
            format="json",
        )
    )
    assert settings["fee_rate"] == "0.0750"
    assert settings["invoice_number_format"] == "A-{year}-{seq:05d}"

    # --- Application: the admin registers the applicant, then admits her. ------------
    response = admin.post(
        "/api/v1/members/",
        {
            "first_name": "Greta",
            "last_name": "Weber",
            "email": "greta@example.org",
            "national_id": "36 574 261 809",
            "iban": DE_IBAN,
        },
        format="json",
    )
    member = ok(response, 201)
    assert response["Content-Language"] == "de"
    assert member["status"] == "applicant"
    assert member["national_id"] == DE_IDNR
    assert member["iban"] == DE_IBAN.replace(" ", "")
    # A wrong IdNr is refused (4xx, German message, field named).
    bad = admin.post(
        "/api/v1/members/",
        {"first_name": "X", "last_name": "Y", "national_id": "36574261808"},
        format="json",
    )
    assert bad.status_code == 400
    assert "national_id" in bad.json()["extra"]["fields"]

    member = ok(admin.post(f"/api/v1/members/{member['id']}/admit/", {}, format="json"))
    assert member["status"] == "active"
    history = ok(admin.get(f"/api/v1/members/{member['id']}/history/"))
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("", "applicant"),
        ("applicant", "active"),
    ]
    assert history[-1]["effective_on"] == today.isoformat()

    # She subscribes one cooperative share, in euros.
    share = ok(
        admin.post(f"/api/v1/members/{member['id']}/shares/", {"count": 1}, format="json"), 201
    )
    assert share["currency"] == "EUR"
    assert D(share["total"]) == D(settings["share_nominal_value"])

    # She gets her own login (role member) and logs in.
    ok(
        admin.post(
            f"/api/v1/members/{member['id']}/login/",
            {"username": "greta", "password": PASSWORD},
            format="json",
        ),
        201,
    )
    greta = login(partner_a, "greta")
    mine = ok(greta.get("/api/v1/members/"))
    assert [m["id"] for m in mine["results"]] == [member["id"]]

    # --- Her activity and her client. -------------------------------------------------
    activity = ok(
        advisor.post(
            "/api/v1/activities/",
            {
                "member": member["id"],
                "name": "Übersetzungen Weber",
                "sector": "74",
                "started_on": (today - dt.timedelta(days=120)).isoformat(),
            },
            format="json",
        ),
        201,
    )
    assert activity["balance"] == "0.00"
    assert activity["currency"] == "EUR"
    act = activity["id"]
    client = ok(
        greta.post(
            "/api/v1/clients/",
            {
                "name": "Müller GmbH",
                "country": "DE",
                "kind": "company",
                "vat_number": "DE136695976",
            },
            format="json",
        ),
        201,
    )

    # --- An earlier workshop, invoiced 90 days ago and still unpaid (used below). ----
    workshop = ok(
        greta.post(
            "/api/v1/invoices/",
            {
                "activity": act,
                "client": client["id"],
                "lines": [{"description": "Workshop", "quantity": "1", "unit_price": "1000.00"}],
            },
            format="json",
        ),
        201,
    )
    issued_on = today - dt.timedelta(days=90)
    workshop = ok(
        greta.post(
            f"/api/v1/invoices/{workshop['id']}/issue/",
            {"issue_date": issued_on.isoformat()},
            format="json",
        )
    )
    sequences: dict[int, int] = {}

    def next_number(year: int) -> str:
        sequences[year] = sequences.get(year, 0) + 1
        return f"A-{year}-{sequences[year]:05d}"

    assert workshop["number"] == next_number(issued_on.year)
    assert workshop["status"] == "issued"
    assert workshop["total_incl_vat"] == "1190.00"
    assert workshop["due_date"] == (issued_on + dt.timedelta(days=30)).isoformat()

    # --- The estimate she prepares. -----------------------------------------------------
    estimate = ok(
        greta.post(
            "/api/v1/estimates/",
            {
                "activity": act,
                "client": client["id"],
                "lines": [
                    {"description": "Übersetzung, Tage", "quantity": "20", "unit_price": "500.00"}
                ],
            },
            format="json",
        ),
        201,
    )
    assert estimate["status"] == "draft"
    assert estimate["currency"] == "EUR"
    assert (estimate["total_excl_vat"], estimate["total_vat"], estimate["total_incl_vat"]) == (
        "10000.00",
        "1900.00",
        "11900.00",
    )
    assert estimate["lines"][0]["vat_rate"].startswith("0.19")

    # The partner requires an advisor's validation: she cannot send it alone; the
    # refusal is in German.
    refused = greta.post(f"/api/v1/estimates/{estimate['id']}/send/", {}, format="json")
    assert refused.status_code == 403, refused.content
    assert refused["Content-Language"] == "de"
    assert refused.json()["message"] == (
        "Ein Berater muss dieses Angebot freigeben, bevor es versendet wird."
    )
    # A member cannot validate her own estimate.
    assert greta.post(f"/api/v1/estimates/{estimate['id']}/validate/").status_code == 403
    ok(advisor.post(f"/api/v1/estimates/{estimate['id']}/validate/"))
    estimate = ok(greta.post(f"/api/v1/estimates/{estimate['id']}/send/", {}, format="json"))
    assert estimate["status"] == "sent"
    assert estimate["number"]

    # The client accepts it (recorded by the member).
    estimate = ok(
        greta.post(
            f"/api/v1/estimates/{estimate['id']}/accept/",
            {"accepted_on": today.isoformat(), "accepted_by": "Hans Müller", "method": "signature"},
            format="json",
        )
    )
    assert estimate["status"] == "accepted"
    assert estimate["accepted_by_name"] == "Hans Müller"

    # --- Deposit invoice (30 %), without retyping, issued and paid. --------------------
    deposit = ok(
        greta.post(
            f"/api/v1/estimates/{estimate['id']}/invoice/", {"deposit_percent": "30"}, format="json"
        ),
        201,
    )
    assert deposit["kind"] == "deposit"
    assert deposit["status"] == "draft"
    assert deposit["number"] is None
    assert (deposit["total_excl_vat"], deposit["total_vat"], deposit["total_incl_vat"]) == (
        "3000.00",
        "570.00",
        "3570.00",
    )
    deposit = ok(greta.post(f"/api/v1/invoices/{deposit['id']}/issue/", {}, format="json"))
    assert deposit["number"] == next_number(today.year)
    assert deposit["amount_due"] == "3570.00"

    # A member does not record payments; the accountant does.
    assert (
        greta.post(
            f"/api/v1/invoices/{deposit['id']}/payments/",
            {"amount": "3570.00", "date": today.isoformat()},
            format="json",
        ).status_code
        == 403
    )
    payment = ok(
        accountant.post(
            f"/api/v1/invoices/{deposit['id']}/payments/",
            {"amount": "3570.00", "date": today.isoformat()},
            format="json",
        ),
        201,
    )
    assert (payment["share_excl_vat"], payment["fee_amount"], payment["currency"]) == (
        "3000.00",
        "225.00",
        "EUR",
    )
    assert D(payment["fee_rate"]) == D("0.075")
    assert ok(greta.get(f"/api/v1/invoices/{deposit['id']}/"))["status"] == "paid"
    assert balance_of(greta, act) == "2775.00"

    # --- The expense: filed with its receipt by the member, approved by the advisor. ---
    response = greta.post(
        "/api/v1/expenses/",
        {
            "activity": act,
            "amount": "119.00",
            "vat_amount": "19.00",
            "spent_on": (today - dt.timedelta(days=3)).isoformat(),
            "category": "travel",
            "description": "Bahnfahrt zum Kunden",
            "receipt": SimpleUploadedFile("fahrkarte.pdf", RECEIPT, "application/pdf"),
        },
        format="multipart",
    )
    expense = ok(response, 201)
    assert expense["status"] == "submitted"
    assert expense["currency"] == "EUR"
    assert expense["receipt_content_type"] == "application/pdf"
    receipt = greta.get(expense["receipt_url"])
    assert receipt.status_code == 200
    assert b"".join(receipt.streaming_content) == RECEIPT
    # The member cannot approve her own expense.
    assert (
        greta.post(f"/api/v1/expenses/{expense['id']}/approve/", {}, format="json").status_code
        == 403
    )
    expense = ok(advisor.post(f"/api/v1/expenses/{expense['id']}/approve/", {}, format="json"))
    assert expense["status"] == "approved"
    assert expense["ledger_entry"]
    assert balance_of(greta, act) == "2656.00"

    # --- The balance invoice: the estimate's lines less the deposit. ------------------
    final = ok(greta.post(f"/api/v1/estimates/{estimate['id']}/invoice/", {}, format="json"), 201)
    assert final["kind"] == "balance"
    assert (final["total_excl_vat"], final["total_vat"], final["total_incl_vat"]) == (
        "7000.00",
        "1330.00",
        "8330.00",
    )
    assert [line["amount_excl_vat"] for line in final["lines"]] == ["10000.00", "-3000.00"]
    assert deposit["number"] in final["lines"][1]["description"]
    assert ok(greta.get(f"/api/v1/estimates/{estimate['id']}/"))["status"] == "invoiced"
    final = ok(greta.post(f"/api/v1/invoices/{final['id']}/issue/", {}, format="json"))
    assert final["number"] == next_number(today.year)

    # Partly paid...
    payment = ok(
        accountant.post(
            f"/api/v1/invoices/{final['id']}/payments/",
            {"amount": "4165.00", "date": today.isoformat()},
            format="json",
        ),
        201,
    )
    assert (payment["share_excl_vat"], payment["fee_amount"]) == ("3500.00", "262.50")
    final = ok(greta.get(f"/api/v1/invoices/{final['id']}/"))
    assert (final["status"], final["amount_paid"], final["amount_due"]) == (
        "partly_paid",
        "4165.00",
        "4165.00",
    )
    # ...an overpayment is refused, in German, and changes nothing...
    refused = accountant.post(
        f"/api/v1/invoices/{final['id']}/payments/",
        {"amount": "5000.00", "date": today.isoformat()},
        format="json",
    )
    assert refused.status_code == 400, refused.content
    assert refused["Content-Language"] == "de"
    assert refused.json()["message"].startswith("Die Zahlung von 5000")
    assert "4165.00" in refused.json()["message"]
    assert ok(greta.get(f"/api/v1/invoices/{final['id']}/"))["amount_due"] == "4165.00"
    # ...then fully paid.
    payment = ok(
        accountant.post(
            f"/api/v1/invoices/{final['id']}/payments/",
            {"amount": "4165.00", "date": today.isoformat()},
            format="json",
        ),
        201,
    )
    assert (payment["share_excl_vat"], payment["fee_amount"]) == ("3500.00", "262.50")
    final = ok(greta.get(f"/api/v1/invoices/{final['id']}/"))
    assert (final["status"], final["amount_due"]) == ("paid", "0.00")
    # The issued invoice is a German PDF; the member's invoices export as CSV.
    assert final["language"] == "de"
    pdf = greta.get(f"/api/v1/invoices/{final['id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    export = greta.get("/api/v1/invoices/?format=csv")
    assert export.status_code == 200
    assert final["number"] in export.content.decode("utf-8-sig")
    assert balance_of(greta, act) == "9131.00"

    # --- The member reads how each fee was computed: rate, base, rule. ----------------
    fees = [e for e in ledger_of(greta, act) if e["kind"] == "fee"]
    assert [e["amount"] for e in fees] == ["-225.00", "-262.50", "-262.50"]
    for entry, base in zip(fees, ("3000.00", "3500.00", "3500.00"), strict=True):
        assert entry["currency"] == "EUR"
        assert entry["rule"]["rule"] == "fee"
        assert D(entry["rule"]["rate"]) == D("0.075")
        assert D(entry["rule"]["base"]) == D(base)
        assert entry["rule"]["on"] == today.isoformat()
        assert entry["rule"]["source"]
    turnover = [e["amount"] for e in ledger_of(greta, act) if e["kind"] == "turnover_collected"]
    assert turnover == ["3000.00", "3500.00", "3500.00"]

    # --- The guarantee fund: fed by 10 % of each fee. --------------------------------
    fund = fund_of(accountant)
    assert fund["currency"] == "EUR"
    fund_before = D(fund["balance"])
    feeds = ok(accountant.get("/api/v1/guarantee-fund/movements/?kind=feed&page_size=100"))
    feeds = feeds["results"] if isinstance(feeds, dict) else feeds
    assert sorted(D(m["amount"]) for m in feeds if m["activity"] == act) == [
        D("22.50"),
        D("26.25"),
        D("26.25"),
    ]
    assert fund_before >= D("75.00")

    # The workshop invoice is 60 days overdue: the fund may advance on it.
    eligible = ok(advisor.get("/api/v1/guarantee-fund/eligible-invoices/"))
    row = next(r for r in eligible if r["invoice"] == workshop["id"])
    assert row["max_advance"] == "1000.00"
    # A member has no access to the fund's books.
    assert greta.get("/api/v1/guarantee-fund/").status_code == 403
    advance = ok(
        advisor.post(
            "/api/v1/guarantee-fund/advances/",
            {"invoice": workshop["id"], "amount": "75.00"},
            format="json",
        ),
        201,
    )
    assert advance["kind"] == "advance"
    assert (advance["amount"], advance["outstanding_change"]) == ("-75.00", "75.00")
    assert advance["rule"]["rule"] == "fund_advance"
    assert D(fund_of(accountant)["outstanding_advances"]) == D("75.00")
    assert balance_of(greta, act) == "9206.00"

    # The client finally pays the workshop: the advance is recovered.
    payment = ok(
        accountant.post(
            f"/api/v1/invoices/{workshop['id']}/payments/",
            {"amount": "1190.00", "date": today.isoformat()},
            format="json",
        ),
        201,
    )
    assert (payment["share_excl_vat"], payment["fee_amount"]) == ("1000.00", "75.00")
    recoveries = [e for e in ledger_of(greta, act) if e["kind"] == "fund_recovery"]
    assert [e["amount"] for e in recoveries] == ["-75.00"]
    assert recoveries[0]["rule"]["rule"] == "fund_recovery"
    fund = fund_of(accountant)
    assert D(fund["outstanding_advances"]) == D("0.00")
    # Before: 75.00 more than the session held; −75.00 advanced, +75.00 recovered, +7.50 fed.
    assert D(fund["balance"]) == fund_before + D("7.50")

    # --- The activity's account: balance = sum of the entries. -----------------------
    entries = ledger_of(greta, act)
    assert sum(D(e["amount"]) for e in entries) == D("10056.00")
    assert balance_of(greta, act) == "10056.00"
    assert {e["kind"] for e in entries} == {
        "turnover_collected",
        "fee",
        "expense",
        "fund_advance",
        "fund_recovery",
    }

    # --- The accounting export of the period: balanced, reproducible, read-only. -----
    period = f"?from={(today - dt.timedelta(days=120)).isoformat()}&to={today.isoformat()}"
    assert greta.get(f"/api/v1/accounting/journal/{period}").status_code == 403
    first = accountant.get(f"/api/v1/accounting/journal/{period}")
    assert first.status_code == 200, first.content
    content = first.content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows
    assert {r["currency"] for r in rows} == {"EUR"}
    debit = sum(D(r["debit"] or 0) for r in rows)
    credit = sum(D(r["credit"] or 0) for r in rows)
    assert debit == credit
    references = {r["reference"] for r in rows}
    for number in (workshop["number"], deposit["number"], final["number"]):
        assert any(number in ref for ref in references), number
    by_entry: dict[str, list[dict]] = {}
    for r in rows:
        by_entry.setdefault(r["entry_number"], []).append(r)
    for lines in by_entry.values():
        assert sum(D(r["debit"] or 0) for r in lines) == sum(D(r["credit"] or 0) for r in lines)
    # Fees, sales and VAT reach their accounts (the partner's chart of accounts).
    chart = settings["chart_of_accounts"]["accounts"]
    fee_credit = sum(
        D(r["credit"] or 0) - D(r["debit"] or 0)
        for r in rows
        if r["account"] == chart["fee_income"]
    )
    assert fee_credit == D("825.00")
    vat_credit = sum(
        D(r["credit"] or 0) - D(r["debit"] or 0)
        for r in rows
        if r["account"] == chart["vat_collected"]
    )
    assert vat_credit == D("190.00") + D("570.00") + D("1330.00")
    second = accountant.get(f"/api/v1/accounting/journal/{period}")
    assert second.content == content
    assert balance_of(greta, act) == "10056.00"

    # --- Another member sees none of Greta's documents. --------------------------------
    other = ok(
        admin.post("/api/v1/members/", {"first_name": "Olaf", "last_name": "Neu"}, format="json"),
        201,
    )
    ok(admin.post(f"/api/v1/members/{other['id']}/admit/", {}, format="json"))
    ok(
        admin.post(
            f"/api/v1/members/{other['id']}/login/",
            {"username": "olaf", "password": PASSWORD},
            format="json",
        ),
        201,
    )
    olaf = login(partner_a, "olaf")
    assert olaf.get(f"/api/v1/invoices/{final['id']}/").status_code == 404
    assert olaf.get(f"/api/v1/activities/{act}/ledger/").status_code == 404
    assert ok(olaf.get("/api/v1/invoices/"))["count"] == 0


def test_the_swedish_partner_invoices_in_kronor_and_swedish(partner_b, make_user):
    # Given: the Swedish partner's advisor and a member's activity and client.
    advisor = login(partner_b, make_user(partner_b, "advisor").username)
    accountant = login(partner_b, make_user(partner_b, "accountant").username)
    member = ok(
        advisor.post(
            "/api/v1/members/", {"first_name": "Sven", "last_name": "Berg"}, format="json"
        ),
        201,
    )
    ok(advisor.post(f"/api/v1/members/{member['id']}/admit/", {}, format="json"))
    activity = ok(
        advisor.post(
            "/api/v1/activities/",
            {"member": member["id"], "name": "Bergs foto", "sector": "74"},
            format="json",
        ),
        201,
    )
    client = ok(
        advisor.post(
            "/api/v1/clients/",
            {"name": "Lund AB", "country": "SE", "kind": "company"},
            format="json",
        ),
        201,
    )
    # When: an invoice of 3 hours at 1,234.50 SEK is made and issued.
    response = advisor.post(
        "/api/v1/invoices/",
        {
            "activity": activity["id"],
            "client": client["id"],
            "lines": [{"description": "Fotografering", "quantity": "3", "unit_price": "1234.50"}],
        },
        format="json",
    )
    invoice = ok(response, 201)
    # Then: kronor, Swedish VAT (25 %), the currency's two digits, answered in Swedish.
    assert response["Content-Language"] == "sv"
    assert invoice["currency"] == "SEK"
    assert (invoice["total_excl_vat"], invoice["total_vat"], invoice["total_incl_vat"]) == (
        "3703.50",
        "925.88",
        "4629.38",
    )
    invoice = ok(advisor.post(f"/api/v1/invoices/{invoice['id']}/issue/", {}, format="json"))
    assert invoice["number"].startswith(f"SE-{timezone.localdate().year}-")
    refused = accountant.post(
        f"/api/v1/invoices/{invoice['id']}/payments/",
        {"amount": "5000.00", "date": timezone.localdate().isoformat()},
        format="json",
    )
    assert refused.status_code == 400, refused.content
    assert refused["Content-Language"] == "sv"
    assert refused.json()["message"].startswith("Betalningen på 5000")
    assert "4629.38" in refused.json()["message"]
    ledger = ok(advisor.get(f"/api/v1/activities/{activity['id']}/"))
    assert (ledger["balance"], ledger["currency"]) == ("0.00", "SEK")


def test_a_refused_setting_is_explained_in_german(partner_a, make_user):
    admin = login(partner_a, make_user(partner_a, "admin").username)
    before = ok(admin.get("/api/v1/settings/"))["fee_rate"]
    response = admin.patch("/api/v1/settings/", {"fee_rate": "2"}, format="json")
    assert response.status_code == 400
    assert ok(admin.get("/api/v1/settings/"))["fee_rate"] == before
    assert response["Content-Language"] == "de"
    assert response.json()["message"] == translated(
        "de", "A fraction with 0 <= value < 1 is expected (0.07 = 7 %)."
    )
