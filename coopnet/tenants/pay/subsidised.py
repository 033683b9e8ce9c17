"""Subsidised work: what the co-op gave clients on its sliding scale, valued as the full rate
($150 an hour, the top of Quilted's scale) less the rate actually charged, times billable hours.

The rate charged is the invoice's for time already invoiced, else the client's rate today.
Each client's line is the sum of its projects' lines (time on no project is one line of its own),
each rounded to the cent, so a client's projects add up to its line exactly.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet.errors import ValidationFailed
from coopnet.tenants.pay.models import Client, Invoice, Project, TimeEntry

FULL_RATE = 15000  # cents an hour
LONGEST_PERIOD_DAYS = 5 * 366


def _cents(rate_minutes: int) -> int:
    """Cents for a sum of minutes x cents-an-hour, half a cent rounded up."""
    return int((Decimal(rate_minutes) / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


FIGURES = ("minutes", "full_value", "charged", "given")


def report(session, start: date, end: date) -> dict:
    """Per client with billable time from ``start`` to ``end``: minutes, the full value, what was
    charged and the value given, and the same per project; and the totals (the sums of the rows,
    to the cent)."""
    if end < start or (end - start).days > LONGEST_PERIOD_DAYS:
        raise ValidationFailed(
            _("Some fields are missing or invalid."),
            {"to": _("End the period on or after its start, within five years.")},
        )
    charged_rate = func.coalesce(Invoice.hourly_rate, Client.hourly_rate)
    rows = session.execute(
        select(
            Client.id,
            Client.name,
            Client.hourly_rate,
            Project.id,
            Project.name,
            func.sum(TimeEntry.minutes),
            func.sum(TimeEntry.minutes * charged_rate),
        )
        .join(Client, Client.id == TimeEntry.client_id)
        .join(Project, Project.id == TimeEntry.project_id, isouter=True)
        .join(Invoice, Invoice.id == TimeEntry.invoice_id, isouter=True)
        .where(TimeEntry.billable.is_(True), TimeEntry.worked_on >= start, TimeEntry.worked_on <= end)
        .group_by(Client.id, Client.name, Client.hourly_rate, Project.id, Project.name)
        .order_by(Client.name, Client.id, Project.name.nulls_last(), Project.id)
    )
    clients = {}
    for client_id, name, rate, project_id, project, minutes, rate_minutes in rows:
        full, charged = _cents(int(minutes) * FULL_RATE), _cents(int(rate_minutes))
        line = {"minutes": int(minutes), "full_value": full, "charged": charged, "given": full - charged}
        client = clients.setdefault(
            client_id,
            {"client_id": client_id, "name": name, "hourly_rate": rate, "projects": [], **dict.fromkeys(FIGURES, 0)},
        )
        client["projects"].append({"project_id": project_id, "name": project or "", **line})
        for key in FIGURES:
            client[key] += line[key]
    clients = list(clients.values())
    total = {key: sum(c[key] for c in clients) for key in FIGURES}
    return {"from": start, "to": end, "full_rate": FULL_RATE, "clients": clients, "total": total}
