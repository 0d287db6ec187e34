"""Errors of the local catalogue, subscriptions and billing (stable codes)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, CurrencyMismatch, NotFound, ValidationFailed


class LocalCatalogueErrorCode(StrEnum):
    """The stable ``code`` of each error of the local catalogue, subscriptions and
    billing (the API's ``"code"``)."""

    SERVICE_INVALID = "service_invalid"
    SERVICE_CURRENCY_REFUSED = "service_currency_refused"
    SERVICE_EXISTS = "service_exists"
    SERVICE_NOT_FOUND = "service_not_found"
    SUBSCRIPTION_INVALID = "subscription_invalid"
    SUBSCRIPTION_OVERLAP = "subscription_overlap"
    SUBSCRIPTION_NOT_FOUND = "subscription_not_found"
    SERVICE_USE_INVALID = "service_use_invalid"


class ServiceInvalid(ValidationFailed):
    code = LocalCatalogueErrorCode.SERVICE_INVALID
    default_message = _("The service is not valid.")


class ServiceCurrencyRefused(CurrencyMismatch):
    code = LocalCatalogueErrorCode.SERVICE_CURRENCY_REFUSED
    default_message = _("Prices are in the partner's currency only.")


class ServiceExists(Conflict):
    code = LocalCatalogueErrorCode.SERVICE_EXISTS
    default_message = _("A service with this code already exists.")


class ServiceNotFound(NotFound):
    code = LocalCatalogueErrorCode.SERVICE_NOT_FOUND
    default_message = _("No such service.")


class SubscriptionInvalid(ValidationFailed):
    code = LocalCatalogueErrorCode.SUBSCRIPTION_INVALID
    default_message = _("The subscription is not valid.")


class SubscriptionOverlap(Conflict):
    code = LocalCatalogueErrorCode.SUBSCRIPTION_OVERLAP
    default_message = _("The member already subscribes to this service on these dates.")


class SubscriptionNotFound(NotFound):
    code = LocalCatalogueErrorCode.SUBSCRIPTION_NOT_FOUND
    default_message = _("No such subscription.")


class ServiceUseInvalid(ValidationFailed):
    code = LocalCatalogueErrorCode.SERVICE_USE_INVALID
    default_message = _("The use is not valid.")
