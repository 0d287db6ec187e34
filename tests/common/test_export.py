"""The list-export helpers of common/api/export.py."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from common.api.export import rows_to_csv, rows_to_xlsx


def test_csv_quotes_and_neutralises_formulas():
    content = rows_to_csv(
        ["name", "amount", "note"],
        [['=HYPERLINK("x")', "-12.50", 'say "hi", then go'], [None, True, "+1 555"]],
    )
    text = content.decode()
    assert text.splitlines()[0] == "name,amount,note"
    assert "'=HYPERLINK" in text
    assert ",-12.50," in text  # a negative number stays a number
    assert '"say ""hi"", then go"' in text
    assert text.splitlines()[2] == ",true,'+1 555"


def test_csv_is_utf8_without_bom_with_crlf_line_ends():
    content = rows_to_csv(["k", "v"], [["Ærø", "1.00"], ["b", None]])

    assert content == "k,v\r\nÆrø,1.00\r\nb,\r\n".encode()


def test_xlsx_has_a_fixed_creation_date_so_the_same_rows_give_the_same_content():
    content = rows_to_xlsx(["k"], [["a"]])

    properties = load_workbook(io.BytesIO(content)).properties
    assert properties.created == dt.datetime(2000, 1, 1)  # noqa: DTZ001 (openpyxl is naive)


def test_xlsx_keeps_decimal_columns_numeric_and_text_as_text():
    content = rows_to_xlsx(
        ["name", "amount"],
        [["x", "1234.567"], ["=1+1", None]],
        numeric_columns=frozenset({"amount"}),
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["name", "amount"]
    assert Decimal(str(sheet.cell(2, 2).value)) == Decimal("1234.567")
    assert sheet.cell(3, 1).value == "'=1+1"
    assert sheet.cell(3, 2).value in (None, "")
