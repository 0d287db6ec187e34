from django.utils.translation import gettext_lazy as _

from common.errors import EssaimError, ValidationFailed


class SettingsInvalid(ValidationFailed):
    code = "settings_invalid"
    default_message = _("The partner settings are not valid.")


class FeeRateNotFound(EssaimError):
    code = "fee_rate_not_found"
    default_message = _("No fee rate is in force on this date.")


class ContributionRateNotFound(EssaimError):
    code = "contribution_rate_not_found"
    default_message = _("No federation contribution rate is in force on this date.")


class SettingsMissing(EssaimError):
    code = "settings_missing"
    status = 500
    default_message = _("This partner's settings are not installed; run migrate.")
