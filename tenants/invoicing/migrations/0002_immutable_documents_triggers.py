"""Refuse, in the database too, changes to issued documents (the ORM already refuses):

- an invoice or estimate that left ``draft``: any change to its content columns (only its
  payment state or the client's answer may change), going back to draft, or deletion;
- a locked invoice or estimate line (locked when its document is issued or sent);
- any update or deletion of credit notes, their lines and payments.

The triggers call public.essaim_immutable_row() (tenants.partners migration 0003), so the
template schema holds triggers but no function of its own.
"""

from django.db import migrations

INVOICE_CONTENT = (
    "number, year, sequence, currency, language, vat_regime, vat_mention, total_excl_vat, "
    "total_vat, total_incl_vat, created_at, activity_id, client_id, estimate_id, kind, "
    "issue_date, due_date, payment_terms_days, notes, client_snapshot, seller_snapshot, "
    "created_by_id, issued_by_id, issued_at"
)
ESTIMATE_CONTENT = (
    "number, year, sequence, currency, language, vat_regime, vat_mention, total_excl_vat, "
    "total_vat, total_incl_vat, created_at, activity_id, client_id, issue_date, valid_until, "
    "notes, validated_by_id, validated_at, sent_by_id, sent_at, created_by_id"
)


def _row(prefix: str, columns: str) -> str:
    return "ROW(" + ", ".join(f"{prefix}.{c.strip()}" for c in columns.split(",")) + ")"


def _document(table: str, columns: str) -> str:
    return f"""
CREATE TRIGGER {table}_issued_immutable
BEFORE UPDATE ON {table}
FOR EACH ROW WHEN (OLD.status <> 'draft' AND (NEW.status = 'draft' OR
    {_row("OLD", columns)} IS DISTINCT FROM {_row("NEW", columns)}))
EXECUTE FUNCTION public.essaim_immutable_row();
CREATE TRIGGER {table}_issued_undeletable
BEFORE DELETE ON {table}
FOR EACH ROW WHEN (OLD.status <> 'draft')
EXECUTE FUNCTION public.essaim_immutable_row();
"""


def _locked_lines(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_locked_immutable
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW WHEN (OLD.locked)
EXECUTE FUNCTION public.essaim_immutable_row();
"""


def _append_only(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_immutable
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION public.essaim_immutable_row();
"""


FORWARD = "".join(
    [
        _document("invoicing_invoice", INVOICE_CONTENT),
        _document("invoicing_estimate", ESTIMATE_CONTENT),
        _locked_lines("invoicing_invoiceline"),
        _locked_lines("invoicing_estimateline"),
        _append_only("invoicing_creditnote"),
        _append_only("invoicing_creditnoteline"),
        _append_only("invoicing_payment"),
    ]
)

REVERSE = "".join(
    f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
    for table, name in [
        ("invoicing_invoice", "invoicing_invoice_issued_immutable"),
        ("invoicing_invoice", "invoicing_invoice_issued_undeletable"),
        ("invoicing_estimate", "invoicing_estimate_issued_immutable"),
        ("invoicing_estimate", "invoicing_estimate_issued_undeletable"),
        ("invoicing_invoiceline", "invoicing_invoiceline_locked_immutable"),
        ("invoicing_estimateline", "invoicing_estimateline_locked_immutable"),
        ("invoicing_creditnote", "invoicing_creditnote_immutable"),
        ("invoicing_creditnoteline", "invoicing_creditnoteline_immutable"),
        ("invoicing_payment", "invoicing_payment_immutable"),
    ]
)


class Migration(migrations.Migration):
    dependencies = [
        ("invoicing", "0001_initial"),
        ("partners", "0003_immutable_row_function"),
    ]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
