"""Dates as the platform reads them from outside: ISO 8601 calendar dates, ``YYYY-MM-DD``
only, and the plausible range of a birth date.

``iso_date`` is the one parser behind every date that comes in as text: serializer fields
(``common.api.fields.DateField``), query parameters (``common.api.params.date_param``) and
command arguments. Python's and Django's own parsers also take ``2025-1-1``, ``20250301``,
week dates (``2025-W10-1``), non-ASCII digits and a trailing newline; this one does not.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

# The age a birth date may give on the day it is recorded. A plausibility check, not an
# eligibility rule (who may work is the rule packs' question): it catches typing errors
# such as this year for a birth year, or a century off.
BIRTH_AGE_MIN = 14
BIRTH_AGE_MAX = 120


def iso_date(text: str) -> dt.date:
    """``text`` (``YYYY-MM-DD``, ASCII digits, nothing around) as a date. Raises
    ``ValueError`` for any other shape and for impossible dates (2025-02-30, 0000-01-01)."""
    match = _ISO_DATE.fullmatch(text) if isinstance(text, str) else None
    try:
        if match is None:
            raise ValueError
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}") from None


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (28 February for a 29 February that the
    earlier year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def validate_birth_date(value: dt.date, *, today: dt.date) -> None:
    """Refuse a birth date that would make the person younger than ``BIRTH_AGE_MIN`` or
    older than ``BIRTH_AGE_MAX`` on ``today`` (read once by the caller). Raises Django's
    ``ValidationError`` (code ``birth_date_range``) giving the accepted range."""
    earliest = years_before(today, BIRTH_AGE_MAX + 1) + dt.timedelta(days=1)
    latest = years_before(today, BIRTH_AGE_MIN)
    if not earliest <= value <= latest:
        raise ValidationError(
            _("A birth date between %(earliest)s and %(latest)s (age %(min)s to %(max)s).")
            % {
                "earliest": earliest.isoformat(),
                "latest": latest.isoformat(),
                "min": BIRTH_AGE_MIN,
                "max": BIRTH_AGE_MAX,
            },
            code="birth_date_range",
        )
