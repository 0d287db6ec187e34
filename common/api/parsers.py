"""JSON parsing that keeps numbers exact and bounds nesting.

A JSON number becomes a ``Decimal``, never a float, so an amount sent as ``1234.56``
(rather than the documented ``"1234.56"``) loses nothing on the way in. A body nested
deeper than ``MAX_JSON_DEPTH`` arrays and objects is refused with a 400 before it is
parsed: Python's parser recurses once per level and fails with a RecursionError (a 500)
long before a body reaches the size limit (100,000 ``[`` are 100 kB).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# The deepest nesting a request body may have. The API's own shapes nest four levels at
# most (an invoice's lines, a chart of accounts' sections); this leaves room to spare.
MAX_JSON_DEPTH = 32

# A JSON string (skipped whole: brackets inside it do not nest), or one bracket.
_TOKENS = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"|[\[\]{}]')


class JSONTooDeep(ValueError):
    """A JSON text nests arrays and objects deeper than ``MAX_JSON_DEPTH``."""

    def __init__(self) -> None:
        super().__init__(
            _("The JSON is nested deeper than %(depth)s levels.") % {"depth": MAX_JSON_DEPTH}
        )


def json_depth_check(text: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise ``JSONTooDeep`` if ``text`` opens more than ``limit`` arrays or objects inside
    each other. Linear in the text; stops at the first level too deep."""
    if text.count("[") + text.count("{") <= limit:
        return
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == "[" or token == "{":
            depth += 1
            if depth > limit:
                raise JSONTooDeep()
        elif token == "]" or token == "}":
            depth -= 1


class DecimalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            json_depth_check(text)
            return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
        except JSONTooDeep as exc:
            raise ParseError(str(exc)) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("JSON parse error - %(detail)s") % {"detail": exc}) from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")
