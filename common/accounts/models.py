"""Users live per schema: a partner's staff and members in that partner's schema,
headquarters' staff in the public schema. The same table exists in both; the role says
which side a user belongs to."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Partner roles (partner schemas).
    ADMIN = "admin", _("Administrator")
    ADVISOR = "advisor", _("Advisor")
    ACCOUNTANT = "accountant", _("Accountant")
    MEMBER = "member", _("Member")
    # Federation roles (public schema).
    HQ_ADMIN = "hq_admin", _("Headquarters administrator")
    HQ_ANALYST = "hq_analyst", _("Headquarters analyst")


PARTNER_ROLES = frozenset({Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT, Role.MEMBER})
PARTNER_STAFF_ROLES = frozenset({Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT})
HQ_ROLES = frozenset({Role.HQ_ADMIN, Role.HQ_ANALYST})


class UserQuerySet(models.QuerySet):
    def delete(self):
        """Delete these users and what cascades from them on this side only: on the
        public schema the partner-side tables that point to users do not exist
        (``common.deletion``)."""
        from common.deletion import delete_queryset

        return delete_queryset(self)

    delete.alters_data = True
    delete.queryset_only = True


class SchemaAwareUserManager(UserManager.from_queryset(UserQuerySet)):
    # To migrations (historical models) this is Django's UserManager, as the initial
    # migration records it: the side-limited delete needs no migration of its own.
    def deconstruct(self):
        return False, "django.contrib.auth.models.UserManager", None, (), {}

    def __eq__(self, other):
        return isinstance(other, UserManager) and self._constructor_args == other._constructor_args

    __hash__ = UserManager.__hash__


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("Empty: the browser's language, else the partner's default."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_known"
            )
        ]

    objects = SchemaAwareUserManager()

    def delete(self, using=None, keep_parents=False):
        """Delete this user and what cascades from it on this side only (see
        ``UserQuerySet.delete``)."""
        from common.deletion import delete_instance

        return delete_instance(self, using=using, keep_parents=keep_parents)

    delete.alters_data = True

    @property
    def is_hq(self) -> bool:
        return self.role in HQ_ROLES


class LoginThrottle(models.Model):
    """Login attempts of one username from one address in the current schema, counted from
    ``window_started`` (``common.accounts.services.auth_token_obtain`` counts them in one
    atomic statement). Not user-facing; a row is deleted at a successful login and once
    its window is over."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField()
    window_started = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="login_throttle_once")
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.address}: {self.attempts}"
