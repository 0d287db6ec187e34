"""DRF pieces for translated text, shared by both catalogues' APIs.

Write: a translated field is an object keyed by language,
``{"name": {"en": "Grant help", "sv": "Bidragshjälp"}}``; any of the platform's languages
(en, fr, nl, de, it, es, sv) may be given; ``null`` or ``""`` clears one language; an
unknown language is refused (400).

Read: ``name`` is one string in the caller's language, falling back to the partner's
default language, then English; ``language`` says which language was served, and
``translations`` holds every filled language of each translated field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

from common.api import serializers
from services_catalog.translated import (
    LANGUAGES,
    reading_order,
    translated_text,
    translations_of,
)


class TranslatedText(serializers.Serializer):
    """Text in several languages: ``{"en": "...", "fr": "...", ...}``."""

    # An unknown language is refused (see to_internal_value); the schema says so.
    refuses_unknown_fields = True

    def get_fields(self):
        return {
            language: serializers.CharField(
                required=False,
                allow_blank=True,
                allow_null=True,
                max_length=self.max_length,
                help_text=f"Text in {language}.",
            )
            for language in LANGUAGES
        }

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        self.max_length = max_length
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(LANGUAGES))
            if unknown:
                raise serializers.ValidationError(
                    _("Unknown language(s): %(unknown)s. Languages are %(languages)s.")
                    % {"unknown": ", ".join(unknown), "languages": ", ".join(LANGUAGES)}
                )
        return super().to_internal_value(data)


@extend_schema_field(
    {
        "type": "object",
        "description": "Every filled translation, by field then language.",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": "string"},
        },
        "example": {"name": {"en": "Help with public grants", "sv": "Hjälp med offentliga bidrag"}},
    }
)
class TranslationsField(serializers.Field):
    def __init__(self, *fields: str, **kwargs):
        self.translated = fields
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return {field: translations_of(obj, field) for field in self.translated}


class TranslatedOutput(serializers.Serializer):
    """Base of output serializers with translated ``name`` and ``description``; the view
    puts the reading order in the context as ``languages`` (see ``reading_order``)."""

    name = serializers.SerializerMethodField(
        help_text="In the caller's language, else the partner's default, else English."
    )
    description = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField(
        help_text="The language ``name`` is given in (null when no translation exists)."
    )
    translations = TranslationsField("name", "description")

    def _order(self):
        return self.context.get("languages") or reading_order()

    def get_name(self, obj) -> str:
        return translated_text(obj, "name", self._order())[0]

    def get_description(self, obj) -> str:
        return translated_text(obj, "description", self._order())[0]

    def get_language(self, obj) -> str | None:
        return translated_text(obj, "name", self._order())[1]
