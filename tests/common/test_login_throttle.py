"""Login throttling counts every attempt atomically: of 30 parallel wrong passwords exactly
``LOGIN_FAILURES_ALLOWED`` (5) are checked and refused with 400, the 25 others get 429 with
``Retry-After``; then even the right password is refused until the window ends."""

import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.conftest import host_of, schema_of

pytestmark = pytest.mark.committed

PASSWORD = "a-long-test-password"


@pytest.fixture
def member_of_own_partner(committed_partner, django_db_blocker):
    """A partner and a member committed to the database, as a server sees them."""
    from common.accounts.services import user_create

    partner = committed_partner(country="BE")
    with django_db_blocker.unblock(), schema_of(partner):
        user_create(username="nora", role="member", password=PASSWORD, check_password=False)
    return partner


def _login(partner, password):
    return APIClient(HTTP_HOST=host_of(partner)).post(
        "/api/v1/auth/token/", {"username": "nora", "password": password}, format="json"
    )


def _in_parallel(partner, passwords):
    """Send one login per password, all threads released at once; returns the responses."""
    start = threading.Barrier(len(passwords))
    responses = [None] * len(passwords)

    def attempt(index, password):
        try:
            start.wait(timeout=30)
            responses[index] = _login(partner, password)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(index, password))
        for index, password in enumerate(passwords)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


def test_thirty_parallel_wrong_passwords_let_exactly_five_through(
    member_of_own_partner, django_db_blocker
):
    partner = member_of_own_partner
    with django_db_blocker.unblock():
        # When 30 wrong passwords arrive at once
        responses = _in_parallel(partner, ["wrong"] * 30)

        # Then exactly 5 were checked (400) and 25 refused unchecked (429, Retry-After)
        statuses = sorted(response.status_code for response in responses)
        assert statuses == [400] * 5 + [429] * 25
        refused = [response for response in responses if response.status_code == 429]
        assert {response.json()["code"] for response in refused} == {"too_many_login_failures"}
        assert all(0 < int(response["Retry-After"]) <= 900 for response in refused)

        # and the right password is refused too, for the rest of the window
        right = _login(partner, PASSWORD)
        assert right.status_code == 429
        assert 0 < int(right["Retry-After"]) <= 900


def test_the_right_password_works_again_when_the_window_ends(
    member_of_own_partner, django_db_blocker, settings
):
    partner = member_of_own_partner
    settings.LOGIN_FAILURES_WINDOW_SECONDS = 2
    with django_db_blocker.unblock():
        # Given five wrong passwords in a two-second window
        assert [_login(partner, "wrong").status_code for _ in range(5)] == [400] * 5
        refused = _login(partner, PASSWORD)
        assert refused.status_code == 429
        assert refused["Retry-After"] in {"1", "2"}

        # When the window is over, the right password logs in
        time.sleep(int(refused["Retry-After"]) + 0.5)
        assert _login(partner, PASSWORD).status_code == 200
        # and a success clears the count: five more failures are allowed again
        assert [_login(partner, "wrong").status_code for _ in range(5)] == [400] * 5
        assert _login(partner, "wrong").status_code == 429
