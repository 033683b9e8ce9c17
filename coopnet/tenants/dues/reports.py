"""What the dashboard shows: dues collected by month and year (with an SVG chart drawn
on the server), the register as CSV, and a receipt as PDF."""

import csv
import io
from datetime import date
from xml.sax.saxutils import escape

from babel.dates import get_month_names
from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet import csv_files
from coopnet.i18n import current_locale, day
from coopnet.pdf import document
from coopnet.tenants.dues.models import DuesMember, DuesPayment
from coopnet.tenants.dues.money import decimal_string, shown
from coopnet.terms import term


def month_name(month: int) -> str:
    """A month's short name in the current language: 'Nov', 'nov', 'нояб.'."""
    return get_month_names("abbreviated", locale=current_locale())[month]


def collected_by_month(session, today: date, months: int = 12) -> list[dict]:
    """The last ``months`` months, oldest first: cents received (refunds not counted)."""
    first = _month_back(today.replace(day=1), months - 1)
    month = func.date_trunc("month", DuesPayment.received_on)
    rows = dict(
        session.execute(
            select(month, func.sum(DuesPayment.amount))
            .where(DuesPayment.status == "paid", DuesPayment.received_on >= first)
            .group_by(month)
        ).all()
    )
    found = {(k.year, k.month): int(v) for k, v in rows.items()}
    out = []
    for i in range(months):
        start = _month_back(today.replace(day=1), months - 1 - i)
        out.append({"month": start.strftime("%Y-%m"), "amount": found.get((start.year, start.month), 0)})
    return out


def collected_by_year(session) -> list[dict]:
    year = func.extract("year", DuesPayment.received_on)
    rows = session.execute(
        select(year, func.sum(DuesPayment.amount)).where(DuesPayment.status == "paid").group_by(year).order_by(year)
    ).all()
    return [{"year": int(y), "amount": int(a)} for y, a in rows]


def _month_back(first_of_month: date, n: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def chart_svg(by_month: list[dict], currency: str) -> str:
    """Bars for each month, labelled, with a title and description for screen readers."""
    width, height, pad, bottom = 640, 240, 48, 36
    top = max([m["amount"] for m in by_month] + [1])
    slot = (width - pad - 8) / max(len(by_month), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="dues-chart-title dues-chart-desc" class="chart">',
        f'<title id="dues-chart-title">{escape(_("Dues collected by month"))}</title>',
        '<desc id="dues-chart-desc">'
        + escape("; ".join(f"{m['month']}: {shown(m['amount'], currency)}" for m in by_month))
        + "</desc>",
        f'<line x1="{pad}" y1="{height - bottom}" x2="{width - 8}" y2="{height - bottom}" stroke="currentColor"/>',
        f'<text x="{pad - 6}" y="16" text-anchor="end" font-size="11">{escape(shown(top, currency))}</text>',
    ]
    usable = height - bottom - 24
    for i, m in enumerate(by_month):
        bar = round(usable * m["amount"] / top)
        x = pad + i * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bottom - bar}" width="{slot * 0.7:.1f}" height="{bar}" '
            f'fill="#2f6f4f"><title>{escape(m["month"])}: {escape(shown(m["amount"], currency))}</title></rect>'
        )
        label = escape(month_name(int(m["month"][5:])))
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">'
            f"{label}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def register_csv(session) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "name", "email", "kind", "votes", "plan", "amount", "currency", "standing", "paid_through",
         "renews_on", "grace_ends", "votes_suspended", "services_flagged"]
    )  # fmt: skip
    for m in session.scalars(select(DuesMember).order_by(DuesMember.id)):
        writer.writerow(
            [
                m.id,
                csv_files.spreadsheet_text(m.name),
                csv_files.spreadsheet_text(m.email),
                m.kind,
                m.votes,
                m.plan,
                decimal_string(m.amount),
                m.currency,
                m.standing,
                m.paid_through or "",
                m.renews_on,
                m.grace_ends or "",
                m.votes_suspended,
                m.services_flagged,
            ]
        )
    return out.getvalue()


def receipt_pdf(organisation: str, member: DuesMember, payment: DuesPayment) -> bytes:
    pdf, family, clean = document()
    pdf.set_font(family, size=18)
    title = _("%(organisation)s: dues receipt", organisation=organisation)
    pdf.multi_cell(0, 10, clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=11)
    paid_by = term(payment.method)
    if payment.reference:
        paid_by = _("%(method)s (reference %(reference)s)", method=paid_by, reference=payment.reference)
    lines = [
        _("Receipt number: %(number)s", number=payment.id),
        _("Received from: %(name)s (%(email)s)", name=member.name, email=member.email),
        _("Amount: %(amount)s", amount=shown(payment.amount, payment.currency)),
        _("For: %(start)s to %(end)s", start=day(payment.period_start), end=day(payment.period_end)),
        _("Paid by: %(method)s", method=paid_by),
        _("Received on: %(day)s", day=day(payment.received_on)),
        _("Status: %(status)s", status=term("refunded" if payment.status == "refunded" else "paid")),
    ]
    for line in lines:
        pdf.multi_cell(0, 7, clean(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
