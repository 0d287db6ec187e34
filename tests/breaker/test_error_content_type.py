"""Errors are JSON whatever the caller accepts: a browser's ``Accept: text/html`` got every
API error (400, 401, 404) as an HTML page of DRF's browsable API, which was on by default
(no DEFAULT_RENDERER_CLASSES); the API documents itself at /api/docs/ instead."""

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_validation_error_is_json_for_a_browser(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.post(
        "/api/v1/clients/", {"name": "A\u202eB"}, format="json", HTTP_ACCEPT=BROWSER_ACCEPT
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "name" in response.json()["extra"]["fields"]


def test_a_missing_object_is_a_json_404_for_a_browser(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.get("/api/v1/clients/999999/", HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_anonymous_browser_gets_a_json_401(api, partner_a):
    response = api(partner_a).get("/api/v1/clients/", HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_a_list_is_json_for_a_browser(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.get("/api/v1/clients/", HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_a_caller_accepting_only_html_gets_a_json_406(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.get("/api/v1/clients/", HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message", "code", "extra"}
