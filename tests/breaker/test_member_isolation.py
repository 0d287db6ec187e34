"""A member reaching another member's objects in the same partner, or naming them (or
another partner's ids) in a request body: reads answer 404, writes 400/404, and nothing
changes. Ids collide across schemas, so the bodies use ids that exist only at partner B."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone


@pytest.fixture
def two_members(partner_a, partner_b, make_user, in_schema):
    """Ann and Bob, members of partner A with a login, an activity (with a balance), a
    client, an issued invoice with a payment and a credit note, a draft invoice, an
    estimate, a salary simulation, an income plan, a contract and a subscription each."""
    from services_catalog.local import services as catalog
    from tenants.invoicing import services as invoicing
    from tenants.labour_law import services as labour
    from tests.tenants.invoicing.factories import line
    from tests.tenants.members.factories import ActivityFactory, post

    admin = make_user(partner_a, "admin")
    accountant = make_user(partner_a, "accountant")
    today = timezone.localdate()
    people = {}
    with in_schema(partner_a):
        service = catalog.service_create(
            actor=admin,
            code="coaching",
            name={"en": "Coaching", "de": "Coaching"},
            pricing_model="flat_monthly",
            price_amount="10.00",
            available_from=dt.date(2020, 1, 1),
        )
        for name in ("ann", "bob"):
            user = make_user(partner_a, "member")
            activity = ActivityFactory(member__user=user)
            post(activity, "5000.00")
            client = invoicing.client_create(name=f"{name} GmbH", country="DE", created_by=user)
            issued = invoicing.invoice_create(
                activity=activity, client=client, lines=[line()], created_by=user
            )
            invoicing.invoice_issue(invoice=issued, issued_by=user)
            payment = invoicing.invoice_payment_record(
                invoice=issued, amount="10.00", received_on=today, recorded_by=accountant
            )
            note = invoicing.invoice_credit_note_create(
                invoice=issued,
                reason="r",
                lines=[line(unit_price="10.00")],
                issue_date=today,
                created_by=admin,
            )
            draft = invoicing.invoice_create(
                activity=activity, client=client, lines=[line()], created_by=user
            )
            estimate = invoicing.estimate_create(
                activity=activity, client=client, lines=[line()], created_by=user
            )
            simulation = labour.salary_simulation_create(
                actor=user,
                activity=activity,
                amount=Decimal("3000"),
                period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2026, 1, 31),
            )
            plan = labour.income_plan_create(
                actor=user,
                activity=activity,
                start_month=dt.date(2026, 1, 1),
                incomes=[Decimal("900")],
            )
            contract = labour.contract_create(
                actor=user,
                activity=activity,
                contract_type="employment",
                start=dt.date(2026, 2, 1),
                end=dt.date(2026, 2, 28),
                amount=Decimal("1000"),
            )
            subscription = catalog.subscription_create(
                activity=activity, service=service, starts_on=dt.date(2025, 1, 1), created_by=admin
            )
            people[name] = dict(
                user=user,
                activity=activity,
                client=client,
                issued=issued,
                payment=payment,
                note=note,
                draft=draft,
                estimate=estimate,
                simulation=simulation,
                plan=plan,
                contract=contract,
                subscription=subscription,
            )
    with in_schema(partner_b):
        # Ids that exist at partner B only.
        beta_user = make_user(partner_b, "member")
        beta_member = ActivityFactory(member__user=beta_user).member
        for _ in range(5):
            beta_activity = ActivityFactory(member=beta_member)
        beta_client = invoicing.client_create(name="Beta AB", country="SE", created_by=None)
        for _ in range(5):
            beta_client = invoicing.client_create(name="Beta AB", country="SE", created_by=None)
    people["beta_activity_id"] = beta_activity.pk
    people["beta_client_id"] = beta_client.pk
    return people


def _reads(ann):
    inv, note = ann["issued"].pk, ann["note"].pk
    return [
        f"/api/v1/invoices/{inv}/",
        f"/api/v1/invoices/{inv}/pdf/",
        f"/api/v1/invoices/{inv}/payments/",
        f"/api/v1/invoices/{inv}/credit-notes/",
        f"/api/v1/invoices/{inv}/credit-notes/{note}/pdf/",
        f"/api/v1/invoices/{ann['draft'].pk}/",
        f"/api/v1/estimates/{ann['estimate'].pk}/",
        f"/api/v1/clients/{ann['client'].pk}/",
        f"/api/v1/activities/{ann['activity'].pk}/",
        f"/api/v1/activities/{ann['activity'].pk}/ledger/",
        f"/api/v1/salary-simulations/{ann['simulation'].pk}/",
        f"/api/v1/salary-simulations/{ann['simulation'].pk}/reproduce/",
        f"/api/v1/income-plans/{ann['plan'].pk}/",
        f"/api/v1/income-plans/{ann['plan'].pk}/reproduce/",
        f"/api/v1/contracts/{ann['contract'].pk}/",
        f"/api/v1/subscriptions/{ann['subscription'].pk}/",
        f"/api/v1/subscriptions/{ann['subscription'].pk}/charges/",
        f"/api/v1/subscriptions/{ann['subscription'].pk}/uses/",
    ]


def test_a_member_cannot_read_another_members_objects(api, partner_a, two_members):
    ann, bob = two_members["ann"], two_members["bob"]
    client = api(partner_a, bob["user"])

    answers = {path: client.get(path).status_code for path in _reads(ann)}

    assert answers == {path: 404 for path in answers}
    # The same paths with Bob's own ids work, so the 404s are not vacuous.
    own = {path: client.get(path).status_code for path in _reads(bob)}
    assert own == {path: 200 for path in own}


def test_a_member_cannot_change_another_members_objects(api, partner_a, in_schema, two_members):
    from services_catalog.local.models import Subscription
    from tenants.invoicing.models import Client, Estimate, Invoice
    from tenants.labour_law.models import Contract

    ann, bob = two_members["ann"], two_members["bob"]
    client = api(partner_a, bob["user"])
    today = timezone.localdate().isoformat()
    line = {"description": "x", "quantity": "1", "unit_price": "1.00"}
    writes = [
        ("patch", f"/api/v1/invoices/{ann['draft'].pk}/", {"lines": [line]}),
        ("delete", f"/api/v1/invoices/{ann['draft'].pk}/", {}),
        ("post", f"/api/v1/invoices/{ann['draft'].pk}/issue/", {}),
        ("patch", f"/api/v1/estimates/{ann['estimate'].pk}/", {"notes": "mine"}),
        ("delete", f"/api/v1/estimates/{ann['estimate'].pk}/", {}),
        ("post", f"/api/v1/estimates/{ann['estimate'].pk}/send/", {}),
        ("patch", f"/api/v1/clients/{ann['client'].pk}/", {"name": "Renamed"}),
        ("delete", f"/api/v1/clients/{ann['client'].pk}/", {}),
        ("post", f"/api/v1/subscriptions/{ann['subscription'].pk}/end/", {"ends_on": today}),
    ]

    answers = {
        (m, p): getattr(client, m)(p, body, format="json").status_code for m, p, body in writes
    }

    assert answers == {key: 404 for key in answers}
    with in_schema(partner_a):
        assert Invoice.objects.get(pk=ann["draft"].pk).status == "draft"
        assert Invoice.objects.get(pk=ann["draft"].pk).lines.get().description == "Work"
        assert Estimate.objects.get(pk=ann["estimate"].pk).status == "draft"
        assert Client.objects.get(pk=ann["client"].pk).name == "ann GmbH"
        assert Subscription.objects.get(pk=ann["subscription"].pk).ends_on is None
        assert Contract.objects.count() == 2


def _bodies(activity_id, client_id, own_client_id):
    line = {"description": "x", "quantity": "1", "unit_price": "1.00"}
    period = {"period_start": "2026-01-01", "period_end": "2026-01-31"}
    return [
        ("/api/v1/invoices/", {"activity": activity_id, "client": own_client_id, "lines": [line]}),
        ("/api/v1/estimates/", {"activity": activity_id, "client": own_client_id, "lines": [line]}),
        ("/api/v1/salary-simulations/", {"activity": activity_id, **period}),
        (
            "/api/v1/income-plans/",
            {"activity": activity_id, "start_month": "2026-01", "incomes": ["1"]},
        ),
        ("/api/v1/contracts/proposals/", {"activity": activity_id}),
        (
            "/api/v1/contracts/",
            {"activity": activity_id, "contract_type": "employment", "amount": "100"},
        ),
        (
            "/api/v1/subscriptions/",
            {"activity": activity_id, "service": 1, "starts_on": "2027-01-01"},
        ),
    ]


def _counts(in_schema, partner):
    from services_catalog.local.models import Subscription
    from tenants.invoicing.models import Estimate, Invoice
    from tenants.labour_law.models import Contract, IncomePlan, SalarySimulation
    from tenants.members.models import LedgerEntry

    with in_schema(partner):
        return [
            m.objects.count()
            for m in (
                Invoice,
                Estimate,
                SalarySimulation,
                IncomePlan,
                Contract,
                Subscription,
                LedgerEntry,
            )
        ]


@pytest.mark.parametrize("whose", ["another member's", "another partner's"])
def test_a_member_cannot_name_foreign_activities_in_a_body(
    api, partner_a, in_schema, two_members, whose
):
    ann, bob = two_members["ann"], two_members["bob"]
    activity_id = (
        ann["activity"].pk if whose == "another member's" else two_members["beta_activity_id"]
    )
    client = api(partner_a, bob["user"])
    before = _counts(in_schema, partner_a)

    answers = {
        path: client.post(path, body, format="json").status_code
        for path, body in _bodies(activity_id, None, bob["client"].pk)
    }

    # Invoicing and the catalogue refuse the unknown field (400); the labour-law endpoints
    # load the activity through the member's scope, as for an object in the path (404).
    assert answers == {
        "/api/v1/invoices/": 400,
        "/api/v1/estimates/": 400,
        "/api/v1/salary-simulations/": 404,
        "/api/v1/income-plans/": 404,
        "/api/v1/contracts/proposals/": 404,
        "/api/v1/contracts/": 404,
        "/api/v1/subscriptions/": 400,
    }
    assert _counts(in_schema, partner_a) == before


@pytest.mark.parametrize("whose", ["another member's", "another partner's"])
def test_a_member_cannot_invoice_a_foreign_client(api, partner_a, in_schema, two_members, whose):
    ann, bob = two_members["ann"], two_members["bob"]
    client_id = ann["client"].pk if whose == "another member's" else two_members["beta_client_id"]
    client = api(partner_a, bob["user"])
    line = {"description": "x", "quantity": "1", "unit_price": "1.00"}
    before = _counts(in_schema, partner_a)

    created = client.post(
        "/api/v1/invoices/",
        {"activity": bob["activity"].pk, "client": client_id, "lines": [line]},
        format="json",
    )
    moved = client.patch(
        f"/api/v1/invoices/{bob['draft'].pk}/", {"client": client_id}, format="json"
    )
    estimate = client.post(
        "/api/v1/estimates/",
        {"activity": bob["activity"].pk, "client": client_id, "lines": [line]},
        format="json",
    )

    assert (created.status_code, moved.status_code, estimate.status_code) == (400, 400, 400)
    # In the German partner's language.
    assert created.json()["extra"]["fields"] == {"client": ["Kunde nicht gefunden."]}
    assert _counts(in_schema, partner_a) == before
    with in_schema(partner_a):
        bob["draft"].refresh_from_db()
        assert bob["draft"].client_id == bob["client"].pk
