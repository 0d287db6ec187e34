from django.utils.translation import gettext_lazy as _

from common.errors import EssaimError


class UserInvalid(EssaimError):
    code = "user_invalid"
    default_message = _("The user's details are not valid.")


class TooManyLoginFailures(EssaimError):
    """``retry_after``: seconds until a login may be tried again (the API sends it as
    ``Retry-After``)."""

    code = "too_many_login_failures"
    status = 429
    default_message = _("Too many failed logins; try again later.")

    def __init__(self, message=None, extra=None, *, retry_after: int):
        super().__init__(message, extra)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class LoginFailed(EssaimError):
    code = "login_failed"
    status = 400
    default_message = _("Unable to log in with the given username and password.")
