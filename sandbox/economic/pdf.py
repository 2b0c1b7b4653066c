"""A small but real PDF of an invoice, rendered with fpdf2's core Helvetica font."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fpdf import FPDF


def _latin1(text: Any) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _amount(value: Any) -> str:
    return f"{Decimal(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def render_invoice_pdf(doc: dict[str, Any], title: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    recipient = doc.get("recipient", {})
    for key in ("name", "address", "zip", "city", "country"):
        if recipient.get(key):
            pdf.cell(0, 5, _latin1(recipient[key]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(
        0,
        5,
        _latin1(f"Dato: {doc['date']}   Forfald: {doc['dueDate']}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    other = doc.get("references", {}).get("other")
    if other:
        pdf.cell(0, 5, _latin1(f"Reference: {other}"), new_x="LMARGIN", new_y="NEXT")
    heading = doc.get("notes", {}).get("heading")
    if heading:
        pdf.cell(0, 5, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    for text, width in (("Beskrivelse", 95), ("Antal", 25), ("Pris", 30), ("Beløb", 30)):
        pdf.cell(width, 6, _latin1(text), border="B")
    pdf.ln()
    pdf.set_font("Helvetica", size=10)
    for line in doc.get("lines", []):
        pdf.cell(95, 6, _latin1(line.get("description", ""))[:60])
        pdf.cell(25, 6, _latin1(f"{Decimal(line['quantity']):g}"), align="R")
        pdf.cell(30, 6, _amount(line["unitNetPrice"]), align="R")
        pdf.cell(30, 6, _amount(line["totalNetAmount"]), align="R")
        pdf.ln()
    pdf.ln(4)
    currency = doc.get("currency", "")
    for label, key in (("Netto", "netAmount"), ("Moms", "vatAmount"), ("I alt", "grossAmount")):
        pdf.cell(150, 6, _latin1(f"{label} {currency}"), align="R")
        pdf.cell(30, 6, _amount(doc[key]), align="R")
        pdf.ln()
    return bytes(pdf.output())
