"""Exchange rates: the ECB's CSV read strictly, loaded idempotently, installed by
`migrate`, and a month's conversion that refuses to guess a missing rate."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shared.exchange_rates.ecb import BUNDLED_FILE, ecb_rates_parse
from shared.exchange_rates.exceptions import ExchangeRateMissing, ExchangeRatesFileInvalid
from shared.exchange_rates.models import ExchangeRate
from shared.exchange_rates.selectors import monthly_rate, to_eur
from shared.exchange_rates.services import exchange_rates_load

ECB_SAMPLE = (
    "Date,USD,JPY,CYP,\n"
    "2031-02-02,1.2000,150.10,N/A,\n"
    "2031-02-01,1.1000,149.90,N/A,\n"
    "2031-01-31,1.0500,N/A,N/A,\n"
)


def _write(tmp_path, text, name="rates.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_parser_reads_the_ecb_format_and_skips_unpublished_rates():
    rates = ecb_rates_parse(ECB_SAMPLE)

    assert {(r.currency, r.date.isoformat(), r.rate) for r in rates} == {
        ("USD", "2031-02-02", Decimal("1.2000")),
        ("JPY", "2031-02-02", Decimal("150.10")),
        ("USD", "2031-02-01", Decimal("1.1000")),
        ("JPY", "2031-02-01", Decimal("149.90")),
        ("USD", "2031-01-31", Decimal("1.0500")),
    }


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("When,USD\n2031-01-01,1.1\n", 1, None),
        ("Date,usd\n2031-01-01,1.1\n", 1, "usd"),
        ("Date,USD\n2031-1-1,1.1\n", 2, "Date"),
        ("Date,USD\n2031-01-02,1.1\n2031-01-02,1.2\n", 3, "Date"),
        ("Date,USD\n2031-01-02,1.1,9,9\n", 2, None),
        ("Date,USD\n2031-01-02,-1.1\n", 2, "USD"),
        ("Date,USD\n2031-01-02,1e3\n", 2, "USD"),
        ("Date,USD\n", 2, None),
    ],
)
def test_the_parser_names_the_line_of_a_bad_file(text, line, column):
    with pytest.raises(ExchangeRatesFileInvalid) as refused:
        ecb_rates_parse(text)

    assert refused.value.extra["line"] == line
    assert refused.value.extra.get("column") == column
    assert f"Line {line}" in str(refused.value)


@pytest.mark.django_db
def test_migrate_installs_the_bundled_ecb_rates():
    # Given the bundled file's USD rates of January 2025
    with BUNDLED_FILE.open(newline="") as handle:
        january = [
            Decimal(row["USD"]) for row in csv.DictReader(handle) if row["Date"][:7] == "2025-01"
        ]

    # Then the month's rate is their mean, at 6 decimals
    assert len(january) == 22
    expected = (sum(january) / len(january)).quantize(Decimal("0.000001"))
    assert monthly_rate(currency="USD", month=dt.date(2025, 1, 15)) == expected
    assert ExchangeRate.objects.filter(currency="SEK", date=dt.date(2025, 1, 2)).get().rate == (
        Decimal("11.4223")
    )


@pytest.mark.django_db
def test_loading_the_same_file_twice_writes_nothing_the_second_time(tmp_path):
    path = _write(tmp_path, ECB_SAMPLE)
    first = exchange_rates_load(path=path)
    stamps = list(ExchangeRate.objects.filter(date__year=2031).values_list("loaded_at", "rate"))

    second = exchange_rates_load(path=path)

    assert (first.created, first.updated) == (5, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
    assert list(ExchangeRate.objects.filter(date__year=2031).values_list("loaded_at", "rate")) == (
        stamps
    )


@pytest.mark.django_db
def test_a_corrected_rate_replaces_the_old_one(tmp_path):
    exchange_rates_load(path=_write(tmp_path, ECB_SAMPLE))

    load = exchange_rates_load(
        path=_write(tmp_path, "Date,USD\n2031-02-02,1.2500\n", "fix.csv"), source="fix"
    )

    assert (load.created, load.updated) == (0, 1)
    row = ExchangeRate.objects.get(currency="USD", date=dt.date(2031, 2, 2))
    assert (row.rate, row.source) == (Decimal("1.25"), "fix")


@pytest.mark.django_db
def test_a_bad_file_changes_nothing(tmp_path):
    # Given a file whose last line is broken
    bad = ECB_SAMPLE + "2031-01-30,oops,1,N/A,\n"
    before = ExchangeRate.objects.count()

    with pytest.raises(ExchangeRatesFileInvalid) as refused:
        exchange_rates_load(path=_write(tmp_path, bad))

    assert refused.value.extra == {"line": 5, "column": "USD"}
    assert ExchangeRate.objects.count() == before


@pytest.mark.django_db
def test_the_command_loads_a_file_and_refuses_a_missing_one(tmp_path, capsys):
    call_command("load_exchange_rates", str(_write(tmp_path, ECB_SAMPLE)))
    assert "5 new" in capsys.readouterr().out

    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_exchange_rates", str(tmp_path / "absent.csv"))


@pytest.mark.django_db
def test_to_eur_converts_at_the_months_mean_rate(tmp_path):
    exchange_rates_load(path=_write(tmp_path, ECB_SAMPLE))

    # February's mean USD rate is 1.15: 115 USD are 100 EUR
    assert to_eur(Decimal("115.00"), "USD", dt.date(2031, 2, 10)) == Decimal("100")
    assert to_eur(Decimal("105.00"), "USD", dt.date(2031, 1, 1)) == Decimal("100")


@pytest.mark.django_db
def test_euros_are_euros_whatever_the_table_holds():
    assert to_eur(Decimal("12.34"), "EUR", dt.date(1990, 1, 1)) == Decimal("12.34")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("currency", "month", "label"),
    [
        ("CLP", dt.date(2025, 3, 1), "2025-03"),  # the ECB publishes no peso rate
        ("USD", dt.date(2014, 6, 30), "2014-06"),  # before the bundled history
        ("JPY", dt.date(2025, 3, 1), "2025-03"),  # not a bundled currency
    ],
)
def test_a_missing_rate_is_an_error_naming_the_currency_and_month(currency, month, label):
    with pytest.raises(ExchangeRateMissing) as missing:
        to_eur(Decimal("1000"), currency, month)

    assert missing.value.extra == {"currency": currency, "month": label}
    assert currency in str(missing.value)
    assert label in str(missing.value)
    assert missing.value.code == "exchange_rate_missing"
