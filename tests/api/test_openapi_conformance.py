"""The OpenAPI schema tells the truth: schemathesis, with every check, over both kinds of
host (a partner's, the federation's), as a partner admin, a partner member and an HQ admin.

Each operation of each host's schema gets a few generated requests (valid and invalid,
derandomised: the same cases on every run), sent in-process to the WSGI application with
the host's ``Host`` header and the user's token; every response is checked against the
schema (status code, content type, headers, body) and against the API's promises (no 5xx;
invalid input refused; input the schema calls valid not refused as malformed).

Valid cases reach real objects: a committed partner is seeded once per module (through
the API itself), and the identifiers in a valid case's path and body are swapped, for
most cases, for the seeded ones of the right kind (for the member: their own and
someone else's, which must answer 404).
"""

from __future__ import annotations

import base64
import json
import os
import uuid
import zlib
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.helpers import destroy_partner, make_partner

pytestmark = pytest.mark.slow

PASSWORD = "a-long-test-password"
# A few generated cases per operation, valid and invalid. A deeper run, for a change to
# the API: ESSAIM_SCHEMATHESIS_EXAMPLES=50 ESSAIM_SCHEMATHESIS_COVERAGE=1 (the coverage
# phase adds every field's boundary and wrong-type values: about 150 requests per body).
MAX_EXAMPLES = int(os.environ.get("ESSAIM_SCHEMATHESIS_EXAMPLES", "4"))
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 12,
        # The token is sent by the test itself (one per role); schemathesis generating
        # Authorization headers or session cookies of its own would only be overwritten.
        "generation": {"with-security-parameters": False},
        "phases": {
            "coverage": {"enabled": os.environ.get("ESSAIM_SCHEMATHESIS_COVERAGE") == "1"},
            "stateful": {"enabled": False},
        },
    }
)
# A 1x1 PNG, the smallest receipt the expense endpoint accepts.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _schema(urlconf: str) -> schemathesis.BaseSchema:
    """The schema a host serves at /api/schema/ (the same generator, the same URLconf)."""
    from config.wsgi import application

    raw = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(raw)), config=CONFIG
    )
    # Requests go to the application in-process (WSGI), as a server would pass them.
    schema.app = application
    return schema


PARTNER_SCHEMA = _schema("config.urls_tenant")
FEDERATION_SCHEMA = _schema("config.urls_public")


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """What the seeding made: tokens by role, and ids by kind (``ids[kind]``)."""

    partner: object = None
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, list] = field(default_factory=dict)
    hq_user_pk: int | None = None


WORLD = World()


def _ok(response, status=(200, 201)):
    assert response.status_code in status, (response.status_code, response.content[:500])
    return response.json() if response.content else None


def _seed_partner(host: str) -> None:
    """Members, activities, clients, invoices (draft, issued and paid, credited), an
    estimate, an expense, a service and a subscription, recorded computations: through
    the API, as the partner's admin (and the member for their own)."""
    from rest_framework.authtoken.models import Token

    from common.accounts.services import user_create

    admin = user_create(username="st-admin", role="admin", password=PASSWORD, check_password=False)
    WORLD.tokens["admin"] = Token.objects.create(user=admin).key
    api = APIClient(HTTP_HOST=host)
    api.credentials(HTTP_AUTHORIZATION=f"Token {WORLD.tokens['admin']}")
    ids = WORLD.ids

    def post(path, data, **kwargs):
        return _ok(api.post(f"/api/v1/{path}", data, format=kwargs.pop("format", "json")))

    # The member who logs in, and another member (whose objects the first must not see).
    own = post("members/", {"first_name": "Ada", "last_name": "Own", "email": "ada@example.org"})
    other = post("members/", {"first_name": "Bob", "last_name": "Other"})
    for member in (own, other):
        post(f"members/{member['id']}/admit/", {})
    post(f"members/{own['id']}/login/", {"username": "st-member", "password": PASSWORD})
    WORLD.tokens["member"] = _ok(
        APIClient(HTTP_HOST=host).post(
            "/api/v1/auth/token/", {"username": "st-member", "password": PASSWORD}, format="json"
        )
    )["token"]
    ids["members"] = [own["id"], other["id"]]
    activities = [
        post(
            "activities/",
            {"member": m["id"], "name": f"Studio {m['last_name']}", "sector": "90.01"},
        )
        for m in (own, other)
    ]
    ids["activities"] = [a["id"] for a in activities]
    client = post("clients/", {"name": "Client SARL", "country": "FR"})
    ids["clients"] = [client["id"]]
    line = {"description": "Concert", "quantity": "1", "unit_price": "1000.00"}
    invoices = [
        post("invoices/", {"activity": a["id"], "client": client["id"], "lines": [line]})
        for a in activities
    ]
    issued = post(
        "invoices/", {"activity": activities[0]["id"], "client": client["id"], "lines": [line]}
    )
    post(f"invoices/{issued['id']}/issue/", {})
    today = timezone.localdate().isoformat()
    post(f"invoices/{issued['id']}/payments/", {"amount": "600.00", "date": today})
    credited = post(
        "invoices/", {"activity": activities[0]["id"], "client": client["id"], "lines": [line]}
    )
    post(f"invoices/{credited['id']}/issue/", {})
    note = post(
        f"invoices/{credited['id']}/credit-note/",
        {"reason": "Cancelled", "lines": [{**line, "unit_price": "100.00"}]},
    )
    ids["invoices"] = [issued["id"], credited["id"], *(i["id"] for i in invoices)]
    ids["credit_notes"] = [note["id"]]
    ids["estimates"] = [
        post("estimates/", {"activity": a["id"], "client": client["id"], "lines": [line]})["id"]
        for a in activities
    ]
    ledger = _ok(api.get(f"/api/v1/activities/{activities[0]['id']}/ledger/"))["results"]
    ids["ledger"] = [entry["id"] for entry in ledger]
    from django.core.files.uploadedfile import SimpleUploadedFile

    expense = post(
        "expenses/",
        {
            "activity": activities[0]["id"],
            "amount": "12.50",
            "spent_on": today,
            "category": "travel",
            "description": "Train",
            "receipt": SimpleUploadedFile("r.png", PNG, content_type="image/png"),
        },
        format="multipart",
    )
    ids["expenses"] = [expense["id"]]
    service = post(
        "services/",
        {
            "code": "st_help",
            "name": {"fr": "Aide", "en": "Help"},
            "pricing_model": "flat_monthly",
            "price_amount": "10.00",
            "available_from": "2025-01-01",
        },
    )
    ids["services"] = [service["id"]]
    subscription = post(
        "subscriptions/",
        {"service": service["id"], "activity": activities[0]["id"], "starts_on": "2026-01-01"},
    )
    ids["subscriptions"] = [subscription["id"]]
    ids["shares"] = [post(f"members/{own['id']}/shares/", {"count": 1})["id"]]
    ids["consents"] = [
        post(f"members/{own['id']}/consents/", {"kind": "newsletter", "text_version": "v1"})["id"]
    ]
    simulation = post(
        "salary-simulations/",
        {"amount": "2000.00", "period_start": "2026-01-01", "period_end": "2026-01-31"},
    )
    ids["salary-simulations"] = [simulation["id"]]
    plan = post("income-plans/", {"start_month": "2026-01", "incomes": ["1000", "0", "3000"]})
    ids["income-plans"] = [plan["id"]]


def _seed_federation() -> None:
    from rest_framework.authtoken.models import Token

    from common.accounts.services import user_create

    hq = user_create(
        username=f"st-hq-{uuid.uuid4().hex[:8]}",
        role="hq_admin",
        password=PASSWORD,
        check_password=False,
    )
    WORLD.hq_user_pk = hq.pk
    WORLD.tokens["hq_admin"] = Token.objects.create(user=hq).key


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from rest_framework.authtoken.models import Token

    from common.accounts.models import User

    slug = f"st{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        partner = make_partner(slug, country="FR", tier="open_smart", name="Coopérative ST")
    try:
        with django_db_blocker.unblock():
            WORLD.partner = partner
            connection.set_tenant(partner)
            try:
                _seed_partner(f"{slug}.{settings.PLATFORM_DOMAIN}")
            finally:
                connection.set_schema_to_public()
            _seed_federation()
            WORLD.ids["partners"] = [slug, "alpha"]
        yield WORLD
    finally:
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            # A raw delete: the ORM's cascade would look for partner-side tables here.
            Token.objects.filter(user_id=WORLD.hq_user_pk)._raw_delete(Token.objects.db)
            User.objects.filter(pk=WORLD.hq_user_pk)._raw_delete(User.objects.db)
            destroy_partner(partner)


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI handler closes the database connection after each request; inside a test
    transaction it must not (Django's test client disconnects the same signals)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# --------------------------------------------------------------------------- real ids

# Path parameters that are not the resource of the path's first segment.
_PATH_KINDS = {
    "activity_pk": "activities",
    "share_id": "shares",
    "consent_id": "consents",
    "note_id": "credit_notes",
}


def _pick(values: list, seed: int, like=None):
    """One of ``values``, as a string when the generated value it replaces was one."""
    value = values[seed % len(values)]
    return str(value) if isinstance(like, str) else value


def _with_real_ids(case) -> None:
    """Swap most identifiers of a valid case for seeded ones: the case stays valid for the
    schema, and reaches real objects instead of 404."""
    seed = zlib.crc32(
        json.dumps([case.path_parameters, case.body], sort_keys=True, default=str).encode()
    )
    if seed % 4 == 0:
        return  # keep the generated ids (mostly unknown: 404 or a named 400)
    segments = case.operation.path.split("/")
    kind = segments[3] if len(segments) > 3 else ""
    for name in list(case.path_parameters or {}):
        if name in _PATH_KINDS:
            values = WORLD.ids.get(_PATH_KINDS[name])
        elif "ledger" in segments and name == "id":
            values = WORLD.ids.get("ledger")
        else:
            values = WORLD.ids.get(kind)
        if values:
            case.path_parameters[name] = _pick(values, seed, case.path_parameters[name])
    # A body with a file is left as generated: schemathesis cannot re-check such a body
    # after a change, and would count the case as invalid.
    if isinstance(case.body, dict) and not any(
        isinstance(value, bytes) for value in case.body.values()
    ):
        for name, kind_of_body in (
            ("activity", "activities"),
            ("member", "members"),
            ("client", "clients"),
            ("invoice", "invoices"),
            ("service", "services"),
        ):
            if isinstance(case.body.get(name), int) and WORLD.ids.get(kind_of_body):
                case.body[name] = _pick(WORLD.ids[kind_of_body], seed >> 3)


# --------------------------------------------------------------------------- checks


# What the serializers of the request being checked refused (see ``serializer_refusals``).
REFUSALS: list[tuple[str, object]] = []


@pytest.fixture
def serializer_refusals(monkeypatch):
    """Record every top-level serializer that refuses its data, so that a check can tell a
    refusal by the serializer the schema is generated from (the schema lied) from one by
    a service (a business rule the schema cannot express)."""
    from rest_framework import serializers
    from rest_framework.exceptions import ValidationError

    original = serializers.Serializer.is_valid

    def is_valid(self, *, raise_exception=False):
        valid = original(self, raise_exception=False)
        if not valid:
            REFUSALS.append((type(self).__name__, self.errors))
            if raise_exception:
                raise ValidationError(self.errors)
        return valid

    monkeypatch.setattr(serializers.Serializer, "is_valid", is_valid)
    REFUSALS.clear()
    return REFUSALS


# Field rules that hold against today's date, which a static schema cannot state: a birth
# date must give an age of 14 to 120 on the day it is recorded (common.dates).
RULES_BEYOND_THE_SCHEMA = frozenset({"birth_date_range"})


def _only_codes(errors, codes) -> bool:
    """Whether every error detail in DRF's nested ``errors`` has one of ``codes``."""
    if isinstance(errors, dict):
        return all(_only_codes(value, codes) for value in errors.values())
    if isinstance(errors, list):
        return all(_only_codes(value, codes) for value in errors)
    return getattr(errors, "code", None) in codes


@schemathesis.check
def valid_input_not_refused_as_malformed(ctx, response, case):
    """Input the schema calls valid is never refused as malformed: not by the serializer
    the schema describes, not by a query parameter's parser (a 400 naming a parameter of
    the request), never as unparsable (``parse_error``), nor with 415 or 422.

    A valid case may still break a business rule the schema cannot express (more than the
    amount due, an unknown client id, a state conflict): services refuse those (400 with
    a domain code, 404, 409), which is right. This replaces schemathesis's
    ``positive_data_acceptance``, which refuses every 400."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code in (415, 422):
        raise AssertionError(f"Valid input refused with {response.status_code}")
    if response.status_code != 400:
        return None
    if REFUSALS:
        name, errors = REFUSALS[-1]
        if not _only_codes(errors, RULES_BEYOND_THE_SCHEMA):
            raise AssertionError(f"Valid input refused by {name}: {errors}")
    try:
        body = response.json()
    except ValueError:
        body = {}
    extra = body.get("extra") or {}
    named = set(extra.get("fields") or {}) | set(extra)
    parameters = set(case.query or {}) | set(case.path_parameters or {})
    if body.get("code") == "parse_error" or (body.get("code") == "invalid" and named & parameters):
        raise AssertionError(f"Valid input refused as malformed: {response.content[:400]!r}")
    return None


def _text_fields_take_numbers() -> bool:
    """Whether the API's text fields still read a JSON integer as its digits (DRF's
    CharField does: ``{"name": 5}`` is stored as "5"). Refusing it belongs with the
    strict input fields (``common.api.fields``); once a text field refuses a number, this
    is False and the leniency below is no longer tolerated."""
    from common.api.views import TokenInput

    return TokenInput(data={"username": 5, "password": PASSWORD}).is_valid()


TEXT_TAKES_NUMBERS = _text_fields_take_numbers()


def _only_text_became_integer(case) -> bool:
    data = case.meta.phase.data if case.meta else None
    if isinstance(data, CoveragePhaseData):
        # The coverage phase changes the type of one property: the text one holding an int.
        body = case.body if isinstance(case.body, dict) else {}
        return data.scenario == CoverageScenario.INCORRECT_TYPE and any(
            isinstance(value, int)
            and not isinstance(value, bool)
            and _schema_type_of(case, name) == "string"
            for name, value in body.items()
        )
    mutations = getattr(data, "mutations", ())
    return bool(mutations) and all(
        m.keywords == ("type",) and m.original_value == "string" and m.new_value == "integer"
        for m in mutations
    )


def _schema_type_of(case, name) -> str | None:
    """The JSON type the body's schema gives property ``name`` (references followed)."""
    body = case.operation.get_body_for_media_type(case.media_type) if case.media_type else None
    schema = getattr(body, "validation_schema", None) or {}
    bundled = schema.get("x-bundled", {})

    def resolve(node):
        while isinstance(node, dict) and "$ref" in node:
            node = bundled.get(node["$ref"].rsplit("/", 1)[-1], {})
        return node or {}

    node = resolve(resolve(schema).get("properties", {}).get(name))
    branches = [resolve(branch) for branch in node.get("oneOf", node.get("anyOf", [node]))]
    types = {branch.get("type") for branch in branches}
    return types.pop() if len(types) == 1 else None


@schemathesis.check
def invalid_input_refused(ctx, response, case):
    """schemathesis's ``negative_data_rejection``, tolerating one known leniency while it
    lasts (``TEXT_TAKES_NUMBERS``): an integer where the schema asks for text."""
    data = case.meta.phase.data if case.meta else None
    if data is not None and not isinstance(data, CoveragePhaseData) and not data.mutations:
        # Generated valid, with no mutation: schemathesis relabels a valid multipart case
        # as invalid when it re-reads a body that holds a file.
        return None
    try:
        return negative_data_rejection(ctx, response, case)
    except AcceptedNegativeData:
        if TEXT_TAKES_NUMBERS and _only_text_became_integer(case):
            return None
        raise


HYPOTHESIS = hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def _call(case, host: str, token: str):
    REFUSALS.clear()
    if case.meta is not None and case.meta.generation.mode.is_positive:
        _with_real_ids(case)
    case.call_and_validate(
        base_url=f"http://{host}",
        headers={"Authorization": f"Token {token}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
        additional_checks=[valid_input_not_refused_as_malformed, invalid_input_refused],
    )


@pytest.fixture(params=["admin", "member"])
def partner_role(request):
    return request.param


@PARTNER_SCHEMA.parametrize()
@HYPOTHESIS
def test_partner_host_keeps_to_its_schema(
    case, world, partner_role, db, wsgi_in_test_transaction, serializer_refusals
):
    _call(case, f"{world.partner.slug}.{settings.PLATFORM_DOMAIN}", world.tokens[partner_role])


@FEDERATION_SCHEMA.parametrize()
@HYPOTHESIS
def test_federation_host_keeps_to_its_schema(
    case, world, db, wsgi_in_test_transaction, serializer_refusals
):
    _call(case, settings.PLATFORM_DOMAIN, world.tokens["hq_admin"])
