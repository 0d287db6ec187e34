"""Isolation, swept over every GET route of both URLconfs (the API and the admin), with
every path parameter filled with real values: a member's personal data entered at partner
A appears in no answer of the federation host (headquarters sees numbers, not people) nor
of partner B's host, whatever the role.

Both partners hold one object of every kind (``_build_world``). A parameterised route is
swept with the values of partner A's objects (the ones that hold the personal data: the
slug of partner A on the federation host, ids guessed across partners on B's host) and
with the host's own (so that detail views render, not only 404). A GET route whose
parameters the sweep cannot fill fails the sweep: name them in ``API_PARAMETERS`` (and
make the object in ``_build_world``), so that no new route escapes it silently.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import re
import zlib
from decimal import Decimal
from typing import NamedTuple

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.conftest import schema_of

SECRET_FIRST = "Zyxwvutsrq"
SECRET_LAST = "Ploufmagnet"
SECRET_EMAIL = "zyxwv.ploufmagnet@example.org"
SECRET_PHONE = "+49 30 9876512"
SECRET_IBAN = "DE89370400440532013000"
SECRET_LOGIN = "qwxplouf"
SECRETS = [SECRET_FIRST, SECRET_LAST, SECRET_EMAIL, SECRET_PHONE, SECRET_IBAN, SECRET_LOGIN]
# The IBAN may be shown in groups of four.
_IBAN_GROUPED = " ?".join(re.escape(SECRET_IBAN[i : i + 4]) for i in range(0, 22, 4))
LEAK = re.compile(
    "|".join([*(re.escape(s) for s in SECRETS), _IBAN_GROUPED]).encode(), re.IGNORECASE
)

FEDERATION, PARTNER = "config.urls_public", "config.urls_tenant"

# Path parameters of the API's parameterised GET routes, by URL name: which object of a
# partner's world fills each of them.
API_PARAMETERS = {
    FEDERATION: {
        "partner-detail": {"slug": "slug"},
        "partner-history": {"slug": "slug"},
        "coverage-detail": {"slug": "slug"},
        "coverage-history": {"slug": "slug"},
        "reference-service-detail": {"code": "reference_service"},
        "tier-requirement-detail": {"pk": "tier_requirement"},
        "charter-detail": {"pk": "charter"},
        "charter-finding-detail": {"pk": "finding"},
        "annual-report-detail": {"pk": "annual_report"},
    },
    PARTNER: {
        "member-detail": {"pk": "member"},
        "member-history": {"pk": "member"},
        "member-consents": {"pk": "member"},
        "member-shares": {"pk": "member"},
        "activity-detail": {"pk": "activity"},
        "ledger-list": {"activity_pk": "activity"},
        "client-detail": {"pk": "client"},
        "invoice-detail": {"pk": "invoice"},
        "invoice-pdf": {"pk": "invoice"},
        "invoice-payments": {"pk": "invoice"},
        "invoice-credit-notes": {"pk": "invoice"},
        "invoice-credit-note-pdf": {"pk": "invoice", "note_id": "credit_note"},
        "estimate-detail": {"pk": "estimate"},
        "expense-detail": {"pk": "expense"},
        "expense-receipt": {"pk": "expense"},
        "salary-simulation-detail": {"pk": "simulation"},
        "salary-simulation-reproduce": {"pk": "simulation"},
        "income-plan-detail": {"pk": "plan"},
        "income-plan-reproduce": {"pk": "plan"},
        "labour-contract-detail": {"pk": "contract"},
        "partner-parameter-detail": {"pk": "partner_parameter"},
        "service-detail": {"pk": "service"},
        "subscription-detail": {"pk": "subscription"},
        "subscription-charges": {"pk": "subscription"},
        "subscription-uses": {"pk": "subscription"},
        "charter-finding-detail": {"pk": "finding"},
        "annual-report-detail": {"pk": "annual_report"},
    },
}
# The admin's parameterised routes are filled by ``_admin_values``: its model pages
# (``admin/<app>/<model>/<object_id>/…``) with the latest row of the model.


# --- The world: one object of every kind at a partner --------------------------------


def _receipt(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("receipt.pdf", b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF")


def _build_world(partner, *, admin, member_user, person: dict, iban: str, contract_type: str):
    """In ``partner``'s schema: a member (``person``'s names, linked to ``member_user``)
    with an activity, a ledger, a client named after them, an issued invoice with a
    payment and a credit note, an estimate, an expense with its receipt, a salary
    simulation, an income plan, a contract, consents, shares, subscriptions with a use and
    a charge, a fund movement, a labour-law parameter and a group; and the member's
    coverage pushed to the federation. Returns the ids by kind (``API_PARAMETERS``)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from common.money import Money
    from services_catalog.local.services import (
        charges_bill_month,
        coverage_push,
        service_use_record,
        subscription_create,
    )
    from shared.charter.models import CharterFinding
    from shared.charter.services import annual_report_file
    from tenants.charter_checks.tasks import charter_check_here
    from tenants.expenses.services import expense_submit
    from tenants.invoicing.services import (
        client_create,
        estimate_create,
        invoice_create,
        invoice_credit_note_create,
        invoice_issue,
        invoice_payment_record,
    )
    from tenants.labour_law.models import PartnerParameter
    from tenants.labour_law.services import (
        contract_create,
        income_plan_create,
        salary_simulation_create,
    )
    from tenants.members.services import (
        activity_create,
        member_consent_give,
        member_create,
        member_share_subscribe,
        member_status_change,
        member_user_link,
    )
    from tenants.payroll.services import fund_feed_from_fee
    from tests.services_catalog.factories import ServiceFactory
    from tests.tenants.members.factories import post

    first, last = person["first_name"], person["last_name"]
    today = timezone.localdate()
    line = {"description": f"Work for {last}", "quantity": "1", "unit_price": "1000.00"}
    with schema_of(partner):
        member = member_create(
            actor=admin,
            **person,
            address=f"{last}weg 7, Berlin",
            iban=iban,
            applied_on=dt.date(2024, 1, 1),
        )
        member_status_change(
            member=member, to_status="active", actor=admin, effective_on=dt.date(2024, 1, 2)
        )
        member_user_link(member=member, user=member_user, actor=admin)
        Token.objects.get_or_create(user=member_user)
        member_consent_give(member=member, kind="data_processing", text_version="v1", actor=admin)
        member_share_subscribe(member=member, count=1, actor=admin)
        activity = activity_create(
            member=member, actor=admin, name=f"{last} Studio", sector="62.01"
        )
        post(activity, "5000.00", description=f"Turnover of {first} {last}")
        fee = post(activity, "-70.00", kind="fee", description=f"Fee of {last}")
        fund_feed_from_fee(fee_entry=fee)
        client = client_create(
            name=f"{first} {last}", kind="person", country=partner.country, created_by=member_user
        )
        invoice = invoice_create(
            activity=activity, client=client, lines=[line], created_by=member_user
        )
        invoice_issue(invoice=invoice, issued_by=admin)
        invoice_payment_record(
            invoice=invoice, amount="10.00", received_on=today, recorded_by=admin
        )
        note = invoice_credit_note_create(
            invoice=invoice,
            reason=f"Refund to {last}",
            lines=[{**line, "unit_price": "10.00"}],
            issue_date=today,
            created_by=admin,
        )
        estimate = estimate_create(
            activity=activity, client=client, lines=[line], created_by=member_user
        )
        expense = expense_submit(
            activity=activity,
            amount=Money(Decimal("12.00"), partner.currency),
            spent_on=today,
            category="travel",
            description=f"Train for {last}",
            receipt=_receipt(f"{first} {last}"),
            submitted_by=member_user,
        )
        simulation = salary_simulation_create(
            actor=member_user,
            activity=activity,
            amount=Decimal("3000"),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 1, 31),
        )
        plan = income_plan_create(
            actor=member_user,
            activity=activity,
            start_month=dt.date(2026, 1, 1),
            incomes=[Decimal("900")],
        )
        contract = contract_create(
            actor=admin,
            activity=activity,
            contract_type=contract_type,
            start=dt.date(2026, 2, 1),
            end=dt.date(2026, 2, 28),
            amount=Decimal("1000"),
        )
        # Only a partner on the generic pack may set parameters through the service.
        parameter = PartnerParameter.objects.create(
            name="employer_rate",
            value=Decimal("0.1"),
            unit="fraction",
            effective_from=dt.date(2024, 1, 1),
            source=f"Test, noted by {last}",
        )
        flat = ServiceFactory(code="coaching", name="Coaching", pricing_model="flat_monthly")
        per_use = ServiceFactory(code="desk", name="Desk", pricing_model="per_use")
        subscription = subscription_create(
            activity=activity, service=flat, starts_on=dt.date(2025, 1, 1), created_by=admin
        )
        desk = subscription_create(
            activity=activity, service=per_use, starts_on=dt.date(2025, 1, 1), created_by=admin
        )
        service_use_record(
            subscription=desk, used_on=today, note=f"Used by {last}", recorded_by=admin
        )
        charges_bill_month(period=dt.date(2025, 6, 1))
        Group.objects.create(name=f"Group of {partner.slug}")
        coverage_push(as_of=today)
        report = annual_report_file(
            partner=partner,
            actor=admin,
            year=today.year - 1,
            figures={
                "operating_result": "1000",
                "equity": "2000",
                "staff_fte": "3",
                "hq_capital": "0",
                "hq_current_account": "500",
                "hq_voting_share": "0.1000",
            },
        )
        charter_check_here(today=today)
    finding = CharterFinding.objects.filter(partner=partner).order_by("pk").first()
    return {
        "slug": partner.slug,
        "member": member.pk,
        "activity": activity.pk,
        "client": client.pk,
        "invoice": invoice.pk,
        "credit_note": note.pk,
        "estimate": estimate.pk,
        "expense": expense.pk,
        "simulation": simulation.pk,
        "plan": plan.pk,
        "contract": contract.pk,
        "partner_parameter": parameter.pk,
        "service": flat.pk,
        "subscription": subscription.pk,
        "annual_report": report.pk,
        "finding": finding.pk,
        "member_user": member_user,
    }


@pytest.fixture
def media_root(settings, tmp_path):
    """Receipts go to a temporary MEDIA_ROOT (the tenant storage caches its root)."""
    from django.core.files.storage import default_storage
    from django.utils.functional import empty

    settings.MEDIA_ROOT = str(tmp_path)
    if default_storage._wrapped is empty:
        default_storage._setup()
    default_storage._wrapped.__dict__.pop("relative_media_root", None)
    yield tmp_path
    default_storage._wrapped.__dict__.pop("relative_media_root", None)


@pytest.fixture
def world(partner_a, partner_b, make_user, media_root):
    """Partner A's member holds the secrets; partner B's member is the login of B's
    ``member`` role in the sweep. The public schema gets a group of its own."""
    from django.contrib.auth.models import Group

    from services_catalog.reference.models import ReferenceService, TierRequirement
    from shared.charter.models import Charter

    alpha = _build_world(
        partner_a,
        admin=make_user(partner_a, "admin"),
        member_user=make_user(partner_a, "member", username=SECRET_LOGIN),
        person={
            "first_name": SECRET_FIRST,
            "last_name": SECRET_LAST,
            "email": SECRET_EMAIL,
            "phone": SECRET_PHONE,
        },
        iban=SECRET_IBAN,
        contract_type="employment",
    )
    beta = _build_world(
        partner_b,
        admin=make_user(partner_b, "admin"),
        member_user=make_user(partner_b, "member"),
        person={
            "first_name": "Berit",
            "last_name": "Lindqvist",
            "email": "berit@example.org",
            "phone": "+46 8 1234567",
        },
        iban="SE4550000000058398257466",
        contract_type="assignment",
    )
    with schema_of(None):
        Group.objects.create(name="Federation group")
        public = {
            "reference_service": ReferenceService.objects.order_by("code").first().code,
            "tier_requirement": TierRequirement.objects.order_by("pk").first().pk,
            "charter": Charter.objects.order_by("pk").first().pk,
        }
    alpha.update(public)
    beta.update(public)
    return {"alpha": alpha, "beta": beta}


# --- Routes and their parameters -------------------------------------------------------


def _get_routes(urlconf: str) -> list[tuple[list, object]]:
    """Every URL pattern of ``urlconf`` that answers GET, as (its chain of patterns, the
    final pattern)."""

    def walk(patterns, chain):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, [*chain, pattern.pattern])
            else:
                yield [*chain, pattern.pattern], pattern

    return [(chain, p) for chain, p in walk(get_resolver(urlconf).url_patterns, []) if _gets(p)]


def _gets(pattern) -> bool:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a DRF viewset route
        return "get" in actions
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "get")
    return True  # a function view (the admin's): sweep it


def _parameters(chain) -> list[str]:
    return [name for part in chain for name in part.regex.groupindex]


def _concrete(chain, values: dict) -> str:
    """The path of the route ``chain`` with its parameters replaced by ``values``."""
    parts = []
    for part in chain:
        text = str(part)
        if isinstance(part, RoutePattern):
            text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), text)
        else:
            assert isinstance(part, RegexPattern), part
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m[1]]), text)
            text = text.removeprefix("^").removesuffix("$").replace("\\", "")
        parts.append(text)
    return "/" + "".join(parts)


def _route_name(chain, pattern) -> str:
    if pattern.name:
        return pattern.name
    return "catch_all" if "url" in _parameters(chain) else "admin_object_redirect"


def _admin_model(chain):
    """The model of an admin model page (``admin/<app>/<model>/…``), else None."""
    if len(chain) < 3 or str(chain[0]) != "admin/":
        return None
    app_label, _, model_name = str(chain[1]).strip("/").partition("/")
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


def _latest_pk(model, schema, alpha):
    """The pk of ``model``'s latest row in ``schema`` (a partner, or None for public),
    or None when the model's table does not live there. In public, the row of partner
    ``alpha`` (the partner under test) when the model is the registry or points to it."""
    from common.admin_site import model_allowed_here
    from tenants.partners.models import Partner

    with schema_of(schema):
        if not model_allowed_here(model):
            return None
        rows = model._default_manager.order_by("-pk")
        if schema is None and model is Partner:
            rows = rows.filter(pk=alpha.pk)
        elif schema is None and any(
            getattr(f, "related_model", None) is Partner for f in model._meta.fields
        ):
            field = next(f for f in model._meta.fields if f.related_model is Partner)
            rows = rows.filter(**{field.name: alpha})
        row = rows.first()
        return None if row is None else row.pk


def _admin_values(chain, pattern, host, alpha) -> list[dict]:
    """Values for the admin's parameterised routes on ``host`` (a partner, or None for
    the federation): the latest row of the host's own table, else (a model of the other
    side, which the host's admin must refuse cleanly) of partner ``alpha``'s or the
    public one (see ``_latest_pk``)."""
    from django.contrib.contenttypes.models import ContentType

    from common.accounts.models import User
    from tenants.members.models import Member

    def pk(model):
        found = _latest_pk(model, host, alpha)
        if found is None:
            found = _latest_pk(model, alpha if host is None else None, alpha)
        assert found is not None, f"no {model._meta.label} row to fill {_hint(chain)}"
        return found

    params = set(_parameters(chain))
    name = _route_name(chain, pattern)
    model = _admin_model(chain)
    if model is not None and params == {"object_id"}:
        return [{"object_id": pk(model)}]
    if name == "app_list":
        labels = re.search(r"\(\?P<app_label>([^)]*)\)", str(chain[-1]))[1].split("|")
        return [{"app_label": label} for label in labels]
    if name == "catch_all":
        return [{"url": "no-such-page/"}]
    if name == "auth_user_password_change":
        return [{"id": pk(User)}]
    if name == "view_on_site":
        with schema_of(host):
            content_type = ContentType.objects.get_for_model(Member).pk
        return [{"content_type_id": content_type, "object_id": pk(Member)}]
    raise AssertionError(f"the sweep cannot fill {_hint(chain)}")


def _hint(chain) -> str:
    return "".join(str(part) for part in chain)


class Path(NamedTuple):
    name: str  # the route's
    path: str
    model: type | None  # of an admin model page


def _paths(urlconf, worlds: list[dict], host, alpha, parameters=None) -> list[Path]:
    """The concrete path of every GET route of ``urlconf`` on ``host``; an API route once
    per distinct filling from ``worlds`` (by ``parameters``, default ``API_PARAMETERS``),
    an admin route with the host's rows (``_admin_values``). Fails on a parameterised
    route it cannot fill."""
    parameters = API_PARAMETERS[urlconf] if parameters is None else parameters
    unfilled, paths = [], []
    for chain, pattern in _get_routes(urlconf):
        params = _parameters(chain)
        name = _route_name(chain, pattern)
        if name == "schema":
            continue  # the OpenAPI document lists route templates, not data
        if not params:
            paths.append(Path(name, _concrete(chain, {}), _admin_model(chain)))
            continue
        if str(chain[0]) == "admin/":
            fillings = _admin_values(chain, pattern, host, alpha)
        elif set(params) == set(parameters.get(name, ())):
            kinds = parameters[name]
            fillings = [{param: w[kind] for param, kind in kinds.items()} for w in worlds]
        else:
            unfilled.append(f"{name}: {_hint(chain)}")
            continue
        for values in {tuple(sorted(v.items())): v for v in fillings}.values():
            path = _concrete(chain, values)
            match = resolve(path, urlconf)
            assert match.func is pattern.callback, (path, match)
            assert match.kwargs == {k: str(v) for k, v in values.items()}, (path, match)
            paths.append(Path(name, path, _admin_model(chain)))
    assert not unfilled, f"GET routes the sweep cannot fill (see API_PARAMETERS): {unfilled}"
    return paths


# --- Sweeping --------------------------------------------------------------------------


def _texts(response) -> list[bytes]:
    """The response's bytes, and each stream of a PDF decoded (reportlab writes them
    ASCII85- and Flate-encoded)."""
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    texts = [body]
    if body.startswith(b"%PDF"):
        for stream in re.findall(rb"stream\r?\n(.*?)endstream", body, re.DOTALL):
            texts.append(_pdf_stream(stream))
    return texts


def _pdf_stream(data: bytes) -> bytes:
    with contextlib.suppress(ValueError):
        data = base64.a85decode(re.sub(rb"\s", b"", data).removesuffix(b"~>"))
    with contextlib.suppress(zlib.error):
        data = zlib.decompress(data)
    return data


class _RolledBack(Exception):
    pass


def _sweep(client, paths) -> dict[str, tuple[int, bool]]:
    """GET every path; → {path: (status, whether a secret shows)}."""
    answers = {}
    for _name, path, _model in paths:
        # A savepoint per request: a database error in one answer (a 500) must not abort
        # the test's transaction for the requests after it, as it would not in production.
        # (An atomic block rolled back by hand: Django 6.1 deprecates savepoint().)
        try:
            with transaction.atomic():
                response = client.get(path)
                raise _RolledBack
        except _RolledBack:
            pass
        answers[path] = (
            response.status_code,
            any(LEAK.search(text) for text in _texts(response)),
        )
    return answers


def _client(api, partner, user):
    """The user's token for the API and a session for the admin, on ``partner``'s host."""
    client = api(partner, user)
    client.raise_request_exception = False  # a 500 is an answer to report, with the others
    with schema_of(partner):
        client.force_login(user)
    return client


def _assert_clean(answers):
    assert len(answers) > 40, "too few routes to sweep"
    errors = {path: status for path, (status, _leak) in answers.items() if status >= 500}
    leaks = [path for path, (_status, leak) in answers.items() if leak]
    assert (errors, leaks) == ({}, [])


def _federation_admin_defects(paths) -> dict[str, int]:
    """The federation admin's pages that once answered 500, with the answer each must
    give: the object pages of a partner-side model (403, as its list page answers), the
    shortcut to such an object (404) and a user's delete page (200; it collects the
    partner-side rows that point to users)."""
    from common.admin_site import model_allowed_here

    expected = {}
    with schema_of(None):
        for name, path, model in paths:
            if name == "view_on_site":
                expected[path] = 404
            elif name == "accounts_user_delete":
                expected[path] = 200
            elif (
                model is not None
                and not model_allowed_here(model)
                and re.search(r"/\d+/(change|history|delete)/$", path)
            ):
                expected[path] = 403
    return expected


@pytest.mark.parametrize("role", ["hq_admin", "hq_analyst"])
def test_federation_routes_never_show_a_members_data(world, api, make_user, partner_a, role):
    client = _client(api, None, make_user(None, role))
    paths = _paths(FEDERATION, [world["alpha"], world["beta"]], None, partner_a)

    answers = _sweep(client, paths)

    _assert_clean(answers)


def test_the_federation_admin_refuses_partner_side_objects_cleanly(
    world, api, make_user, partner_a
):
    client = _client(api, None, make_user(None, "hq_admin"))
    paths = _paths(FEDERATION, [world["alpha"]], None, partner_a)
    expected = _federation_admin_defects(paths)

    answers = _sweep(client, [p for p in paths if p.path in expected])

    assert len(expected) > 20
    assert {path: status for path, (status, _leak) in answers.items()} == expected


@pytest.mark.parametrize("role", ["admin", "advisor", "accountant", "member"])
def test_another_partners_routes_never_show_a_members_data(
    world, api, make_user, partner_a, partner_b, role
):
    user = world["beta"]["member_user"] if role == "member" else make_user(partner_b, role)
    client = _client(api, partner_b, user)
    paths = _paths(PARTNER, [world["alpha"], world["beta"]], partner_b, partner_a)

    answers = _sweep(client, paths)

    _assert_clean(answers)


def test_the_sweep_fills_real_objects_and_sees_the_partners_own_data(
    world, api, make_user, partner_a
):
    # The sweeps above would pass vacuously if the fillings named nothing, or if the
    # detector missed the data where it is shown: partner A's own admin, on A's host,
    # gets every filled API route and sees the member's data on each kind of answer.
    client = _client(api, partner_a, make_user(partner_a, "admin"))
    shown_on = {
        "member-detail",  # JSON
        "invoice-pdf",  # a generated PDF
        "expense-receipt",  # a stored file
        "members_member_change",  # admin pages
        "members_member_history",
    }
    paths = [
        p
        for p in _paths(PARTNER, [world["alpha"]], partner_a, partner_a)
        if p.name in API_PARAMETERS[PARTNER] or p.name in shown_on
    ]

    answers = _sweep(client, paths)

    by_name = {name: answers[path] for name, path, _model in paths}
    assert {n: s for n, (s, _leak) in by_name.items() if s != 200} == {}
    assert {name for name, (_status, leak) in by_name.items() if leak} >= shown_on


def test_headquarters_reach_every_filled_federation_route(world, api, make_user, partner_a):
    client = _client(api, None, make_user(None, "hq_admin"))
    wanted = {*API_PARAMETERS[FEDERATION], "partners_partner_change"}
    paths = [p for p in _paths(FEDERATION, [world["alpha"]], None, partner_a) if p.name in wanted]

    answers = _sweep(client, paths)

    assert {name: answers[path][0] for name, path, _model in paths} == dict.fromkeys(wanted, 200)


def test_the_sweep_refuses_a_parameterised_route_it_cannot_fill(world, partner_a):
    from types import ModuleType

    from django.urls import path

    from common.api.views import MeApi

    # Given a URLconf that grew a parameterised GET route nobody told the sweep about
    grown = ModuleType("grown_urls")
    grown.urlpatterns = [
        *get_resolver(PARTNER).url_patterns,
        path("api/v1/members/<int:pk>/notes/", MeApi.as_view(), name="member-notes"),
    ]

    with pytest.raises(AssertionError, match="member-notes"):
        _paths(grown, [world["alpha"]], partner_a, partner_a, API_PARAMETERS[PARTNER])


def test_each_host_documents_its_own_api(api, partner_a):
    def documented(client):
        return set(client.get("/api/schema/", {"format": "json"}).json()["paths"])

    federation, partner = documented(api(None)), documented(api(partner_a))
    assert "/api/v1/partners/" in federation
    assert "/api/v1/partners/" not in partner
    assert "/api/v1/members/" in partner
    assert "/api/v1/members/" not in federation
