"""A member's written notice of allocation (fpdf2): their share of a fiscal year's surplus,
the part paid in cash (and in how many instalments) and the part retained in their capital
account, as US co-ops give members for a qualified written notice."""

from flask_babel import gettext as _

from coopnet.i18n import amount, day, hours
from coopnet.pdf import document


def notice_pdf(coop_name: str, allocation, line, member_name: str, instalments: list, today) -> bytes:
    """``instalments``: the member's dated instalments of the cash part, in order."""
    pdf, family, clean = document()
    pdf.set_font(family, size=18)
    title = _("%(coop)s: notice of allocation, %(year)s", coop=coop_name, year=allocation.fiscal_year)
    pdf.multi_cell(0, 10, clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=11)
    facts = [
        _("To: %(name)s", name=member_name),
        _("Issued: %(day)s", day=day(today)),
        _(
            "The co-op's net surplus for %(year)s: %(amount)s",
            year=allocation.fiscal_year,
            amount=amount(allocation.surplus),
        ),
        _("Your hours in the year: %(hours)s", hours=hours(line.minutes)),
        _("Your allocation: %(amount)s", amount=amount(line.allocation)),
        _("Paid in cash: %(amount)s, in %(count)s instalments", amount=amount(line.cash), count=len(instalments))
        if len(instalments) > 1
        else _("Paid in cash: %(amount)s", amount=amount(line.cash)),
        *(
            _(
                "Instalment %(number)s: %(amount)s, due on %(day)s",
                number=i.number,
                amount=amount(i.amount),
                day=day(i.due_on),
            )
            for i in instalments
        ),
        _("Retained in your capital account: %(amount)s", amount=amount(line.retained)),
    ]
    for fact in facts:
        pdf.multi_cell(0, 7, clean(fact), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(
        0,
        6,
        clean(
            _(
                "The retained part stays in the co-op as your capital and is paid back to you as the co-op's "
                "policy says, at the latest when you leave."
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
