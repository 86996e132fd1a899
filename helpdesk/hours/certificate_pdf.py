"""The certificate as a PDF (fpdf2): a pure writer, no Flask. DejaVu Sans is embedded from
static/fonts so any name (accents, other scripts DejaVu covers) prints as written; the QR code
is drawn as squares from segno's matrix, so nothing but the font is read from disk."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
FAMILY = "DejaVu"
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
QR_SIZE = 32  # mm


def _hours(minutes: int) -> str:
    hours = minutes / 60
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return f"{text} hour" if text == "1" else f"{text} hours"


def _pdf() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="Letter")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    return pdf


def _line(pdf: FPDF, text: str, size: float = 11, style: str = "", align: str = "L") -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, size * 0.55, text, align=align, **NEXT_LINE)


def _qr(pdf: FPDF, url: str, x: float, y: float) -> None:
    qr = segno.make(url, error="m")
    rows = qr.matrix
    module = QR_SIZE / (len(rows) + 8)  # a quiet zone of four modules each side
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, QR_SIZE, QR_SIZE, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value & 1:
                pdf.rect(x + (c + 4) * module, y + (r + 4) * module, module, module, style="F")


def render_certificate(
    data: dict,
    *,
    is_pd: bool,
    code: str,
    verify_url: str,
    issued_on: str,
    day: Callable[[date], str],
    days: Callable[[date, date], str],
) -> bytes:
    """One certificate; `data` is the certificate's snapshot (dates as date objects)."""
    pdf = _pdf()
    title = (
        "Certificate of Continuing Teacher and Leader Education (CTLE)"
        if is_pd
        else "Certificate of Verified Service Hours"
    )
    place = ", ".join(part for part in (data["school"], data["district"]) if part)
    total = sum(entry["minutes"] for entry in data["entries"])
    _line(pdf, place, 11, align="C")
    pdf.ln(4)
    _line(pdf, title, 18, "B", align="C")
    pdf.ln(6)
    _line(pdf, "This certifies that", 12, align="C")
    pdf.ln(2)
    _line(pdf, data["participant"], 22, "B", align="C")
    pdf.ln(2)
    if is_pd:
        summary = (
            f"completed {_hours(total)} of professional development in the student tech team's "
            f"reverse-mentoring program, {days(data['first_on'], data['last_on'])}."
        )
    else:
        summary = (
            f"gave {_hours(total)} of verified service as a student tech mentor, helping "
            f"teachers and staff, {days(data['first_on'], data['last_on'])}."
        )
    _line(pdf, summary, 12, align="C")
    pdf.ln(6)

    if is_pd:
        _line(pdf, f"Sponsor: {data['sponsor_name']}", 11, "B")
        _line(pdf, f"Sponsor number: {data['sponsor_number']}", 11, "B")
        pdf.ln(3)
    _line(pdf, "Activities", 13, "B")
    pdf.ln(1)
    for entry in data["entries"]:
        _line(pdf, f"{day(entry['occurred_on'])} · {_hours(entry['minutes'])}", 10, "B")
        _line(pdf, entry["title"], 10)
        if is_pd and entry.get("description"):
            _line(pdf, entry["description"], 9)
        pdf.ln(1.5)
    _line(pdf, f"Total: {_hours(total)}", 12, "B")
    pdf.ln(8)

    _line(pdf, data["signer_name"], 12, "B")
    _line(pdf, data["signer_title"], 11)
    _line(pdf, f"Issued {issued_on}", 11)
    pdf.ln(4)
    if pdf.get_y() + QR_SIZE + 10 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    _qr(pdf, verify_url, pdf.l_margin, top)
    pdf.set_xy(pdf.l_margin + QR_SIZE + 6, top + 4)
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(0, 5.5, "Check this certificate at", **NEXT_LINE)
    pdf.set_x(pdf.l_margin + QR_SIZE + 6)
    pdf.multi_cell(0, 5.5, verify_url, **NEXT_LINE)
    pdf.set_x(pdf.l_margin + QR_SIZE + 6)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 7, f"Verification code: {code}", **NEXT_LINE)
    return bytes(pdf.output())
