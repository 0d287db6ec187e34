"""The API's JSON parser (common/api/parsers.py): numbers stay exact, and a body nested
deeper than MAX_JSON_DEPTH is a 400 in the API's error shape, never a RecursionError."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from rest_framework.exceptions import ParseError

from common.api.parsers import MAX_JSON_DEPTH, DecimalJSONParser, JSONTooDeep, json_depth_check

DEEP = "[" * 100_000 + "]" * 100_000


def _parse(text: str):
    return DecimalJSONParser().parse(io.BytesIO(text.encode()))


@pytest.fixture
def admin(partner_a, api, make_user):
    return api(partner_a, make_user(partner_a, "admin"))


@pytest.mark.parametrize("url", ["/api/v1/clients/", "/api/v1/members/", "/api/v1/invoices/"])
def test_a_body_nested_100000_deep_is_a_400(admin, url):
    response = admin.post(url, DEEP, content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert str(MAX_JSON_DEPTH) in body["message"]
    assert body["extra"] == {}


def test_an_expense_body_nested_100000_deep_is_a_400(admin):
    response = admin.post("/api/v1/expenses/", DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_nesting_up_to_the_limit_parses():
    text = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH

    value = _parse(text)

    for _ in range(MAX_JSON_DEPTH - 1):
        value = value[0]
    assert value == []


def test_one_level_more_than_the_limit_is_refused():
    with pytest.raises(ParseError):
        _parse("{" + '"a":[' * MAX_JSON_DEPTH + "1" + "]" * MAX_JSON_DEPTH + "}")


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = '{"notes": "' + "[{" * 1000 + '\\"[", "n": [1.10]}'

    assert _parse(text) == {"notes": "[{" * 1000 + '"[', "n": [Decimal("1.10")]}


def test_the_depth_check_stops_at_the_first_level_too_deep():
    with pytest.raises(JSONTooDeep):
        json_depth_check("[" * 10_000_000)
