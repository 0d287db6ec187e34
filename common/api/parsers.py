"""Request bodies: JSON parsing that keeps numbers exact and bounds nesting, and form and
multipart parsing that refuses text which is not valid UTF-8.

A JSON number becomes a ``Decimal``, never a float, so an amount sent as ``1234.56``
(rather than the documented ``"1234.56"``) loses nothing on the way in. A body nested
deeper than ``MAX_JSON_DEPTH`` arrays and objects is refused with a 400 before it is
parsed: Python's parser recurses once per level and fails with a RecursionError (a 500)
long before a body reaches the size limit (100,000 ``[`` are 100 kB).

Django decodes form and multipart fields with ``errors="replace"``: invalid UTF-8 would be
stored with U+FFFD in its place, so that what is stored is not what was sent. The form
and multipart parsers here refuse such a body with a 400 instead, as the JSON parser does.
"""

from __future__ import annotations

import codecs
import json
import re
from decimal import Decimal
from urllib.parse import parse_qsl

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

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


def _not_utf8() -> ParseError:
    return ParseError(_("The body is not valid UTF-8 text."))


class StrictFormParser(FormParser):
    """``application/x-www-form-urlencoded``, refusing invalid UTF-8 (raw or
    percent-encoded) with a 400 rather than storing U+FFFD."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        try:
            parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise _not_utf8() from None
        return super().parse(_Replay(raw), media_type, parser_context)


class _Replay:
    """A stream already read, for the parent parser."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data


# Django's multipart parser decodes every field as force_str(data, encoding,
# errors="replace"). Giving it this codec, which ignores the error handler it is asked
# for, makes the same decoding strict without rewriting Django's parser.
STRICT_UTF8 = "essaim-strict-utf-8"


def _strict_decode(data, errors="strict"):
    return codecs.utf_8_decode(data, "strict", True)


def _strict_codec(name: str):
    if name.replace("_", "-") != STRICT_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        name=STRICT_UTF8,
        encode=utf8.encode,
        decode=_strict_decode,
        incrementalencoder=utf8.incrementalencoder,
        incrementaldecoder=utf8.incrementaldecoder,
        streamreader=utf8.streamreader,
        streamwriter=utf8.streamwriter,
    )


codecs.register(_strict_codec)


class StrictMultiPartParser(MultiPartParser):
    """``multipart/form-data``: field names, values and file names must be valid UTF-8
    (a 400 otherwise); file contents are bytes and are not decoded."""

    def parse(self, stream, media_type=None, parser_context=None):
        context = dict(parser_context or {})
        encoding = context.get("encoding") or settings.DEFAULT_CHARSET
        if codecs.lookup(encoding).name == "utf-8":
            context["encoding"] = STRICT_UTF8
        try:
            return super().parse(stream, media_type, context)
        except UnicodeDecodeError:
            raise _not_utf8() from None
