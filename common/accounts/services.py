"""Accounts: creating users in the current schema, and logging in with throttling."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name
from rest_framework.authtoken.models import Token

from common.accounts.exceptions import LoginFailed, TooManyLoginFailures, UserInvalid
from common.accounts.models import HQ_ROLES, PARTNER_ROLES, LoginThrottle, Role, User
from common.text import validate_text


def schema_is_public() -> bool:
    return connection.schema_name == get_public_schema_name()


def roles_here() -> frozenset[str]:
    """The roles a user of the current schema may have: HQ roles in public, partner roles
    in a partner's schema."""
    return HQ_ROLES if schema_is_public() else PARTNER_ROLES


def _fields(**messages: str) -> dict:
    return {"fields": {field: [message] for field, message in messages.items()}}


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    check_password: bool = True,
) -> User:
    """Create a user in the current schema (the caller chose it: a partner's, or public for
    headquarters). Admins (``admin``, ``hq_admin``) get the Django admin as superusers of
    their own schema; advisors and accountants get it as staff.

    Raises ``UserInvalid`` (naming the field under ``extra.fields``) for an unknown role, a
    role of the other side, a taken username, a username, e-mail or name holding a
    character the text rule refuses (``common.text``), or a weak password.
    """
    allowed = roles_here()
    if role not in Role.values:
        raise UserInvalid(
            _("Unknown role: %(role)s.") % {"role": repr(role)},
            _fields(role=_("One of %(values)s.") % {"values": ", ".join(sorted(allowed))}),
        )
    if role not in allowed:
        if schema_is_public():
            message = _("The role %(role)s does not exist for headquarters.")
        else:
            message = _("The role %(role)s does not exist for a partner.")
        raise UserInvalid(
            message % {"role": repr(role)},
            _fields(role=_("One of %(values)s.") % {"values": ", ".join(sorted(allowed))}),
        )
    username = (username or "").strip()
    if not username:
        raise UserInvalid(_("A username is required."), _fields(username=_("Required.")))
    texts = {"username": username, "email": email, "first_name": first_name, "last_name": last_name}
    for field, text in texts.items():
        try:
            validate_text(text)
        except ValidationError as exc:
            raise UserInvalid(exc.messages[0], _fields(**{field: exc.messages[0]})) from None
    if User.objects.filter(username=username).exists():
        raise UserInvalid(
            _("The username %(username)s is taken.") % {"username": repr(username)},
            _fields(username=_("Taken.")),
        )
    if language and language not in dict(settings.LANGUAGES):
        raise UserInvalid(
            _("Unknown language: %(language)s.") % {"language": repr(language)},
            _fields(language=_("Unknown.")),
        )
    user = User(
        username=username,
        role=role,
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_staff=role in {Role.ADMIN, Role.HQ_ADMIN, Role.ADVISOR, Role.ACCOUNTANT},
        is_superuser=role in {Role.ADMIN, Role.HQ_ADMIN},
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise UserInvalid(
                _("The password is too weak."), {"fields": {"password": exc.messages}}
            ) from None
    user.set_password(password)
    user.save()
    return user


def user_language_set(*, user: User, language: str) -> User:
    """Set the language ``user`` is spoken to in: one of ``settings.LANGUAGES``, or "" for
    the partner's default. Raises ``UserInvalid``."""
    if language and language not in dict(settings.LANGUAGES):
        raise UserInvalid(
            _("Unknown language: %(language)s.") % {"language": language},
            {
                "fields": {
                    "language": [
                        _("One of: %(codes)s.")
                        % {"codes": ", ".join(code for code, _name in settings.LANGUAGES)}
                    ]
                }
            },
        )
    user.language = language
    user.save(update_fields=["language"])
    return user


def _login_attempt(*, username: str, address: str) -> tuple[int, int]:
    """Count one login attempt of ``username`` from ``address`` in the current schema and
    return ``(attempts in the window, seconds until the window ends)``.

    One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` counts it: PostgreSQL locks the row
    for the statement, so parallel attempts each get their own number (reading the count,
    then writing it, let two attempts see the same number). A window that is over starts
    again at this attempt.
    """
    table = LoginThrottle._meta.db_table
    window = dt.timedelta(seconds=settings.LOGIN_FAILURES_WINDOW_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS counted (username, address, attempts, window_started)
            VALUES (%(username)s, %(address)s, 1, now())
            ON CONFLICT (username, address) DO UPDATE SET
                attempts = CASE WHEN counted.window_started > now() - %(window)s
                           THEN counted.attempts + 1 ELSE 1 END,
                window_started = CASE WHEN counted.window_started > now() - %(window)s
                                 THEN counted.window_started ELSE now() END
            RETURNING attempts,
                      CEIL(EXTRACT(EPOCH FROM window_started + %(window)s - now()))::int
            """,
            {"username": username.lower(), "address": address, "window": window},
        )
        attempts, seconds_left = cursor.fetchone()
        # Windows that are over (of any username) are forgotten, so that guessing many
        # usernames leaves no rows behind.
        cursor.execute(f"DELETE FROM {table} WHERE window_started <= now() - %s", [window])
    return attempts, max(seconds_left, 1)


def password_check(*, username: str, password: str, address: str, request=None) -> User:
    """The active user of the current schema with these credentials, for any way of
    signing in (the API's token, the admin's and the web pages' session login): one
    counter, so that no way sidesteps another's throttle.

    Every attempt is counted (atomically) before the password is checked: beyond
    ``LOGIN_FAILURES_ALLOWED`` attempts for one username from one address (the client's
    ``REMOTE_ADDR``; behind a proxy, the proxy must set it to the client's) within
    ``LOGIN_FAILURES_WINDOW_SECONDS`` of the first, refuses with ``TooManyLoginFailures``
    (429, with the seconds until the window ends in ``retry_after``) even for the right
    password, without checking it. A successful check clears the count. Raises
    ``LoginFailed`` for wrong credentials or an inactive user.
    """
    attempts, seconds_left = _login_attempt(username=username, address=address)
    if attempts > settings.LOGIN_FAILURES_ALLOWED:
        raise TooManyLoginFailures(retry_after=seconds_left)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise LoginFailed()
    LoginThrottle.objects.filter(username=username.lower(), address=address).delete()
    return user


def auth_token_obtain(*, username: str, password: str, address: str) -> str:
    """Log in on the current schema (``password_check``, whose errors it raises) and
    return the user's API token."""
    user = password_check(username=username, password=password, address=address)
    token, _created = Token.objects.get_or_create(user=user)
    return token.key
