"""VAT rates are dated data, one file per country (``tenants/invoicing/vat_rates/``), the
only source: each partner country's standard, reduced, super-reduced and parking rates are
accepted on a domestic document, any other rate is refused with the allowed list, and a
file that cannot be loaded is a clear error, never a silent fallback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tenants.invoicing import vat
from tenants.invoicing.checks import vat_rates_check
from tenants.invoicing.exceptions import VatRateNotAllowed, VatRatesInvalid
from tenants.invoicing.models import Invoice
from tenants.labour_law.packs import get_pack
from tests.helpers import make_partner

from .factories import make_activity, make_client

D = Decimal
ON = dt.date(2026, 3, 1)

# The rates of issue 12: BE 21/12/6, FR 20/10/5.5/2.1, DE 19/7, IT 22/10/5/4, ES 21/10/4,
# AT 20/13/10, SE 25/12/6, with their kinds.
PARTNER_RATES = {
    "BE": {"0.21": "standard", "0.12": "parking", "0.06": "reduced"},
    "FR": {"0.20": "standard", "0.10": "reduced", "0.055": "reduced", "0.021": "super_reduced"},
    "DE": {"0.19": "standard", "0.07": "reduced"},
    "IT": {"0.22": "standard", "0.10": "reduced", "0.05": "reduced", "0.04": "super_reduced"},
    "ES": {"0.21": "standard", "0.10": "reduced", "0.04": "super_reduced"},
    "AT": {"0.20": "standard", "0.13": "parking", "0.10": "reduced"},
    "SE": {"0.25": "standard", "0.12": "reduced", "0.06": "reduced"},
}


def domestic(country: str, on: dt.date = ON) -> vat.VatDecision:
    return vat.vat_decision(
        seller_country=country,
        client_country=country,
        client_is_company=True,
        client_vat_number="",
        on=on,
    )


@pytest.mark.parametrize("country", sorted(PARTNER_RATES))
def test_each_partner_countrys_rates_are_in_force_with_their_kinds(country):
    in_force = {str(rate.rate): rate.kind for rate in vat.vat_rates(country) if rate.covers(ON)}

    assert in_force == PARTNER_RATES[country]


@pytest.mark.parametrize(
    ("country", "rate"),
    [(country, rate) for country, rates in sorted(PARTNER_RATES.items()) for rate in rates],
)
def test_each_rate_of_a_partner_country_is_accepted_on_a_domestic_line(country, rate):
    assert domestic(country).line_rate(D(rate)) == D(rate)


@pytest.mark.parametrize(("country", "rate"), [("FR", "0.07"), ("DE", "0.055"), ("SE", "0.2")])
def test_a_rate_not_in_the_countrys_list_is_refused_with_the_allowed_list(country, rate):
    with pytest.raises(VatRateNotAllowed) as refused:
        domestic(country).line_rate(D(rate))

    allowed = ["0", *sorted(PARTNER_RATES[country], key=D)]
    assert refused.value.extra["allowed"] == allowed
    assert f"allowed: {', '.join(allowed)}." in refused.value.message


@pytest.mark.parametrize("country", sorted(PARTNER_RATES))
def test_every_partner_rate_names_its_legal_source_and_an_official_url(country):
    for rate in vat.vat_rates(country):
        assert "https://" in rate.source, (country, rate)


def test_rates_are_dated_germanys_2020_cut_included():
    rates = domestic("DE", dt.date(2020, 8, 1))

    assert rates.default_rate == D("0.16")
    assert rates.allowed == {D("0"), D("0.16"), D("0.05")}


def test_finland_changed_its_standard_rate_on_2024_09_01():
    assert vat.country_rates(country="FI", on=dt.date(2024, 8, 31)).standard == D("0.24")
    assert vat.country_rates(country="FI", on=dt.date(2024, 9, 1)).standard == D("0.255")


def test_the_labour_law_packs_no_longer_carry_vat_rates():
    for code in ("be", "fr", "de", "it", "es", "at", "se"):
        assert [name for name in get_pack(code).parameters if name.startswith("vat_")] == []


@pytest.fixture
def france(db, make_user):
    partner = make_partner("lyon", country="FR", name="Smart Lyon")
    return {"partner": partner, "advisor": make_user(partner, "advisor")}


def post_french_invoice(france, api, in_schema, lines):
    with in_schema(france["partner"]):
        activity = make_activity()
        client = make_client(name="Librairie du Parc", country="FR")
    body = {"activity": activity.pk, "client": client.pk, "lines": lines}
    return api(france["partner"], france["advisor"]).post("/api/v1/invoices/", body, format="json")


def test_a_french_invoice_takes_the_55_and_21_rates(france, api, in_schema):
    lines = [
        {"description": "Book", "quantity": "1", "unit_price": "100.00", "vat_rate": "0.055"},
        {"description": "Show", "quantity": "1", "unit_price": "200.00", "vat_rate": "0.021"},
    ]

    response = post_french_invoice(france, api, in_schema, lines)

    assert response.status_code == 201, response.content
    assert response.json()["total_vat"] == "9.70"  # 5.50 + 4.20


def test_a_french_invoice_at_a_rate_france_does_not_have_is_refused(france, api, in_schema):
    lines = [{"description": "x", "quantity": "1", "unit_price": "10", "vat_rate": "0.07"}]

    response = post_french_invoice(france, api, in_schema, lines)

    assert response.status_code == 400
    assert response.json()["code"] == "vat_rate_not_allowed"
    assert "0, 0.021, 0.055, 0.10, 0.20." in response.json()["message"]
    assert list(response.json()["extra"]["fields"]) == ["lines[0].vat_rate"]
    with in_schema(france["partner"]):
        assert not Invoice.objects.exists()


# --- A broken file is an error, never a fallback ---------------------------------------

GOOD = """
[country]
code = "DE"

[[rate]]
kind = "standard"
value = "0.19"
effective_from = 2021-01-01
source = "UStG § 12; https://www.gesetze-im-internet.de/ustg_1980/__12.html"
"""


def _write(tmp_path, text: str, name: str = "de.toml"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_well_formed_file_loads(tmp_path):
    rates = vat.load_vat_rates("DE", rates_dir=_write(tmp_path, GOOD))

    assert [(r.kind, r.rate, r.effective_from) for r in rates] == [
        ("standard", D("0.19"), dt.date(2021, 1, 1))
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('value = "0.19"', "value = 0.19"), "fraction as a string"),
        (('value = "0.19"', 'value = "19"'), "fraction as a string"),
        (('value = "0.19"', 'value = "0.19001"'), "more than 4 decimals"),
        (('kind = "standard"', 'kind = "intermediate"'), "kind must be one of"),
        (('source = "UStG', 'source = "" #'), "missing source"),
        (("effective_from = 2021-01-01", "effective_from = 2021"), "effective_from must be a date"),
        (('code = "DE"', 'code = "AT"'), '[country] code must be "DE"'),
        (("[[rate]]", "[[rates]]"), "no [[rate]] entries"),
        (('kind = "standard"', 'kind = "reduced"'), "no standard rate"),
        (("effective_from", "since = 2020-01-01\neffective_from"), "unknown keys ['since']"),
        (("[country]", "[country"), "not valid TOML"),
    ],
)
def test_a_broken_file_raises_naming_the_file_and_what_is_wrong(tmp_path, change, message):
    broken = GOOD.replace(*change, 1)

    with pytest.raises(VatRatesInvalid) as error:
        vat.load_vat_rates("DE", rates_dir=_write(tmp_path, broken))

    assert str(error.value).startswith("de.toml: ")
    assert message in str(error.value)
    assert error.value.status == 500


def test_two_standard_rates_at_once_are_refused(tmp_path):
    twice = GOOD + GOOD.split("[country]")[1].split('code = "DE"', 1)[1].replace("0.19", "0.2")

    with pytest.raises(VatRatesInvalid, match="overlaps"):
        vat.load_vat_rates("DE", rates_dir=_write(tmp_path, twice))


def test_a_broken_file_in_use_raises_instead_of_falling_back(tmp_path, monkeypatch):
    monkeypatch.setattr(vat, "RATES_DIR", _write(tmp_path, GOOD.replace('"0.19"', "0.19")))
    vat.vat_rates.cache_clear()
    try:
        with pytest.raises(VatRatesInvalid, match="de.toml"):
            vat.country_rates(country="DE", on=ON)
    finally:
        monkeypatch.undo()
        vat.vat_rates.cache_clear()
    assert vat.country_rates(country="DE", on=ON).standard == D("0.19")


def test_manage_py_check_reports_a_broken_file(tmp_path):
    _write(tmp_path, GOOD)
    _write(tmp_path, GOOD.replace('"DE"', '"SE"').replace("0.19", "1.5"), name="se.toml")

    errors = vat_rates_check(rates_dir=tmp_path)

    assert [(e.id, e.obj) for e in errors] == [("invoicing.E001", "se.toml")]


def test_the_shipped_files_pass_the_check():
    assert vat_rates_check() == []
