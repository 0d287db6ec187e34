"""A request Django refuses before any view reads it (a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, a form with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields)
answers in the API's error shape under /api/ on both kinds of host, not with Django's
HTML "Bad Request (400)" page (found from outside with a 3 MB JSON body)."""

import json

import pytest
from django.conf import settings


def _too_big_json() -> str:
    return json.dumps({"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "country": "BE"})


def _too_many_fields() -> str:
    return "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (_too_big_json(), "application/json"),
        (_too_many_fields(), "application/x-www-form-urlencoded"),
    ],
    ids=["too-big", "too-many-fields"],
)
def test_an_oversized_body_on_a_partner_host_is_a_json_400(
    api, partner_a, make_user, body, content_type
):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.generic("POST", "/api/v1/clients/", body, content_type=content_type)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message", "code", "extra"}
    assert response.json()["code"] == "request_too_large"


def test_an_oversized_body_on_the_federation_host_is_a_json_400(db, api, make_user):
    client = api(None, make_user(None, "hq_admin"))

    response = client.generic(
        "POST", "/api/v1/partners/", _too_big_json(), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"


def test_an_oversized_body_is_refused_in_the_callers_language(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.generic(
        "POST",
        "/api/v1/clients/",
        _too_big_json(),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.json()["message"] == "Die Anfrage ist zu groß oder hat zu viele Felder."
