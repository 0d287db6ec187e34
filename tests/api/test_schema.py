"""The OpenAPI schema of each kind of host: generated without a warning, and saying what
the API answers (errors in one shape, files where files are served, nulls where nulls
are sent, money as decimal strings). The schemathesis run
(``test_openapi_conformance.py``) checks the answers themselves against it."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

URLCONFS = ["config.urls_tenant", "config.urls_public"]


def _schema(urlconf: str) -> dict:
    raw = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


@pytest.fixture(scope="module")
def partner_schema():
    return _schema("config.urls_tenant")


@pytest.fixture(scope="module")
def federation_schema():
    return _schema("config.urls_public")


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_schema_generates_and_validates_without_a_warning(urlconf, tmp_path, capsys):
    # Given a clean warning count (other tests may have generated a schema before)
    GENERATOR_STATS.reset()
    # When the schema is generated as `manage.py spectacular --validate --fail-on-warn`
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        urlconf,
        "--file",
        str(tmp_path / "schema.yaml"),
    )
    # Then nothing was warned about (the command raises on a warning or invalid schema)
    assert "Warning" not in capsys.readouterr().err


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_every_error_answer_has_the_one_error_shape(urlconf):
    schema = _schema(urlconf)
    assert schema["components"]["schemas"]["Error"]["required"] == ["message", "code", "extra"]
    for path, method, operation in _operations(schema):
        errors = {code: r for code, r in operation["responses"].items() if code.startswith("4")}
        # Every operation can at least be refused (bad input, no token or not found).
        assert errors, (method, path)
        for code, response in errors.items():
            assert response["content"] == {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
            }, (method, path, code)


def test_operations_behind_a_token_document_401_403_and_404(partner_schema):
    operation = partner_schema["paths"]["/api/v1/invoices/{id}/"]["get"]
    assert {"401", "403", "404"} <= set(operation["responses"])
    writes = partner_schema["paths"]["/api/v1/invoices/{id}/issue/"]["post"]
    assert {"400", "401", "403", "404", "409", "415"} <= set(writes["responses"])


def test_the_pdf_of_a_draft_is_documented_as_a_conflict(partner_schema):
    # A draft has no PDF: the view answers 409, though it is a GET.
    assert "409" in partner_schema["paths"]["/api/v1/invoices/{id}/pdf/"]["get"]["responses"]


def test_the_token_endpoint_documents_throttling_and_no_token(partner_schema):
    responses = partner_schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "429" in responses
    assert "401" not in responses
    assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"


def test_money_is_a_decimal_string(partner_schema):
    amount = partner_schema["components"]["schemas"]["InvoiceOutput"]["properties"]["amount_due"]
    assert amount["type"] == "string"
    assert re.fullmatch(amount["pattern"], "119.00")
    assert re.fullmatch(amount["pattern"], "-5")
    assert not re.fullmatch(amount["pattern"], "1e3")


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("ExpenseOutput", "decided_by"),
        ("LedgerEntryOutput", "created_by"),
        ("FundMovementOutput", "created_by"),
        ("StatusChangeOutput", "changed_by"),
        ("MemberOutput", "username"),
    ],
)
def test_usernames_of_absent_users_are_nullable(partner_schema, component, field):
    assert partner_schema["components"]["schemas"][component]["properties"][field]["nullable"]


def test_list_exports_document_their_files(partner_schema):
    operation = partner_schema["paths"]["/api/v1/clients/"]["get"]
    content = operation["responses"]["200"]["content"]
    binary = {"schema": {"type": "string", "format": "binary"}}
    assert content["text/csv"] == binary
    assert content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] == binary
    assert content["application/json"]["schema"]["$ref"].endswith("PaginatedClientOutputList")
    format_parameter = next(p for p in operation["parameters"] if p["name"] == "format")
    assert set(format_parameter["schema"]["enum"]) == {"csv", "json", "xlsx"}


def test_pdfs_and_receipts_document_their_media_types(partner_schema):
    paths = partner_schema["paths"]
    for path in ("/api/v1/invoices/{id}/pdf/", "/api/v1/invoices/{id}/credit-notes/{note_id}/pdf/"):
        assert set(paths[path]["get"]["responses"]["200"]["content"]) == {"application/pdf"}
    receipt = paths["/api/v1/expenses/{id}/receipt/"]["get"]["responses"]["200"]["content"]
    assert set(receipt) == {"application/pdf", "image/jpeg", "image/png"}


def test_path_parameters_are_typed(partner_schema):
    parameters = partner_schema["paths"]["/api/v1/members/{id}/shares/{share_id}/paid/"]["post"][
        "parameters"
    ]
    types = {p["name"]: p["schema"]["type"] for p in parameters}
    assert types == {"id": "integer", "share_id": "integer"}


def test_request_bodies_are_json_except_the_receipt_upload(partner_schema):
    for path, method, operation in _operations(partner_schema):
        body = operation.get("requestBody")
        if body is None:
            continue
        expected = (
            {"multipart/form-data"}
            if (path, method) == ("/api/v1/expenses/", "post")
            else {"application/json"}
        )
        assert set(body["content"]) == expected, (method, path)


def _without_prose(value):
    """``value`` without descriptions and titles (served in the partner's language; a
    described reference is wrapped in an ``allOf`` of one)."""
    if isinstance(value, dict):
        value = {
            k: _without_prose(v) for k, v in value.items() if k not in ("description", "title")
        }
        if list(value) == ["allOf"] and len(value["allOf"]) == 1:
            return value["allOf"][0]
        return value
    if isinstance(value, list):
        return [_without_prose(item) for item in value]
    return value


def test_each_host_serves_the_schema_the_conformance_run_checks(
    api, partner_a, partner_schema, federation_schema
):
    for partner, generated in ((partner_a, partner_schema), (None, federation_schema)):
        served = api(partner).get("/api/schema/", {"format": "json"}).json()
        assert _without_prose(served["paths"]) == _without_prose(generated["paths"])
        assert _without_prose(served["components"]) == _without_prose(generated["components"])


def test_the_labour_law_date_is_documented_within_the_packs_years(partner_schema):
    # ?on= outside 1990-2100 is refused (checks.check_date); the schema said any date.
    parameters = partner_schema["paths"]["/api/v1/labour-law/parameters/"]["get"]["parameters"]
    pattern = next(p for p in parameters if p["name"] == "on")["schema"]["pattern"]
    assert re.fullmatch(pattern, "1990-01-01")
    assert re.fullmatch(pattern, "2100-12-31")
    assert not re.fullmatch(pattern, "6360-01-01")
    assert not re.fullmatch(pattern, "1989-12-31")
