"""Creating a login follows the platform's input rules on every path: its refusals name
their field under ``extra.fields`` (the login endpoint answered ``extra: {"username":
[...]}``), and a username or e-mail holding a character the text rule refuses is refused
by ``manage.py create_user`` too (it created ``ev\\u202eil`` from outside)."""

import pytest
from django.core.management import CommandError, call_command

PASSWORD = "a-long-test-password"


@pytest.fixture
def login_of(api, partner_a, make_user, in_schema):
    from tenants.members.models import Member

    client = api(partner_a, make_user(partner_a, "admin", username="taken"))
    with in_schema(partner_a):
        member = Member.objects.create(first_name="Ann", last_name="Lee", email="a@e.org")

    def login(**body):
        return client.post(f"/api/v1/members/{member.pk}/login/", body, format="json")

    return login


def test_a_taken_username_is_refused_under_extra_fields(login_of):
    response = login_of(username="taken", password=PASSWORD)

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]) == ["fields"]
    assert list(response.json()["extra"]["fields"]) == ["username"]


def test_a_weak_password_is_refused_under_extra_fields(login_of):
    response = login_of(username="ann", password="short")

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]) == ["fields"]
    assert list(response.json()["extra"]["fields"]) == ["password"]


@pytest.mark.parametrize(
    ("option", "value"),
    [("--username", "ev\u202eil"), ("--username", "ev\x0bil"), ("--email", "a\u2066@b.org")],
)
def test_create_user_refuses_a_refused_character(partner_a, in_schema, option, value):
    from common.accounts.models import User

    options = {"--username": "clean", "--email": "clean@e.org", option: value}

    with pytest.raises(CommandError, match="U\\+"):
        call_command(
            "create_user",
            "--partner",
            partner_a.slug,
            "--role",
            "member",
            "--password",
            PASSWORD,
            *[part for pair in options.items() for part in pair],
        )

    with in_schema(partner_a):
        assert not User.objects.filter(username__in=["clean", value]).exists()
