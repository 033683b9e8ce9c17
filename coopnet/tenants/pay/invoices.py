"""Invoices: a client's billable time for a period at the client's sliding-scale rate,
numbered per co-op without gaps, then sent (mailed through the co-op's outbox) and paid.

Overdue is computed, never stored: a sent invoice whose due date has passed.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import day, hours, money, speaking
from coopnet.i18n import today as local_today
from coopnet.tenants.outbox.mail import compose
from coopnet.tenants.pay.expenses import fiscal_year_of, hold_the_books, refuse_a_split_year
from coopnet.tenants.pay.models import Client, Invoice, InvoiceCounter, InvoiceLine, Project, TimeEntry
from coopnet.tenants.pay.timesheets import is_row_id

STATUSES = ("draft", "sent", "paid")
LONGEST_PERIOD_DAYS = 366


def is_overdue(invoice: Invoice, today: date | None = None) -> bool:
    return invoice.status == "sent" and invoice.due_on < (today or local_today())


def _a_date(value, field: str, problems: dict, required: bool = True) -> date | None:
    if value is None and not required:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems[field] = _("A date such as 2026-03-01.")
        return None


def line_amount(minutes: int, rate: int) -> int:
    """Cents for ``minutes`` at ``rate`` cents an hour, half a cent rounded up."""
    return int((Decimal(minutes * rate) / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _next_number(session) -> int:
    """The next invoice number: the counter row is locked until this transaction ends,
    and a rollback takes the number back with the invoice, so numbers have no gaps."""
    statement = insert(InvoiceCounter).values(id=1, last=1)
    statement = statement.on_conflict_do_update(
        index_elements=[InvoiceCounter.id], set_={"last": InvoiceCounter.__table__.c.last + 1}
    ).returning(InvoiceCounter.last)
    return session.execute(statement).scalar_one()


def create(session, by: int, values: dict, today: date | None = None) -> Invoice:
    """An invoice for a client's billable, not yet invoiced time from ``period_start`` to
    ``period_end``, one line per kind of work at the client's rate."""
    today = today or local_today()
    problems = {}
    client_id = values.get("client_id")
    client = None
    if not is_row_id(client_id):
        problems["client_id"] = _("Choose a client of this co-op.")
    else:
        client = session.get(Client, client_id)
        if client is None:
            problems["client_id"] = _("No such client in this co-op.")
    start = _a_date(values.get("period_start"), "period_start", problems)
    end = _a_date(values.get("period_end"), "period_end", problems)
    due_on = _a_date(values.get("due_on"), "due_on", problems, required=False)
    if start and end and (end < start or (end - start).days > LONGEST_PERIOD_DAYS):
        problems["period_end"] = _("End the period on or after its start, within a year.")
    if due_on and due_on < today:
        problems["due_on"] = _("The due date cannot be before the invoice is issued.")
    project_id = values.get("project_id")
    if project_id is not None:
        project = session.get(Project, project_id) if is_row_id(project_id) else None
        if project is None or (client is not None and project.client_id != client.id):
            problems["project_id"] = _("Choose one of this client's projects.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    query = select(TimeEntry).where(
        TimeEntry.client_id == client.id,
        TimeEntry.billable.is_(True),
        TimeEntry.invoice_id.is_(None),
        TimeEntry.worked_on >= start,
        TimeEntry.worked_on <= end,
    )
    if project_id is not None:
        query = query.where(TimeEntry.project_id == project_id)
    entries = session.scalars(query.with_for_update()).all()
    if not entries:
        raise ValidationFailed(
            _("There is no billable time to invoice for this client in that period."),
            {"period_start": _("No billable time for this client that is not invoiced already.")},
            code="nothing_to_invoice",
        )
    minutes_by_kind = defaultdict(int)
    for entry in entries:
        minutes_by_kind[entry.kind] += entry.minutes
    lines = [
        InvoiceLine(
            kind=kind, minutes=minutes, rate=client.hourly_rate, amount=line_amount(minutes, client.hourly_rate)
        )
        for kind, minutes in sorted(minutes_by_kind.items())
    ]
    invoice = Invoice(
        number=_next_number(session),
        client_id=client.id,
        period_start=start,
        period_end=end,
        issued_on=today,
        due_on=due_on or today + timedelta(days=client.payment_days),
        hourly_rate=client.hourly_rate,
        minutes=sum(minutes_by_kind.values()),
        total=sum(line.amount for line in lines),
        status="draft",
        created_by=by,
        project_id=project_id,
        lines=lines,
    )
    session.add(invoice)
    session.flush()
    session.execute(update(TimeEntry).where(TimeEntry.id.in_([e.id for e in entries])).values(invoice_id=invoice.id))
    return invoice


def get(session, invoice_id: int, lock: bool = False) -> Invoice:
    query = select(Invoice).where(Invoice.id == invoice_id)
    found = session.scalar(query.with_for_update(of=Invoice) if lock else query)
    if found is None:
        raise NotFound(_("No such invoice."))
    return found


def listing(session, status: str | None = None, today: date | None = None) -> list[Invoice]:
    """Invoices, newest number first; ``status`` may also be ``overdue``."""
    query = select(Invoice).order_by(Invoice.number.desc())
    if status == "overdue":
        query = query.where(Invoice.status == "sent", Invoice.due_on < (today or local_today()))
    elif status in STATUSES:
        query = query.where(Invoice.status == status)
    elif status:
        raise ValidationFailed(
            _("Some fields are missing or invalid."),
            {"status": _("Choose one of: %(values)s.", values=", ".join((*STATUSES, "overdue")))},
        )
    return session.scalars(query).all()


def mail_body(tenant_name: str, invoice: Invoice) -> tuple[str, str]:
    subject = _("[%(coop)s] Invoice %(number)s", coop=tenant_name, number=invoice.number)
    body = _(
        "Hello %(client)s,\n\n%(coop)s invoices you %(total)s for %(hours)s hours of work "
        "from %(start)s to %(end)s (invoice %(number)s), due by %(due)s.\n\nThank you.\n",
        client=invoice.client.name,
        coop=tenant_name,
        total=money(invoice.total, invoice.currency),
        hours=hours(invoice.minutes),
        start=day(invoice.period_start),
        end=day(invoice.period_end),
        number=invoice.number,
        due=day(invoice.due_on),
    )
    return subject, body


def send(session, tenant, invoice_id: int, by: int) -> Invoice:
    """Mark a draft sent and mail the client (in the co-op's language) through the outbox."""
    invoice = get(session, invoice_id, lock=True)
    if invoice.status != "draft":
        raise Conflict(
            _("Only a draft invoice can be sent; this one is %(status)s.", status=invoice.status),
            code="invoice_not_draft",
        )
    if not invoice.client.email:
        raise ValidationFailed(
            _("The client has no email address to send the invoice to."),
            {"email": _("Give the client an email address first.")},
            code="client_without_email",
        )
    with speaking(None, tenant):
        subject, body = mail_body(tenant.name, invoice)
    compose(session, tenant, to=invoice.client.email, subject=subject, body=body)
    invoice.status, invoice.sent_at, invoice.sent_by = "sent", utcnow(), by
    session.flush()
    return invoice


def mark_paid(session, invoice_id: int, by: int, paid_on=None, today: date | None = None) -> Invoice:
    """Record the client's payment of a sent invoice (on ``paid_on``, default today)."""
    today = today or local_today()
    problems = {}
    day = _a_date(paid_on, "paid_on", problems, required=False) or today
    if not problems and day > today:
        problems["paid_on"] = _("The payment date cannot be in the future.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    hold_the_books(session)  # a payment in a year being split would be in neither
    refuse_a_split_year(session, fiscal_year_of(session, day), "paid_on")
    invoice = get(session, invoice_id, lock=True)
    if invoice.status != "sent":
        raise Conflict(
            _("Only a sent invoice can be marked paid; this one is %(status)s.", status=invoice.status),
            code="invoice_not_sent",
        )
    if day < invoice.issued_on:
        raise ValidationFailed(
            _("Some fields are missing or invalid."),
            {"paid_on": _("The payment date cannot be before the invoice was issued.")},
        )
    invoice.status, invoice.paid_on, invoice.paid_recorded_by = "paid", day, by
    session.flush()
    return invoice
