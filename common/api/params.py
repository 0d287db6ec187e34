"""Query-string parameters shared by list views: parsed strictly, refused with a 400 that
names the parameter (never a 500, never silently ignored)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from common.dates import iso_date
from common.errors import ValidationFailed
from common.text import text_refused_character

TEXT_PARAM_MAX_LENGTH = 200


def date_param(request, name: str) -> dt.date | None:
    """``?name=YYYY-MM-DD`` as a date (``common.dates.iso_date``), None when absent.
    Raises ``ValidationFailed``."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return iso_date(raw)
    except ValueError:
        raise ValidationFailed(
            _("%(name)s must be a date (YYYY-MM-DD).") % {"name": name},
            {"fields": {name: [_("Invalid date.")]}},
        ) from None


def id_param(request, name: str) -> int | None:
    """``?name=123`` as a positive id that fits a bigint, None when absent. Raises
    ``ValidationFailed``."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 2**63:
        raise ValidationFailed(
            _("%(name)s must be an id (a positive whole number).") % {"name": name},
            {"fields": {name: [_("Invalid id.")]}},
        )
    return int(raw)


def choice_param(request, name: str, choices) -> str | None:
    """``?name=value`` where ``value`` is one of ``choices``, None when absent. Raises
    ``ValidationFailed`` naming the parameter and the choices."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    allowed = [str(choice) for choice in choices]
    if raw not in allowed:
        raise ValidationFailed(
            _("%(name)s must be one of: %(choices)s.")
            % {"name": name, "choices": ", ".join(allowed)},
            {"fields": {name: [_("One of: %(v)s.") % {"v": ", ".join(allowed)}]}},
        )
    return raw


def bool_param(request, name: str) -> bool | None:
    """``?name=true`` or ``?name=false``, None when absent. Raises ``ValidationFailed``."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    if raw not in ("true", "false"):
        raise ValidationFailed(
            _("%(name)s must be true or false.") % {"name": name},
            {"fields": {name: [_("One of: %(v)s.") % {"v": "true, false"}]}},
        )
    return raw == "true"


def text_param(request, name: str, *, max_length: int = TEXT_PARAM_MAX_LENGTH) -> str | None:
    """``?name=text`` (a filter or a search), stripped, None when absent or blank: the text
    rule of ``common.text`` (no control, bidirectional-override or surrogate character)
    and at most ``max_length`` characters. Raises ``ValidationFailed`` naming the
    parameter, so that such a value never reaches the database."""
    raw = request.query_params.get(name)
    if raw is None or not raw.strip():
        return None
    if text_refused_character(raw) is not None:
        raise ValidationFailed(
            _("%(name)s holds a character that is not allowed in text.") % {"name": name},
            {"fields": {name: [_("A character that is not allowed in text.")]}},
        )
    if len(raw) > max_length:
        raise ValidationFailed(
            _("%(name)s is longer than %(max)d characters.") % {"name": name, "max": max_length},
            {"fields": {name: [_("At most %(max)d characters.") % {"max": max_length}]}},
        )
    return raw.strip()
