"""A month given as ``YYYY-MM`` is read by the platform's one date parser: year 0000 is a
field error, not a 500 (found from outside on ``POST income-plans/``)."""

import pytest


@pytest.mark.parametrize("month", ["0000-01", "0000-12"])
def test_a_month_in_year_zero_is_a_400_naming_start_month(api, partner_a, make_user, month):
    client = api(partner_a, make_user(partner_a, "member"))

    response = client.post(
        "/api/v1/income-plans/", {"start_month": month, "incomes": ["100"]}, format="json"
    )

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["start_month"]
