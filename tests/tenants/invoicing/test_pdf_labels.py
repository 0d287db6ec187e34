"""The PDF's labels come from the catalogues, placeholders and all: no label is built
inside an f-string, which Babel extracts on Python 3.12+ but not on 3.11."""

import base64
import datetime as dt
import re
import zlib
from decimal import Decimal
from types import SimpleNamespace

from tenants.invoicing.pdf import _render, credit_note_pdf


def _text_of(pdf: bytes) -> bytes:
    """The PDF's content streams, decoded (reportlab writes them ASCII85 over Flate)."""
    streams = re.findall(rb"stream\r?\n(.*?)~>\s*endstream", pdf, re.S)
    return b"".join(zlib.decompress(base64.a85decode(stream)) for stream in streams)


def _document(language: str) -> SimpleNamespace:
    return SimpleNamespace(
        language=language,
        currency="EUR",
        number="2025-0007",
        issue_date=dt.date(2025, 3, 1),
        due_date=dt.date(2025, 3, 31),
        total_excl_vat=Decimal("0.00"),
        total_incl_vat=Decimal("0.00"),
        vat_mention="",
        notes="",
    )


def test_pdf_labels_are_translated_in_the_documents_language():
    # When a German document with a due date, a client VAT number and a reason is rendered
    pdf = _render(
        title="Gutschrift",
        document=_document("de"),
        lines=[],
        seller={"name": "Smart eG", "country": "DE", "locale": "de_DE"},
        client={"name": "Kunde GmbH", "country": "DE", "vat_number": "DE123456789"},
        extra=[],
    )

    # Then every label is the catalogue's German one, with its value in place
    text = _text_of(pdf)
    assert b"(Datum: 01.03.2025)" in text
    assert b"(USt-IdNr.: DE123456789)" in text


def test_a_credit_notes_reason_is_labelled_in_its_language():
    invoice = SimpleNamespace(
        number="2025-0001",
        issue_date=dt.date(2025, 2, 1),
        seller_snapshot={"name": "Smart", "country": "IT", "locale": "it_IT"},
        client_snapshot={"name": "Cliente", "country": "IT"},
    )
    credit_note = SimpleNamespace(
        **vars(_document("it")),
        invoice=invoice,
        reason="Prezzo errato",
        lines=SimpleNamespace(all=lambda: []),
    )

    text = _text_of(credit_note_pdf(credit_note=credit_note))

    assert b"(Motivo: Prezzo errato)" in text
    assert b"(Data: 1 mar 2025)" in text
