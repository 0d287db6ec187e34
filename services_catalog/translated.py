"""Translated text of catalogue models: reading with a fallback chain, writing from a
``{"en": "...", "fr": "..."}`` object.

Both catalogues store translated fields with django-modeltranslation: one plain column per
platform language (``name_en``, ``name_fr``, ... ``name_sv``); see docs/translated-data.md.
modeltranslation's own fallback is static (settings), while the API's chain depends on the
request: the caller's language, then the partner's default language, then English. So the
API reads the columns through ``translated_text`` here, never through the ``name``
descriptor.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from common.errors import ValidationFailed

#: The platform's languages, in settings order: en, fr, nl, de, it, es, sv.
LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)


def column(field: str, language: str) -> str:
    """The column holding ``field`` in ``language``: ``column("name", "fr") == "name_fr"``."""
    return f"{field}_{language}"


def reading_order(*, partner=None, language: str | None = None) -> list[str]:
    """Languages to try, best first: ``language`` (default: the active one, i.e. the
    caller's), then ``partner``'s default language (when given), then English."""
    chain = [(language or translation.get_language() or "en").split("-")[0]]
    if partner is not None:
        chain.append(partner.language)
    chain.append(settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
    seen: list[str] = []
    for code in chain:
        if code in LANGUAGES and code not in seen:
            seen.append(code)
    return seen


def translated_text(obj, field: str, order: list[str]) -> tuple[str, str | None]:
    """``(text, language)`` of the first non-empty translation of ``field`` in ``order``;
    ``("", None)`` when none of them is filled."""
    for language in order:
        value = getattr(obj, column(field, language), None)
        if value:
            return value, language
    return "", None


def translations_of(obj, field: str) -> dict[str, str]:
    """Every filled translation of ``field``: ``{"en": "...", "sv": "..."}``."""
    result = {}
    for language in LANGUAGES:
        value = getattr(obj, column(field, language), None)
        if value:
            result[language] = value
    return result


def translation_values(field: str, texts: dict[str, str | None] | None) -> dict[str, str]:
    """Model keyword arguments for ``texts`` (``{"fr": "Avances", "de": None}``): a
    language given with ``None`` or ``""`` is cleared. Raises ``ValidationFailed`` for a
    language the platform does not have."""
    if not texts:
        return {}
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise ValidationFailed(
            _("Unknown language(s) for %(field)s: %(unknown)s.")
            % {"field": field, "unknown": ", ".join(unknown)},
            {
                "fields": {
                    field: [_("Languages are %(languages)s.") % {"languages": ", ".join(LANGUAGES)}]
                }
            },
        )
    return {column(field, lang): (text or "").strip() for lang, text in texts.items()}


def save_in_language(obj, language: str, **save_kwargs) -> None:
    """Save ``obj`` so that its untranslated columns (``name``, ``description``) hold
    ``language``'s text.

    modeltranslation's descriptor answers ``obj.name`` in the ACTIVE language, and Django
    saves the untranslated column from that descriptor; saving under ``override(language)``
    makes the column mirror one chosen language (English for the reference catalogue, the
    partner's language locally) whatever the caller's language. The API never reads these
    columns; they serve raw SQL, exports and ``str()``.
    """
    with translation.override(language):
        obj.save(**save_kwargs)
