import pytest


@pytest.fixture
def hq_admin(db, make_user):
    return make_user(None, "hq_admin")


@pytest.fixture
def hq_analyst(db, make_user):
    return make_user(None, "hq_analyst")


@pytest.fixture
def admin_a(partner_a, make_user):
    return make_user(partner_a, "admin")


@pytest.fixture
def admin_b(partner_b, make_user):
    return make_user(partner_b, "admin")


@pytest.fixture
def member_login(make_user, in_schema):
    """``member_login(partner)`` → (user, member, activity): a member-role login linked to
    a member who runs one activity."""
    from tests.tenants.members.factories import ActivityFactory

    def make(partner, language="", **member_fields):
        user = make_user(partner, "member", language=language)
        with in_schema(partner):
            activity = ActivityFactory(member__user=user, **member_fields)
        return user, activity.member, activity

    return make
