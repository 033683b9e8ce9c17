"""PDF documents (fpdf2) people download: an invoice, a receipt, a notice of allocation.
One place says which font they are set in."""

from pathlib import Path

# Debian's DejaVu Sans covers Spanish and Russian; without it, the core fonts know Latin-1 only.
UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def document():
    """(an A4 FPDF with a first page, the font family to use, a function that makes text
    printable in it)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    if UNICODE_FONT.exists():
        pdf.add_font("body", fname=str(UNICODE_FONT))
        return pdf, "body", str

    def latin1(text):
        return text.encode("latin-1", "replace").decode("latin-1")

    return pdf, "helvetica", latin1
