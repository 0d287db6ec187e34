"""PDF rendering of issued invoices and credit notes (reportlab), in the document's
language (the client's, else the partner's, fixed at issue) with labels from gettext and
numbers, dates and money formatted by Babel (``common.formatting``).

The PDF is built from the stored, immutable document (number, lines, totals, client and
seller as they were at issue), so rendering it again gives the same content.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from common.formatting import format_date, format_money, format_number
from common.money import Money
from tenants.invoicing.models import CreditNote, Invoice
from tenants.invoicing.totals import LineAmounts, vat_breakdown


def _locale_for(language: str, partner_locale: str) -> str:
    """The partner's locale when it speaks ``language`` (de → de_DE for a German partner),
    else the language itself (Babel knows "fr", "sv"...)."""
    if partner_locale and partner_locale.split("_")[0] == language:
        return partner_locale
    return language or partner_locale or "en"


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _render(*, title: str, document, lines, seller: dict, client: dict, extra: list[str]) -> bytes:
    language = document.language or "en"
    locale = _locale_for(language, seller.get("locale", ""))
    currency = document.currency

    def money(value: Decimal) -> str:
        return format_money(Money(value, currency), locale)

    buffer = io.BytesIO()
    with translation.override(language):
        styles = getSampleStyleSheet()
        normal = styles["Normal"]
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=f"{title} {document.number}",
            author=seller.get("name", ""),
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            invariant=1,
        )
        story = [
            _p(seller.get("name", ""), styles["Heading2"]),
            _p(seller.get("country", ""), normal),
            Spacer(1, 8 * mm),
            _p(f"{title} {document.number}", styles["Heading1"]),
            _p(_("Date: %(date)s") % {"date": format_date(document.issue_date, locale)}, normal),
        ]
        due = getattr(document, "due_date", None)
        if due:
            story.append(_p(_("Due date: %(date)s") % {"date": format_date(due, locale)}, normal))
        story += [Spacer(1, 6 * mm), _p(_("Bill to"), styles["Heading4"])]
        story.append(_p(client.get("name", ""), normal))
        if client.get("address"):
            story.append(_p(client["address"], normal))
        story.append(_p(client.get("country", ""), normal))
        if client.get("vat_number"):
            story.append(_p(_("VAT number: %(number)s") % {"number": client["vat_number"]}, normal))
        story += [_p(text, normal) for text in extra]
        story.append(Spacer(1, 6 * mm))

        rows = [[_("Description"), _("Quantity"), _("Unit price"), _("VAT"), _("Amount")]]
        for line in lines:
            rows.append(
                [
                    _p(line.description, normal),
                    format_number(line.quantity.normalize(), locale),
                    format_number(line.unit_price.normalize(), locale),
                    format_number((line.vat_rate * 100).normalize(), locale) + " %",
                    money(line.amount_excl_vat),
                ]
            )
        table = Table(rows, colWidths=[80 * mm, 20 * mm, 25 * mm, 15 * mm, 34 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        story += [table, Spacer(1, 6 * mm)]

        breakdown = vat_breakdown(
            LineAmounts(line.amount_excl_vat, line.vat_rate, line.vat_amount) for line in lines
        )
        totals = [[_("Total excluding VAT"), money(document.total_excl_vat)]]
        for rate, base, vat in breakdown:
            rate_text = format_number((rate * 100).normalize(), locale) + " %"
            totals.append(
                [
                    _("VAT %(rate)s on %(base)s") % {"rate": rate_text, "base": money(base)},
                    money(vat),
                ]
            )
        totals.append([_("Total including VAT"), money(document.total_incl_vat)])
        totals_table = Table(totals, colWidths=[120 * mm, 54 * mm])
        totals_table.setStyle(
            TableStyle(
                [
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ]
            )
        )
        story.append(totals_table)
        if document.vat_mention:
            story += [Spacer(1, 4 * mm), _p(document.vat_mention, normal)]
        notes = getattr(document, "notes", "")
        if notes:
            story += [Spacer(1, 4 * mm), _p(notes, normal)]
        doc.build(story)
    return buffer.getvalue()


def invoice_pdf(*, invoice: Invoice) -> bytes:
    """The PDF of an issued invoice (bytes). The caller checks it is not a draft."""
    titles = {
        Invoice.Kind.STANDARD: _("Invoice"),
        Invoice.Kind.DEPOSIT: _("Deposit invoice"),
        Invoice.Kind.BALANCE: _("Balance invoice"),
    }
    with translation.override(invoice.language or "en"):
        title = str(titles.get(invoice.kind, _("Invoice")))
        extra = []
        if invoice.status == Invoice.Status.CANCELLED:
            extra.append(_("Cancelled by credit note."))
    return _render(
        title=title,
        document=invoice,
        lines=list(invoice.lines.all()),
        seller=invoice.seller_snapshot,
        client=invoice.client_snapshot,
        extra=extra,
    )


def credit_note_pdf(*, credit_note: CreditNote) -> bytes:
    """The PDF of a credit note, naming the invoice it credits and the reason."""
    invoice = credit_note.invoice
    with translation.override(credit_note.language or "en"):
        title = _("Credit note")
        extra = [
            _("Credits invoice %(number)s of %(date)s.")
            % {"number": invoice.number, "date": invoice.issue_date.isoformat()},
            _("Reason: %(reason)s") % {"reason": credit_note.reason},
        ]
    return _render(
        title=title,
        document=credit_note,
        lines=list(credit_note.lines.all()),
        seller=invoice.seller_snapshot,
        client=invoice.client_snapshot,
        extra=extra,
    )
