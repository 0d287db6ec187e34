"""modeltranslation registration: one column per platform language (name_en ... name_sv).
No language is required by the model: a service needs a name in its partner's default
language, which the service layer checks (it differs per partner)."""

from modeltranslation.translator import TranslationOptions, register

from services_catalog.local.models import Service


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description")
