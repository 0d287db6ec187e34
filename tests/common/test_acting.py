from django.contrib.auth.models import AnonymousUser

from common.accounts.acting import is_hq, is_member, is_partner_staff, role_of, saved_user
from common.accounts.models import Role, User


def test_a_member_is_a_member_and_not_staff():
    member = User(role="member")
    assert role_of(member) is Role.MEMBER
    assert is_member(member)
    assert not is_partner_staff(member)
    assert not is_hq(member)


def test_anonymous_callers_tasks_and_unknown_roles_have_no_role():
    assert role_of(AnonymousUser()) is None
    assert role_of(None) is None
    assert role_of(User(role="pirate")) is None
    assert not is_member(None)


def test_staff_and_headquarters_are_told_apart():
    assert is_partner_staff(User(role="accountant"))
    assert is_hq(User(role="hq_analyst"))
    assert not is_partner_staff(User(role="hq_admin"))


def test_saved_user_keeps_only_stored_users():
    stored = User(pk=7, role="admin")
    assert saved_user(stored) is stored
    assert saved_user(User(role="admin")) is None
    assert saved_user(AnonymousUser()) is None
    assert saved_user(None) is None
