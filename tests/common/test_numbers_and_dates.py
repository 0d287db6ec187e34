"""Numbers and dates as the API reads them (common/api/fields.py, common/money.py,
common/dates.py): amounts are ASCII digits with an optional sign and point and never -0;
dates are ISO 8601 YYYY-MM-DD only; a birth date gives a plausible age."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.dates import iso_date, validate_birth_date, years_before
from common.errors import ValidationFailed
from common.money import decimal_from_text, round_amount, to_decimal

NOT_AMOUNTS = ["١٢", "١٢.٥", "12e3", "1_000", " 12", "12 ", "", ".5", "5.", "+", "--1", "0x10"]
NOT_DATES = [
    "2025-1-1",
    "20250301",
    "2025-W10-1",
    "2025-060",
    "٢٠٢٥-٠٣-٠١",
    "2025-03-01\n",
    " 2025-03-01",
    "2025-03-01T00:00",
    "2025-02-30",
    "0000-01-01",
]
PERIOD = {"period_start": "2025-03-01", "period_end": "2025-03-31"}


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_decimal_text_is_ascii_digits_with_an_optional_sign_and_point(text):
    with pytest.raises(ValueError, match="not a decimal number"):
        decimal_from_text(text)
    with pytest.raises(ValidationFailed):
        to_decimal(text)


@pytest.mark.parametrize(
    ("text", "value"), [("12", "12"), ("+3.10", "3.10"), ("-0.5", "-0.5"), ("007", "7")]
)
def test_decimal_text_reads_plain_numbers(text, value):
    assert decimal_from_text(text) == Decimal(value)


@pytest.mark.parametrize("text", ["-0", "-0.00", "+0.0"])
def test_a_zero_is_never_negative(text):
    assert str(decimal_from_text(text)) in ("0", "0.00", "0.0")
    assert not to_decimal(text).is_signed()


def test_rounding_a_small_negative_amount_gives_an_unsigned_zero():
    assert str(round_amount(Decimal("-0.004"), "EUR")) == "0.00"


@pytest.mark.parametrize("text", NOT_DATES)
def test_iso_date_takes_only_yyyy_mm_dd(text):
    with pytest.raises(ValueError, match="not a YYYY-MM-DD date"):
        iso_date(text)


def test_iso_date_reads_a_calendar_date():
    assert iso_date("2024-02-29") == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        (dt.date(2011, 6, 15), True),  # 14 today
        (dt.date(2011, 6, 16), False),  # 14 tomorrow
        (dt.date(1904, 6, 16), True),  # 120, 121 tomorrow
        (dt.date(1904, 6, 15), False),  # 121 today
        (dt.date(2025, 6, 15), False),  # this year typed for the birth year
    ],
)
def test_a_birth_date_gives_an_age_of_14_to_120(born, ok):
    today = dt.date(2025, 6, 15)
    if ok:
        validate_birth_date(born, today=today)
    else:
        with pytest.raises(ValidationError):
            validate_birth_date(born, today=today)


def test_years_before_a_29_february_is_the_28th_when_that_year_has_none():
    assert years_before(dt.date(2024, 2, 29), 14) == dt.date(2010, 2, 28)


# --- Over HTTP -------------------------------------------------------------------------


@pytest.fixture
def admin(partner_a, api, make_user):
    return api(partner_a, make_user(partner_a, "admin"))


@pytest.mark.parametrize("amount", ["١٢", "1e3", "1_000", " 12 "])
def test_a_simulation_refuses_an_amount_that_is_not_ascii_digits(admin, amount):
    response = admin.post(
        "/api/v1/salary-simulations/", {"amount": amount, **PERIOD}, format="json"
    )

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["amount"]


def test_a_simulation_of_minus_zero_shows_zero(admin):
    response = admin.post("/api/v1/salary-simulations/", {"amount": "-0", **PERIOD}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "0.00"


def test_a_json_number_is_still_an_amount(admin):
    response = admin.post(
        "/api/v1/salary-simulations/", {"amount": Decimal("3000.50"), **PERIOD}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "3000.50"


def test_an_id_in_another_script_is_refused(partner_a, admin, in_schema):
    from tests.tenants.members.factories import MemberFactory

    with in_schema(partner_a):
        member = MemberFactory()
    digits = str(member.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    response = admin.post(
        "/api/v1/activities/",
        {"member": digits, "name": "Studio", "sector": "62.01"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["member"]


@pytest.mark.parametrize("day", ["2025-1-1", "20250301", "2025-W10-1", "٢٠٢٥-٠٣-٠١"])
def test_a_simulation_refuses_a_date_that_is_not_yyyy_mm_dd(admin, day):
    response = admin.post(
        "/api/v1/salary-simulations/",
        {"amount": "3000", "period_start": day, "period_end": "2025-03-31"},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["period_start"]


@pytest.mark.parametrize("day", ["2025-1-1", "20250301", "2025-W10-1", "1990-01-01\n"])
def test_a_member_refuses_a_birth_date_that_is_not_yyyy_mm_dd(admin, day):
    response = admin.post(
        "/api/v1/members/", {"first_name": "A", "last_name": "B", "birth_date": day}, format="json"
    )

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["birth_date"]


@pytest.mark.parametrize("years_ago", [0, 5, 13, 122, 300])
def test_a_member_refuses_an_implausible_birth_date(admin, years_ago):
    from django.utils import timezone

    born = years_before(timezone.localdate(), years_ago)

    response = admin.post(
        "/api/v1/members/",
        {"first_name": "A", "last_name": "B", "birth_date": born.isoformat()},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["birth_date"]


def test_a_member_born_30_years_ago_is_registered(admin):
    from django.utils import timezone

    born = years_before(timezone.localdate(), 30)

    response = admin.post(
        "/api/v1/members/",
        {"first_name": "A", "last_name": "B", "birth_date": born.isoformat()},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["birth_date"] == born.isoformat()


@pytest.mark.parametrize("param", ["issued_from=20250301", "created_to=2025-W10-1"])
def test_a_date_query_parameter_must_be_yyyy_mm_dd(admin, param):
    response = admin.get(f"/api/v1/invoices/?{param}")

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == [param.split("=")[0]]


def test_a_journal_period_must_be_yyyy_mm_dd(admin):
    response = admin.get("/api/v1/accounting/journal/?from=20250101&to=2025-12-31")

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["from"]
