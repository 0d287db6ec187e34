"""Who is acting: the user behind a request or a service call, and its role.

Services receive ``request.user`` (possibly an ``AnonymousUser``) or ``None`` from tasks
and commands; these helpers answer the questions they ask of it in one way.
"""

from __future__ import annotations

from typing import Any

from common.accounts.models import HQ_ROLES, PARTNER_STAFF_ROLES, Role, User


def role_of(user: Any) -> Role | None:
    """The ``Role`` of ``user``, or None for an anonymous caller, a task or a command."""
    raw = getattr(user, "role", None)
    return Role(raw) if raw in Role.values else None


def is_member(user: Any) -> bool:
    """True when ``user`` acts as a member (a worker), who sees only their own data."""
    return role_of(user) == Role.MEMBER


def is_partner_staff(user: Any) -> bool:
    """True for a partner's admin, advisor or accountant."""
    return role_of(user) in PARTNER_STAFF_ROLES


def is_hq(user: Any) -> bool:
    """True for headquarters' staff (hq_admin, hq_analyst)."""
    return role_of(user) in HQ_ROLES


def saved_user(user: Any) -> User | None:
    """``user`` when it is a stored user, else None (anonymous, a task, a command): what a
    ``created_by``/``decided_by`` foreign key may hold."""
    return user if getattr(user, "pk", None) is not None else None
