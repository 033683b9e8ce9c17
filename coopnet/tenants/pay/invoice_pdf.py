"""An invoice laid out as a PDF (fpdf2): who bills whom, the hours by kind of work, the total."""

from flask_babel import gettext as _

from coopnet.i18n import amount, day, hours
from coopnet.pdf import document
from coopnet.tenants.pay.models import Invoice


def invoice_pdf(coop_name: str, invoice: Invoice, overdue: bool) -> bytes:
    from fpdf import FontFace

    pdf, family, clean = document()
    pdf.set_font(family, size=18)
    pdf.multi_cell(0, 10, clean(_("%(coop)s: invoice %(number)s", coop=coop_name, number=invoice.number)))
    pdf.ln(2)
    pdf.set_font(family, size=11)
    status = _("overdue") if overdue else {"draft": _("draft"), "sent": _("sent"), "paid": _("paid")}[invoice.status]
    facts = [
        _("Bill to: %(client)s", client=invoice.client.name),
        _("Work from %(start)s to %(end)s", start=day(invoice.period_start), end=day(invoice.period_end)),
        _("Issued: %(day)s", day=day(invoice.issued_on)),
        _("Due: %(day)s", day=day(invoice.due_on)),
        _("Status: %(status)s", status=status),
    ]
    if invoice.paid_on:
        facts.append(_("Paid: %(day)s", day=day(invoice.paid_on)))
    for fact in facts:
        pdf.multi_cell(0, 7, clean(fact), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    headings = (_("Work"), _("Hours"), _("Rate an hour"), _("Amount (%(currency)s)", currency=invoice.currency))
    with pdf.table(
        col_widths=(50, 20, 25, 30),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        headings_style=FontFace(emphasis=""),  # the body font has no bold face
    ) as table:
        table.row([clean(h) for h in headings])
        for line in invoice.lines:
            table.row([clean(line.kind), hours(line.minutes), amount(line.rate), amount(line.amount)])
        table.row([clean(_("Total")), hours(invoice.minutes), "", amount(invoice.total)])
    return bytes(pdf.output())
