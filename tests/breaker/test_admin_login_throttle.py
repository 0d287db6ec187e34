"""The Django admin's session login counts failed passwords with the API's token login, so
that the throttle of ``POST auth/token/`` cannot be sidestepped. Today /admin/login/
checked passwords without limit, even for an account the API had locked (found from
outside: ten wrong admin passwords, then the right one, signed in)."""

PASSWORD = "a-long-test-password"


def _signed_in(client, partner) -> bool:
    """The session lives in the partner's schema: ask the admin itself."""
    from tests.conftest import host_of

    return client.get("/admin/", HTTP_HOST=host_of(partner)).status_code == 200


def test_the_admin_login_is_refused_after_failures_even_with_the_right_password(
    client, partner_a, make_user
):
    from tests.conftest import host_of

    make_user(partner_a, "advisor", username="guessed")
    host = {"HTTP_HOST": host_of(partner_a)}
    for _ in range(10):
        client.post("/admin/login/", {"username": "guessed", "password": "wrong"}, **host)

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "guessed", "password": PASSWORD}, **host
    )

    assert response.status_code != 302
    assert not _signed_in(client, partner_a)


def test_an_account_locked_by_the_api_cannot_sign_in_to_the_admin(
    api, client, partner_a, make_user
):
    from tests.conftest import host_of

    make_user(partner_a, "advisor", username="locked")
    token_client = api(partner_a)
    for _ in range(6):
        token_client.post(
            "/api/v1/auth/token/", {"username": "locked", "password": "wrong"}, format="json"
        )

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "locked", "password": PASSWORD},
        HTTP_HOST=host_of(partner_a),
    )

    assert response.status_code != 302
    assert not _signed_in(client, partner_a)


def test_the_admin_login_still_signs_staff_in(client, partner_a, make_user):
    from tests.conftest import host_of

    make_user(partner_a, "admin", username="staffer")

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "staffer", "password": PASSWORD},
        HTTP_HOST=host_of(partner_a),
    )

    assert response.status_code == 302, response.content
    assert _signed_in(client, partner_a)
