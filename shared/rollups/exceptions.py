"""Errors of the federation rollups (stable codes)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import ValidationFailed


class RollupErrorCode(StrEnum):
    """The stable ``code`` of each rollup error (the API's ``"code"``)."""

    ROLLUP_INVALID = "rollup_invalid"


class RollupInvalid(ValidationFailed):
    """Figures that may not be stored: an unknown cell, a suppressed cell with a value, or
    a missing value that is not listed as suppressed or unavailable (``extra["cells"]``)."""

    code = RollupErrorCode.ROLLUP_INVALID
    default_message = _("These figures cannot be published as they are.")
