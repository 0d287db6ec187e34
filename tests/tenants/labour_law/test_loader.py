"""The loader refuses broken packs with a message naming the file and the parameter."""

from __future__ import annotations

from datetime import date

import pytest

from common.errors import RuleNotFound, RulePackInvalid
from tenants.labour_law.engine import parameters_on
from tenants.labour_law.packs import PACK_CODES, load_pack
from tenants.labour_law.packs.loader import DATA_DIR


def _write_broken_de(tmp_path, old: str, new: str):
    text = (DATA_DIR / "de.toml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "de.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("code", [c for c in PACK_CODES if c != "generic"])
def test_every_shipped_pack_loads(code):
    pack = load_pack(code)
    assert pack.version.startswith(f"{code}-")


def test_loader_rejects_an_unknown_unit(tmp_path):
    data_dir = _write_broken_de(tmp_path, 'unit = "EUR/month"', 'unit = "EUR/fortnight"')
    with pytest.raises(RulePackInvalid) as error:
        load_pack("de", data_dir=data_dir)
    assert "de.toml" in str(error.value)
    assert "'pension_ceiling'" in str(error.value)
    assert "unknown unit 'EUR/fortnight'" in str(error.value)


def test_loader_rejects_a_money_unit_in_another_currency(tmp_path):
    data_dir = _write_broken_de(tmp_path, 'unit = "EUR/month"', 'unit = "USD/month"')
    with pytest.raises(RulePackInvalid, match="unknown unit 'USD/month'"):
        load_pack("de", data_dir=data_dir)


def test_loader_rejects_overlapping_periods(tmp_path):
    data_dir = _write_broken_de(
        tmp_path,
        'value = "538.00"\nunit = "EUR/month"\neffective_from = 2024-01-01',
        'value = "538.00"\nunit = "EUR/month"\neffective_from = 2023-12-01',
    )
    with pytest.raises(RulePackInvalid) as error:
        load_pack("de", data_dir=data_dir)
    assert "'minijob_limit'" in str(error.value)
    assert "overlapping periods" in str(error.value)


def test_loader_rejects_a_parameter_without_source(tmp_path):
    data_dir = _write_broken_de(
        tmp_path,
        'source = "https://www.gesetze-im-internet.de/sgb_6/__158.html"',
        'source = ""',
    )
    with pytest.raises(RulePackInvalid) as error:
        load_pack("de", data_dir=data_dir)
    assert "'pension_rate'" in str(error.value)
    assert "missing source" in str(error.value)


def test_loader_rejects_a_parameter_the_module_uses_but_the_data_lacks(tmp_path):
    text = (DATA_DIR / "de.toml").read_text(encoding="utf-8")
    blocks = text.split("[[parameter]]")
    kept = [b for b in blocks if 'name = "care_rate"' not in b]
    (tmp_path / "de.toml").write_text("[[parameter]]".join(kept), encoding="utf-8")
    with pytest.raises(RulePackInvalid) as error:
        load_pack("de", data_dir=tmp_path)
    assert "de.toml" in str(error.value)
    assert "'care_rate'" in str(error.value)
    assert "absent from the data" in str(error.value)


def test_loader_rejects_a_float_value(tmp_path):
    data_dir = _write_broken_de(tmp_path, 'value = "0.186"', "value = 0.186")
    with pytest.raises(RulePackInvalid, match="decimal string"):
        load_pack("de", data_dir=data_dir)


def test_loader_rejects_an_unknown_pack():
    with pytest.raises(RulePackInvalid, match="Unknown labour-law pack 'xx'"):
        load_pack("xx")


def test_generic_pack_without_partner_values_names_the_missing_parameters():
    with pytest.raises(RulePackInvalid) as error:
        load_pack("generic", currency="USD")
    assert error.value.extra["missing"] == [
        "employer_contribution_rate",
        "employee_contribution_rate",
        "income_tax_rate",
        "minimum_wage_hourly",
    ]
    assert "employer_contribution_rate" in str(error.value)


def test_generic_pack_without_currency_asks_for_it_and_the_values():
    with pytest.raises(RulePackInvalid) as error:
        load_pack("generic")
    assert "currency" in error.value.extra["missing"]


def test_generic_pack_with_some_values_names_only_the_rest():
    overrides = [
        {
            "name": "income_tax_rate",
            "value": "0.1",
            "unit": "fraction",
            "effective_from": "2024-01-01",
            "source": "Partner",
        }
    ]
    with pytest.raises(RulePackInvalid) as error:
        load_pack("generic", currency="CLP", overrides=overrides)
    assert "income_tax_rate" not in error.value.extra["missing"]


def test_overrides_replace_a_parameter_timeline_and_change_the_version():
    override = {
        "name": "health_additional_rate",
        "value": "0.0219",
        "unit": "fraction",
        "effective_from": date(2025, 1, 1),
        "source": "The member's health fund",
    }
    pack = load_pack("de", overrides=[override])
    assert pack.value("health_additional_rate", date(2025, 6, 1)) == __import__("decimal").Decimal(
        "0.0219"
    )
    assert pack.version != load_pack("de").version


def test_overrides_are_checked_like_the_data_file():
    override = {
        "name": "care_rate",
        "value": "0.04",
        "unit": "percent",
        "effective_from": "2025-01-01",
        "source": "x",
    }
    with pytest.raises(RulePackInvalid, match="overrides: parameter 'care_rate'"):
        load_pack("de", overrides=[override])


def test_parameters_on_returns_values_with_sources(de):
    found = {p.name: p for p in parameters_on(de, date(2025, 6, 1))}
    assert str(found["minijob_limit"].value) == "556.00"
    assert found["minijob_limit"].to_dict()["effective_from"] == "2025-01-01"
    assert found["minijob_limit"].source.startswith("https://")


def test_a_missing_value_on_a_date_raises_rule_not_found_naming_parameter_and_date(de):
    with pytest.raises(RuleNotFound) as error:
        de.value("pension_ceiling", date(2010, 1, 1))
    assert error.value.extra == {"parameter": "pension_ceiling", "date": "2010-01-01", "pack": "de"}


def test_every_parameter_period_has_a_source_and_a_known_unit():
    for code in (c for c in PACK_CODES if c != "generic"):
        pack = load_pack(code)
        for periods in pack.parameters.values():
            for period in periods:
                assert period.source
