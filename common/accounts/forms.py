"""Session login forms (the admin's; the web pages' build on the same mixin): they check
the password through ``common.accounts.services.password_check``, so a session login
counts failures with the API's token login and is refused, as it is, once they exceed
the limit, even with the right password."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from common.accounts.exceptions import LoginFailed, TooManyLoginFailures
from common.accounts.services import password_check


class ThrottledLoginMixin:
    """For a subclass of Django's ``AuthenticationForm``: ``clean`` through
    ``password_check`` instead of ``authenticate``; the remaining checks
    (``confirm_login_allowed``) stay the parent's."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
            try:
                self.user_cache = password_check(
                    username=username, password=password, address=address, request=self.request
                )
            except TooManyLoginFailures as exc:
                raise forms.ValidationError(exc.message, code="too_many_login_failures") from None
            except LoginFailed:
                raise self.get_invalid_login_error() from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
