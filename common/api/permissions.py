"""Who may use an endpoint: every view declares its roles.

``roles`` on a view is either a collection of role names, or a dict from a DRF action or
HTTP method to role names (key ``"*"`` for the rest). A user of the wrong side (a partner
user on the federation host or the reverse) never passes, even if roles were misdeclared.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from common.accounts.models import HQ_ROLES, PARTNER_ROLES


def _declared_roles(view, request) -> frozenset[str]:
    roles = getattr(view, "roles", None)
    if roles is None:
        raise AssertionError(f"{type(view).__name__} declares no roles.")
    if isinstance(roles, dict):
        action = getattr(view, "action", None)
        for key in (action, request.method.lower(), request.method, "*"):
            if key in roles:
                return frozenset(roles[key])
        return frozenset()
    return frozenset(roles)


class HasRole(BasePermission):
    message = _("Your role does not allow this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        on_partner_host = getattr(request, "tenant", None) is not None
        side = PARTNER_ROLES if on_partner_host else HQ_ROLES
        if user.role not in side:
            return False
        if not hasattr(view, request.method.lower()):
            # The view has no handler for this method: let DRF answer 405, not "your role
            # does not allow this" (nothing runs either way).
            return True
        return user.role in _declared_roles(view, request)
