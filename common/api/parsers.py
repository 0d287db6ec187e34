"""JSON parsing that keeps numbers exact: a JSON number becomes a ``Decimal``, never a
float, so an amount sent as ``1234.56`` (rather than the documented ``"1234.56"``) loses
nothing on the way in."""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class DecimalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("JSON parse error - %(detail)s") % {"detail": exc}) from None


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")
