"""The list-export helpers of common/api/export.py."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
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


def test_xlsx_replaces_characters_a_workbook_cannot_hold():
    content = rows_to_xlsx(["name"], [["A\x0bB"], ["left\u202eright"], ["tab\tand\nline"]])

    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(row, 1).value for row in (2, 3, 4)] == [
        "A\ufffdB",
        "left\ufffdright",
        "tab\tand\nline",
    ]


def test_csv_replaces_the_text_rules_characters():
    assert rows_to_csv(["name"], [["A\x00B\u2066"]]).decode().splitlines()[1] == "A\ufffdB\ufffd"


@pytest.mark.parametrize(
    ("url", "column", "shown"),
    [
        ("/api/v1/clients/", "name", "A\ufffdB"),
        ("/api/v1/members/", "last_name", "Lee\ufffdKim"),
        ("/api/v1/activities/", "name", "Studio\ufffdOne"),
    ],
)
def test_lists_export_to_xlsx_when_a_stored_row_holds_a_control_character(
    partner_a, api, make_user, in_schema, url, column, shown
):
    # Rows stored before the text rule: written straight to the database, as they are.
    from tenants.invoicing.models import Client
    from tests.tenants.members.factories import ActivityFactory

    with in_schema(partner_a):
        activity = ActivityFactory(name="Studio\x0bOne")
        activity.member.last_name = "Lee\x0bKim"
        activity.member.save()
        Client.objects.create(name="A\x0bB", country="BE")
    admin = api(partner_a, make_user(partner_a, "admin"))

    response = admin.get(f"{url}?format=xlsx")

    assert response.status_code == 200, response.content
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, headers.index(column) + 1).value == shown
