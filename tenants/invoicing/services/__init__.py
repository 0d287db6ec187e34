"""Writing clients, invoices, credit notes, payments and estimates.

Every service is one transaction and writes an audit row. Amounts are ``Decimal`` in the
partner's currency (one currency per partner); VAT and fee rates are fractions
(0.19 = 19 %). Rounding: see ``tenants.invoicing.totals``. VAT rules: see
``tenants.invoicing.vat``. Numbering: see ``tenants.invoicing.numbering``. Reads live in
``tenants.invoicing.selectors``.

One module per kind of document: ``clients``, ``pricing`` (lines and VAT, shared by every
document), ``invoices``, ``payments``, ``credit_notes``, ``estimates``. The public services
are re-exported here, so ``from tenants.invoicing.services import invoice_issue`` works
for other apps; code inside invoicing imports from the precise module.
"""

from tenants.invoicing.services.clients import (
    CLIENT_FIELDS,
    client_create,
    client_delete,
    client_update,
)
from tenants.invoicing.services.credit_notes import invoice_credit_note_create
from tenants.invoicing.services.estimates import (
    estimate_accept,
    estimate_create,
    estimate_delete,
    estimate_invoice,
    estimate_refuse,
    estimate_send,
    estimate_update,
    estimate_validate,
)
from tenants.invoicing.services.invoices import (
    ISSUE_FIELDS,
    invoice_create,
    invoice_delete,
    invoice_issue,
    invoice_update,
)
from tenants.invoicing.services.payments import FEE_RULE_SOURCE, invoice_payment_record

__all__ = [
    "CLIENT_FIELDS",
    "FEE_RULE_SOURCE",
    "ISSUE_FIELDS",
    "client_create",
    "client_delete",
    "client_update",
    "estimate_accept",
    "estimate_create",
    "estimate_delete",
    "estimate_invoice",
    "estimate_refuse",
    "estimate_send",
    "estimate_update",
    "estimate_validate",
    "invoice_create",
    "invoice_credit_note_create",
    "invoice_delete",
    "invoice_issue",
    "invoice_payment_record",
    "invoice_update",
]
