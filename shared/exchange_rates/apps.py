from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeRatesConfig(AppConfig):
    name = "shared.exchange_rates"
    label = "exchange_rates"
    verbose_name = _("Exchange rates")
