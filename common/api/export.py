"""List exports: any list endpoint answers ``?format=csv`` or ``?format=xlsx`` with a file
of every row matching its filters and ordering (no pagination).

Use it by mixing ``ExportMixin`` into a ``ListModelMixin`` view set (before it)::

    class MemberViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
        export_filename = "members"
        export_serializer_class = MemberExportOutput   # optional; default: the list's

Columns are the serializer's fields (nested objects become ``parent.child`` columns, lists
become JSON). Decimal fields stay exact: text in CSV, numbers in XLSX. Cells that a
spreadsheet would run as formulas are prefixed with ``'``. Every character the text rule
refuses (``common.text``: control and bidirectional formatting characters, which XLSX
cannot hold and which would make a cell display differently from what is stored) is
replaced by U+FFFD, so that rows stored before the rule still export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.renderers import BaseRenderer, JSONRenderer

from common.errors import ValidationFailed
from common.text import text_sanitise

# More rows than this in one export is refused: filter the list first.
EXPORT_MAX_ROWS = 100_000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _FileRenderer(BaseRenderer):
    """Lets DRF's content negotiation accept ``?format=csv|xlsx``; the view builds the file
    itself, so this renderer only ever renders bytes it is given."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        return json.dumps(data, default=str).encode()


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_FileRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"


EXPORT_FORMATS = {"csv": CSVRenderer, "xlsx": XLSXRenderer}


def _flatten(row: dict, prefix: str = "") -> dict:
    flat: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, default=str, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = text_sanitise(str(value))
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except (InvalidOperation, ValueError):
        return False
    return True


def rows_to_csv(headers: Sequence[str], rows: Iterable[Sequence], *, delimiter: str = ",") -> bytes:
    """UTF-8 CSV (RFC 4180 quoting, ``\\r\\n`` line ends) of ``rows`` under ``headers``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([text_sanitise(str(header)) for header in headers])
    for row in rows:
        writer.writerow([_cell_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def rows_to_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet: str = "Export",
    numeric_columns: frozenset[str] = frozenset(),
) -> bytes:
    """An XLSX workbook of one sheet. Columns named in ``numeric_columns`` hold numbers
    (decimal strings converted exactly to Decimal); the rest are text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    # A fixed creation date: the same rows give the same workbook content.
    workbook.properties.created = dt.datetime(2000, 1, 1)  # noqa: DTZ001 (openpyxl is naive)
    worksheet = workbook.create_sheet(sheet[:31] or "Export")
    worksheet.append([text_sanitise(str(header)) for header in headers])
    numeric = [header in numeric_columns for header in headers]
    for row in rows:
        cells = []
        for is_number, value in zip(numeric, row, strict=False):
            if is_number and value not in (None, "") and _is_number(str(value)):
                cells.append(Decimal(str(value)))
            else:
                cells.append(_cell_text(value))
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_response(content: bytes, *, filename: str, fmt: str) -> HttpResponse:
    """An attachment download of ``content`` (``fmt``: csv, xlsx, txt)."""
    media = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_MEDIA_TYPE}.get(
        fmt, "text/plain; charset=utf-8"
    )
    response = HttpResponse(content, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ExportMixin:
    """Adds ``?format=csv`` and ``?format=xlsx`` to a view set's ``list`` (filters, search
    and ordering apply; pagination does not)."""

    export_filename: str = "export"
    export_serializer_class = None

    def get_renderers(self):
        renderers = super().get_renderers()
        # Also when no action matches the method (TRACE, PUT...): content negotiation runs
        # before the method check, and ``?format=csv`` must not turn a 405 into a 404.
        if getattr(self, "action", None) in ("list", None):
            renderers += [cls() for cls in EXPORT_FORMATS.values()]
        return renderers

    def handle_exception(self, exc):
        # Errors are always JSON, even when a file was asked for.
        if getattr(self.request, "accepted_renderer", None) and isinstance(
            self.request.accepted_renderer, _FileRenderer
        ):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def list(self, request, *args, **kwargs):
        fmt = getattr(request.accepted_renderer, "format", None)
        if fmt not in EXPORT_FORMATS:
            return super().list(request, *args, **kwargs)
        if self.paginator is not None and hasattr(self.paginator, "check_params"):
            self.paginator.check_params(request)
        queryset = self.filter_queryset(self.get_queryset())
        if queryset.count() > EXPORT_MAX_ROWS:
            raise ValidationFailed(
                _("More than %(max)s rows: filter the list before exporting.")
                % {"max": EXPORT_MAX_ROWS},
                {"rows": queryset.count()},
            )
        serializer_class = self.export_serializer_class or self.get_serializer_class()
        serializer = serializer_class(queryset, many=True, context=self.get_serializer_context())
        flat = [_flatten(dict(row)) for row in serializer.data]
        headers = list(dict.fromkeys(key for row in flat for key in row)) or list(
            serializer.child.fields
        )
        rows = [[row.get(header) for header in headers] for row in flat]
        stamp = timezone.localdate().isoformat()
        filename = f"{self.export_filename}-{stamp}.{fmt}"
        if fmt == "csv":
            return file_response(rows_to_csv(headers, rows), filename=filename, fmt=fmt)
        numeric = frozenset(
            name
            for name, field in serializer.child.fields.items()
            if field.__class__.__name__ in ("DecimalField", "IntegerField", "MoneyField")
        )
        content = rows_to_xlsx(headers, rows, sheet=self.export_filename, numeric_columns=numeric)
        return file_response(content, filename=filename, fmt=fmt)
