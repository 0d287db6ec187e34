"""System checks (``manage.py check``, also run by ``migrate`` and ``runserver``):
every VAT rate file must load, so that a broken one is found at deployment rather than by
the first invoice of its country."""

from __future__ import annotations

from django.core.checks import Error, register

from tenants.invoicing.exceptions import VatRatesInvalid
from tenants.invoicing.vat import load_vat_rates, vat_rate_files


@register()
def vat_rates_check(app_configs=None, *, rates_dir=None, **kwargs) -> list[Error]:
    """One ``invoicing.E001`` error per VAT rate file that does not load."""
    errors = []
    for country in vat_rate_files(rates_dir=rates_dir):
        try:
            load_vat_rates(country, rates_dir=rates_dir)
        except VatRatesInvalid as exc:
            errors.append(Error(str(exc), obj=exc.extra.get("file"), id="invoicing.E001"))
    return errors
