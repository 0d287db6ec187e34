"""modeltranslation registration: one column per platform language (name_en ... name_sv)."""

from modeltranslation.translator import TranslationOptions, register

from services_catalog.reference.models import ReferenceService


@register(ReferenceService)
class ReferenceServiceTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)
