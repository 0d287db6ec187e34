"""Every rule a database constraint of invoicing enforces is checked by the services first:
whatever the lines, payments and credit notes, a document is written or refused with an
error that names its field, never an ``IntegrityError`` (the API's generic 409 "This
conflicts with existing data." is left for genuine races)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.errors import EssaimError, ValidationFailed
from tenants.invoicing import services
from tenants.invoicing.exceptions import InvoicingInvalid
from tenants.invoicing.models import Invoice

from .factories import line, make_activity, make_client, make_invoice

cents = st.integers(min_value=-(10**6), max_value=10**6).map(lambda c: str(Decimal(c).scaleb(-2)))
lines = st.lists(
    st.tuples(st.integers(min_value=1, max_value=20), cents, st.sampled_from([None, "0.07"])),
    min_size=1,
    max_size=4,
)


def _raw(drawn) -> list[dict]:
    return [line(quantity=str(q), unit_price=p, vat_rate=r) for q, p, r in drawn]


def _refused_with_a_field(error: EssaimError) -> None:
    if isinstance(error, ValidationFailed):
        assert error.status == 400
        assert error.extra["fields"], error


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(invoice_lines=lines, payments=st.lists(cents, max_size=3), credit_lines=lines)
def test_documents_are_written_or_refused_naming_a_field_never_a_conflict(
    alpha, invoice_lines, payments, credit_lines
):
    today = timezone.localdate()
    with transaction.atomic():
        try:
            invoice = services.invoice_create(
                activity=make_activity(),
                client=make_client(),
                lines=_raw(invoice_lines),
                created_by=None,
            )
            invoice = services.invoice_issue(invoice=invoice, issued_by=None)
            for amount in payments:
                try:
                    services.invoice_payment_record(
                        invoice=invoice, amount=amount, received_on=today, recorded_by=None
                    )
                except EssaimError as error:
                    _refused_with_a_field(error)
            services.invoice_credit_note_create(
                invoice=invoice, reason="Correction", lines=_raw(credit_lines), created_by=None
            )
        except EssaimError as error:
            _refused_with_a_field(error)
        transaction.set_rollback(True)


def test_a_negative_total_is_refused_before_the_database_sees_it(alpha):
    with pytest.raises(InvoicingInvalid) as refused:
        make_invoice(lines=[line(unit_price="-5.00")])

    assert list(refused.value.extra["fields"]) == ["lines"]
    assert refused.value.extra["total_incl_vat"] == "-5.95"
    assert not Invoice.objects.exists()


def test_a_discount_line_is_allowed_while_the_total_stays_positive(alpha):
    invoice = make_invoice(lines=[line(unit_price="100.00"), line(unit_price="-30.00")])

    assert invoice.total_incl_vat == Decimal("83.30")


def test_a_client_email_longer_than_its_column_is_a_field_error(alpha):
    email = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "com"

    with pytest.raises(InvoicingInvalid) as refused:
        make_client(email=email)

    assert list(refused.value.extra["fields"]) == ["email"]
