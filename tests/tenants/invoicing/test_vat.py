"""VAT rules: domestic rate from the country's rules, reverse charge, export, explicit
rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tenants.invoicing import services
from tenants.invoicing.exceptions import VatRateNotAllowed, VatRuleMissing
from tenants.invoicing.vat import (
    EXPORT_MENTION,
    REVERSE_CHARGE_MENTION,
    Regime,
    country_rates,
    vat_decision,
)

from .factories import issued_invoice, line, make_client, make_invoice

D = Decimal


def decide(seller="DE", client="DE", company=True, vat="", on=dt.date(2026, 3, 1)):
    return vat_decision(
        seller_country=seller,
        client_country=client,
        client_is_company=company,
        client_vat_number=vat,
        on=on,
    )


@pytest.mark.parametrize(
    ("country", "on", "rate"),
    [
        ("DE", dt.date(2020, 8, 1), D("0.16")),
        ("DE", dt.date(2026, 1, 1), D("0.19")),
        ("BE", dt.date(2026, 1, 1), D("0.21")),
        ("FR", dt.date(2026, 1, 1), D("0.20")),
        ("IT", dt.date(2026, 1, 1), D("0.22")),
        ("ES", dt.date(2026, 1, 1), D("0.21")),
        ("AT", dt.date(2026, 1, 1), D("0.20")),
        ("SE", dt.date(2026, 1, 1), D("0.25")),
        ("KR", dt.date(2026, 1, 1), D("0.10")),
        ("CL", dt.date(2026, 1, 1), D("0.19")),
    ],
)
def test_the_standard_rate_is_the_countrys_on_the_date(country, on, rate):
    assert country_rates(country=country, on=on).standard == rate


def test_a_country_without_known_rates_is_refused():
    with pytest.raises(VatRuleMissing):
        country_rates(country="AQ", on=dt.date(2026, 1, 1))


def test_a_domestic_client_pays_the_sellers_rate():
    decision = decide()
    assert decision.regime == Regime.DOMESTIC
    assert decision.default_rate == D("0.19")
    assert decision.mention == ""


def test_an_eu_business_with_a_vat_number_in_another_country_is_reverse_charged():
    decision = decide(client="FR", vat="FR40303265045")
    assert decision.regime == Regime.REVERSE_CHARGE
    assert decision.default_rate == 0
    assert decision.mention == REVERSE_CHARGE_MENTION
    assert "Art. 196 Directive 2006/112/EC" in decision.mention


def test_an_eu_consumer_or_a_business_without_vat_number_pays_the_sellers_rate():
    assert decide(client="FR", company=False).default_rate == D("0.19")
    assert decide(client="FR", company=True, vat="").default_rate == D("0.19")


def test_a_client_outside_the_eu_is_an_export_at_zero():
    decision = decide(client="US")
    assert decision.regime == Regime.EXPORT
    assert decision.default_rate == 0
    assert decision.mention == EXPORT_MENTION


def test_explicit_rates_are_allowed_only_when_the_rules_allow_them():
    domestic = decide()
    assert domestic.line_rate(D("0.07")) == D("0.07")
    assert domestic.line_rate(D("0")) == D("0")
    with pytest.raises(VatRateNotAllowed):
        domestic.line_rate(D("0.25"))
    reverse = decide(client="FR", vat="FR40303265045")
    with pytest.raises(VatRateNotAllowed):
        reverse.line_rate(D("0.19"))


def test_an_invoice_to_an_eu_business_abroad_is_reverse_charged_and_says_so(alpha):
    client = make_client(name="Société SA", country="FR", vat_number="FR40303265045")

    invoice = issued_invoice(client=client, lines=[line(unit_price="1000.00")])

    assert invoice.vat_regime == Regime.REVERSE_CHARGE
    assert invoice.total_vat == 0
    assert invoice.total_incl_vat == D("1000.00")
    assert invoice.vat_mention == REVERSE_CHARGE_MENTION
    assert all(line.vat_rate == 0 for line in invoice.lines.all())


def test_an_explicit_standard_rate_is_refused_under_reverse_charge(alpha):
    client = make_client(country="FR", vat_number="FR40303265045")

    with pytest.raises(VatRateNotAllowed) as refused:
        make_invoice(client=client, lines=[line(vat_rate="0.19")])

    assert "lines[0].vat_rate" in refused.value.extra["fields"]


def test_vat_is_decided_again_on_the_issue_date(alpha):
    # Drafted for a German client, the client moves abroad before the invoice is issued:
    # the invoice follows the client as it is on the issue date.
    client = make_client(country="DE")
    invoice = make_invoice(client=client)
    assert invoice.total_vat == D("19.00")
    services.client_update(
        client=client, data={"country": "AT", "vat_number": "ATU13585627"}, updated_by=None
    )

    issued = services.invoice_issue(invoice=invoice, issued_by=None)

    assert issued.vat_regime == Regime.REVERSE_CHARGE
    assert issued.total_vat == 0
    assert issued.client_snapshot["country"] == "AT"


def test_a_swedish_partner_charges_swedish_vat_in_sek(beta):
    invoice = issued_invoice(client=make_client(country="SE"), lines=[line(unit_price="1000")])

    assert invoice.currency == "SEK"
    assert invoice.total_vat == D("250.00")
    assert invoice.number.startswith("SE-")
