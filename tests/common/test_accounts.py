"""Accounts and roles: users per schema, tokens per host, throttled failed logins."""

import pytest
from django.core.cache import cache

from common.accounts.exceptions import UserInvalid
from common.accounts.services import user_create

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(api, partner, username, password=PASSWORD):
    return api(partner).post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_partner_user_logs_in_on_own_host_only(api, partner_a, partner_b, make_user):
    make_user(partner_a, "advisor", username="ada")
    assert _login(api, partner_a, "ada").status_code == 200
    assert _login(api, partner_b, "ada").status_code == 400
    assert _login(api, None, "ada").status_code == 400


def test_partner_token_is_refused_on_other_hosts(api, partner_a, partner_b, make_user):
    user = make_user(partner_a, "admin")
    token_client = api(partner_a, user)
    key = token_client._credentials["HTTP_AUTHORIZATION"]
    for other in (partner_b, None):
        client = api(other)
        client.credentials(HTTP_AUTHORIZATION=key)
        response = client.get("/api/v1/me/")
        assert response.status_code == 401, (other, response.content)


def test_federation_token_is_refused_on_partner_hosts(api, partner_a, make_user):
    hq = make_user(None, "hq_admin")
    key = api(None, hq)._credentials["HTTP_AUTHORIZATION"]
    client = api(partner_a)
    client.credentials(HTTP_AUTHORIZATION=key)
    assert client.get("/api/v1/me/").status_code == 401
    assert api(None, hq).get("/api/v1/me/").json()["role"] == "hq_admin"


def test_roles_belong_to_their_side(partner_a, in_schema):
    with in_schema(partner_a), pytest.raises(UserInvalid):
        user_create(username="x", role="hq_admin", password=PASSWORD)
    with in_schema(None), pytest.raises(UserInvalid):
        user_create(username="y", role="advisor", password=PASSWORD)
    with in_schema(partner_a), pytest.raises(UserInvalid):
        user_create(username="z", role="king", password=PASSWORD)


def test_same_username_may_exist_in_two_partners(api, partner_a, partner_b, in_schema):
    # Given two users named sam, one per partner, each with their own password and role
    with in_schema(partner_a):
        user_create(username="sam", role="member", password="sam-of-alpha-secret")
    with in_schema(partner_b):
        user_create(username="sam", role="advisor", password="sam-of-beta-secret")

    # Then each logs in on their own host with their own password only
    assert _login(api, partner_a, "sam", "sam-of-alpha-secret").status_code == 200
    assert _login(api, partner_b, "sam", "sam-of-beta-secret").status_code == 200
    assert _login(api, partner_a, "sam", "sam-of-beta-secret").status_code == 400
    # And each token is the account of its own host
    beta_token = _login(api, partner_b, "sam", "sam-of-beta-secret").json()["token"]
    client = api(partner_b)
    client.credentials(HTTP_AUTHORIZATION=f"Token {beta_token}")
    me = client.get("/api/v1/me/").json()
    assert (me["username"], me["role"], me["partner"]) == ("sam", "advisor", partner_b.slug)


def test_failed_logins_are_throttled_even_for_the_right_password(api, partner_a, make_user):
    make_user(partner_a, "member", username="mia")
    for _ in range(5):
        assert _login(api, partner_a, "mia", "wrong").status_code == 400
    response = _login(api, partner_a, "mia")
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_login_failures"


def test_throttling_on_one_partner_does_not_lock_another(api, partner_a, partner_b, make_user):
    make_user(partner_a, "member", username="leo")
    make_user(partner_b, "member", username="leo")
    for _ in range(6):
        _login(api, partner_a, "leo", "wrong")
    assert _login(api, partner_b, "leo").status_code == 200


def test_hq_analyst_reads_but_does_not_write_partners(api, make_user, partner_a):
    analyst = make_user(None, "hq_analyst")
    client = api(None, analyst)
    assert client.get("/api/v1/partners/").status_code == 200
    response = client.post(f"/api/v1/partners/{partner_a.slug}/suspend/", {"reason": "x"})
    assert response.status_code == 403
    partner_a.refresh_from_db()
    assert partner_a.status == "active"


def test_hq_admin_promotes_through_the_api(api, make_user, db):
    from tests.helpers import make_partner, meet_charter

    meet_charter(make_partner("phl", country="US", tier="academy"), "open_smart")
    client = api(None, make_user(None, "hq_admin"))
    response = client.post("/api/v1/partners/phl/promote/", {"tier": "open_smart"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["tier"] == "open_smart"
    history = client.get("/api/v1/partners/phl/history/").json()
    assert [e["kind"] for e in history] == ["created", "promoted"]


@pytest.mark.parametrize(
    "body",
    [
        {"tier": "gold"},
        {"tier": 7},
        {"tier": "open_smart", "effective_on": "2025-13-40"},
        {"tier": ["open_smart"]},
    ],
)
def test_promote_rejects_bad_input_with_field_details(api, make_user, partner_a, body):
    client = api(None, make_user(None, "hq_admin"))
    response = client.post(f"/api/v1/partners/{partner_a.slug}/promote/", body, format="json")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]
    partner_a.refresh_from_db()
    assert partner_a.tier == "european_group"


def test_malformed_json_is_a_400(api, make_user, db):
    client = api(None, make_user(None, "hq_admin"))
    response = client.generic(
        "POST", "/api/v1/partners/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"]


def test_anonymous_gets_401_with_json(api, partner_a):
    response = api(None).get("/api/v1/partners/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_language_is_the_users_choice_else_the_partners_default(api, partner_a, make_user):
    default = make_user(partner_a, "advisor")
    chosen = make_user(partner_a, "advisor", language="fr")
    assert api(partner_a, default).get("/api/v1/me/").json()["language"] == "de"
    assert api(partner_a, chosen).get("/api/v1/me/").json()["language"] == "fr"


def test_json_numbers_are_parsed_exactly_and_nan_is_refused(api, make_user, partner_a):
    import io
    from decimal import Decimal

    from common.api.parsers import DecimalJSONParser

    parsed = DecimalJSONParser().parse(io.BytesIO(b'{"amount": 12345678901234567.89}'))
    assert parsed["amount"] == Decimal("12345678901234567.89")
    client = api(None, make_user(None, "hq_admin"))
    response = client.generic(
        "POST",
        f"/api/v1/partners/{partner_a.slug}/promote/",
        '{"tier": NaN}',
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_user_chooses_a_language_through_the_api(api, partner_b, make_user):
    client = api(partner_b, make_user(partner_b, "member"))
    assert client.get("/api/v1/me/")["Content-Language"] == "sv"
    response = client.patch("/api/v1/me/", {"language": "de"}, format="json")
    assert response.status_code == 200
    assert response.json()["language"] == "de"
    assert client.get("/api/v1/me/")["Content-Language"] == "de"
    refused = client.patch("/api/v1/me/", {"language": "tlh"}, format="json")
    assert refused.status_code == 400
    assert client.patch("/api/v1/me/", {"language": ""}, format="json").json()["language"] == "sv"
