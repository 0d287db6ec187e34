"""The text rule: which characters a free-text value may hold.

One rule for every free-text field on every write path (the API's serializers, through
``common.api.serializers``; the admin's forms, through ``common.admin_site``; services
that take text from commands): a value holding any of these characters is refused with a
field error, never silently changed.

- C0 control characters (U+0000 to U+001F, NUL included) except the three that plain
  text uses: tab (U+0009), line feed (U+000A) and carriage return (U+000D);
- DEL (U+007F) and the C1 control characters (U+0080 to U+009F);
- the explicit bidirectional formatting characters: embeddings and overrides (U+202A to
  U+202E) and isolates (U+2066 to U+2069). They reorder the text around them, so that a
  client's name or an invoice line can display differently from what is stored (the
  "Trojan Source" trick, CVE-2021-42574). The implicit marks (U+200E LRM, U+200F RLM,
  U+061C ALM) stay allowed: they cannot reorder a run and mixed-script names need them;
- lone surrogates (U+D800 to U+DFFF), which only a JSON ``\\ud800`` escape can produce and
  which no UTF-8 text (nor PostgreSQL) can hold.

Everything else is allowed, joiners (U+200C, U+200D) and emoji included. The refused set
is the one XML 1.0 (and so XLSX) forbids, plus the bidirectional controls: text that
passes the rule can be exported anywhere. Rows stored before the rule existed are shown
as they are, and exported with each refused character replaced by U+FFFD
(``text_sanitise``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
REPLACEMENT = "\ufffd"


def text_refused_character(value: str) -> str | None:
    """The first character of ``value`` the rule refuses, or None when it has none."""
    match = _REFUSED.search(value)
    return match.group() if match else None


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return _("%(code)s, a bidirectional formatting character") % {"code": code}
    if "\ud800" <= char <= "\udfff":
        return _("%(code)s, a lone surrogate") % {"code": code}
    return _("%(code)s, a control character") % {"code": code}


def validate_text(value: str) -> None:
    """Refuse ``value`` if it holds a character the text rule forbids (see the module).

    A validator for DRF serializer fields and Django form fields alike. Raises Django's
    ``ValidationError`` (code ``text_character``) naming the first such character.
    """
    if not isinstance(value, str):
        return
    char = text_refused_character(value)
    if char is not None:
        raise ValidationError(
            _("Contains a character that is not allowed in text (%(character)s).")
            % {"character": _describe(char)},
            code="text_character",
        )


def text_sanitise(value: str) -> str:
    """``value`` with every character the rule refuses replaced by U+FFFD, for output that
    must not fail on rows stored before the rule (exports)."""
    return _REFUSED.sub(REPLACEMENT, value)
