"""Errors of the local catalogue, subscriptions and billing (stable codes)."""

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, CurrencyMismatch, NotFound, ValidationFailed


class ServiceInvalid(ValidationFailed):
    code = "service_invalid"
    default_message = _("The service is not valid.")


class ServiceCurrencyRefused(CurrencyMismatch):
    code = "service_currency_refused"
    default_message = _("Prices are in the partner's currency only.")


class ServiceExists(Conflict):
    code = "service_exists"
    default_message = _("A service with this code already exists.")


class ServiceNotFound(NotFound):
    code = "service_not_found"
    default_message = _("No such service.")


class SubscriptionInvalid(ValidationFailed):
    code = "subscription_invalid"
    default_message = _("The subscription is not valid.")


class SubscriptionOverlap(Conflict):
    code = "subscription_overlap"
    default_message = _("The member already subscribes to this service on these dates.")


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"
    default_message = _("No such subscription.")


class ServiceUseInvalid(ValidationFailed):
    code = "service_use_invalid"
    default_message = _("The use is not valid.")
