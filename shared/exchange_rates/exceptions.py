"""Errors of the exchange rates (stable codes)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import EssaimError, ValidationFailed


class ExchangeRateErrorCode(StrEnum):
    """The stable ``code`` of each exchange-rate error (the API's ``"code"``)."""

    EXCHANGE_RATE_MISSING = "exchange_rate_missing"
    EXCHANGE_RATES_FILE_INVALID = "exchange_rates_file_invalid"


class ExchangeRateMissing(EssaimError):
    """No rate is known for a currency in a month; ``extra``: ``currency``, ``month``
    (YYYY-MM). Consolidation stops here rather than converting at a made-up rate."""

    code = ExchangeRateErrorCode.EXCHANGE_RATE_MISSING
    status = 409
    default_message = _("No exchange rate is known for this currency and month.")


class ExchangeRatesFileInvalid(ValidationFailed):
    """A rates file that does not read as the ECB's CSV; ``extra``: ``line`` (1-based)
    and, where it applies, ``column``. Nothing is loaded from such a file."""

    code = ExchangeRateErrorCode.EXCHANGE_RATES_FILE_INVALID
    default_message = _("The exchange rates file is not in the ECB's CSV format.")
