"""The charter keeps the member fee rate within the tier's band (typically 6.5-8 %): a fee
rate of zero is refused on the settings endpoint (it once was accepted)."""

import datetime as dt


def test_a_zero_fee_rate_is_refused(api, partner_a, make_user, in_schema):
    from tenants.partner_settings.selectors import fee_rate

    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.patch(
        "/api/v1/settings/",
        {"fee_rate": "0", "fee_rate_effective_from": "2099-01-01"},
        format="json",
    )

    assert response.status_code == 400, response.content
    with in_schema(partner_a):
        assert fee_rate(on=dt.date(2099, 1, 1)) > 0
