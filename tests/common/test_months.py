import datetime as dt

import pytest

from common.months import add_months, days_in_month, month_end, month_start, month_starts


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 15), 2, dt.date(2026, 1, 15)),
        (dt.date(2025, 3, 31), -1, dt.date(2025, 2, 28)),
        (dt.date(2025, 1, 10), -13, dt.date(2023, 12, 10)),
        (dt.date(2025, 5, 5), 0, dt.date(2025, 5, 5)),
    ],
)
def test_add_months_clamps_to_the_target_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_month_end_knows_leap_februaries():
    assert month_end(dt.date(2024, 2, 3)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2100, 2, 3)) == dt.date(2100, 2, 28)
    assert days_in_month(dt.date(2025, 4, 30)) == 30


def test_month_starts_cross_the_year():
    assert month_start(dt.date(2025, 7, 19)) == dt.date(2025, 7, 1)
    assert month_starts(dt.date(2025, 11, 20), 3) == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
    ]
