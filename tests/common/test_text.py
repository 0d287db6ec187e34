"""The text rule (common/text.py): which characters free text may hold, applied to every
free-text field of the API, the admin's forms and the partner lifecycle."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from common.text import text_refused_character, text_sanitise, validate_text

REFUSED = [
    "\x00",  # NUL
    "\x07",
    "\x0b",  # vertical tab: the probe's "A\u000bB"
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",  # DEL
    "\x85",  # C1: next line
    "\x9f",
    "\u202a",  # LRE
    "\u202b",  # RLE
    "\u202c",  # PDF
    "\u202d",  # LRO
    "\u202e",  # RLO: "Trojan Source"
    "\u2066",  # LRI
    "\u2067",  # RLI
    "\u2068",  # FSI
    "\u2069",  # PDI
    "\ud800",  # a lone surrogate (only a JSON escape makes one)
]
ALLOWED = [
    "Ana María Pérez-Núñez",
    "Zoë\tO'Brien",
    "Hauptstr. 1\n10115 Berlin",
    "line one\r\nline two",
    "שלום 123\u200f",  # RLM, ALM and LRM stay: mixed-script names need them
    "\u061c\u200e",
    "می\u200cخواهم",  # ZWNJ (Persian)
    "👩\u200d💻",  # ZWJ (emoji sequence)
    "",
]


@pytest.mark.parametrize("char", REFUSED)
def test_the_rule_refuses_control_bidi_and_surrogate_characters(char):
    with pytest.raises(ValidationError) as caught:
        validate_text(f"A{char}B")

    assert caught.value.code == "text_character"
    assert f"U+{ord(char):04X}" in caught.value.messages[0]


@pytest.mark.parametrize("text", ALLOWED)
def test_the_rule_allows_ordinary_text_in_any_script(text):
    validate_text(text)
    assert text_refused_character(text) is None


def test_the_rule_names_the_first_refused_character():
    assert text_refused_character("ok\u202eno\x00") == "\u202e"


def test_sanitising_replaces_each_refused_character_and_keeps_the_rest():
    assert text_sanitise("A\x0bB\u202eC\td\ne") == "A\ufffdB\ufffdC\td\ne"


@pytest.fixture
def admin(partner_a, api, make_user):
    return api(partner_a, make_user(partner_a, "admin"))


def test_a_client_name_with_a_control_character_is_refused(admin, partner_a, in_schema):
    from tenants.invoicing.models import Client

    response = admin.post("/api/v1/clients/", {"name": "A\u000bB", "country": "BE"}, format="json")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert "U+000B" in body["extra"]["fields"]["name"][0]
    with in_schema(partner_a):
        assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/clients/", {"name": "Acme", "country": "BE", "address": "Rue\x0c 1"}, "address"),
        ("/api/v1/members/", {"first_name": "Ann\u202e", "last_name": "Lee"}, "first_name"),
        ("/api/v1/members/", {"first_name": "Ann", "last_name": "Lee", "phone": "\x1b"}, "phone"),
    ],
)
def test_free_text_fields_refuse_the_rules_characters(admin, url, body, field):
    response = admin.post(url, body, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == [field]


def test_an_invoice_line_with_a_bidi_override_is_refused(partner_a, api, make_user, in_schema):
    from tenants.invoicing import services
    from tenants.invoicing.models import Invoice
    from tests.tenants.invoicing.factories import make_activity

    admin = make_user(partner_a, "admin")
    with in_schema(partner_a):
        activity = make_activity()
        client = services.client_create(name="Acme", country="DE", created_by=admin)
    line = {"description": "Design \u202e0001 ,\u202c work", "quantity": "1", "unit_price": "9"}

    response = api(partner_a, admin).post(
        "/api/v1/invoices/",
        {"activity": activity.pk, "client": client.pk, "lines": [line]},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "U+202E" in response.json()["extra"]["fields"]["lines[0].description"][0]
    with in_schema(partner_a):
        assert not Invoice.objects.exists()


def test_text_in_a_list_and_in_json_follows_the_rule(db):
    from common.api import serializers

    class Probe(serializers.Serializer):
        tags = serializers.ListField(child=serializers.CharField())
        chart = serializers.JSONField()

    probe = Probe(data={"tags": ["ok", "b\x00d"], "chart": {"accounts": {"bank\u202e": "512"}}})

    assert not probe.is_valid()
    assert set(probe.errors) == {"tags", "chart"}


def test_a_password_is_taken_exactly_as_typed(db):
    from common.api.views import TokenInput

    probe = TokenInput(data={"username": "ann", "password": " p\x0bss "})

    assert probe.is_valid(), probe.errors
    assert probe.validated_data["password"] == " p\x0bss "


def test_the_admin_refuses_the_rules_characters(partner_a, make_user, api, in_schema):
    from tenants.members.models import Activity
    from tests.tenants.members.factories import MemberFactory

    browser = api(partner_a)
    user = make_user(partner_a, "admin")
    with in_schema(partner_a):
        browser.force_login(user)
        member = MemberFactory()

    response = browser.post(
        "/admin/members/activity/add/",
        {"member": member.pk, "name": "Studio\u202e", "sector": "62.01", "status": "active"},
    )

    assert response.status_code == 200  # the form again, with its error
    assert "U+202E" in response.content.decode()
    with in_schema(partner_a):
        assert not Activity.objects.exists()
