"""The cash part of each member's share of a year's surplus, paid in dated instalments
(Design Action pays it so to protect its cash flow), and officers recording each one paid.

The schedule is made with the split: each member's cash in the policy's number of equal
instalments (the odd cents on the first ones, so they sum exactly to the cash part),
``instalment_months`` apart, the first due the day after the fiscal year ends or the day
of the split when that is later.

Who commits: the caller; these functions add, flush and return.
"""

from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import select

from coopnet.days import add_months
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import day as shown_day
from coopnet.i18n import today, zone
from coopnet.tenants.pay.models import SurplusAllocation, SurplusInstalment

STATUSES = ("due", "overdue", "paid")


def schedule(cash: int, count: int, first_due: date, every_months: int) -> list[tuple[int, date, int]]:
    """``(number, due_on, amount)`` of ``cash`` cents in ``count`` instalments; never one of
    zero (a few cents are paid in fewer instalments) and the amounts sum exactly to ``cash``."""
    if cash <= 0:
        return []
    count = min(count, cash)
    part, odd = divmod(cash, count)
    return [
        (number + 1, add_months(first_due, number * every_months), part + (1 if number < odd else 0))
        for number in range(count)
    ]


def make_schedule(session, allocation: SurplusAllocation, year_end: date, count: int, every_months: int) -> None:
    """Each member's instalments of a split just made."""
    first_due = max(year_end + timedelta(days=1), today())
    for line in allocation.members:
        for number, due_on, amount in schedule(line.cash, count, first_due, every_months):
            session.add(
                SurplusInstalment(
                    allocation_id=allocation.id,
                    account_id=line.account_id,
                    number=number,
                    due_on=due_on,
                    amount=amount,
                )
            )
    session.flush()


def status(instalment: SurplusInstalment, on: date | None = None) -> str:
    if instalment.paid_on is not None:
        return "paid"
    return "overdue" if instalment.due_on < (on or today()) else "due"


def listing(session, allocation_id: int | None = None, wanted: str | None = None) -> list[SurplusInstalment]:
    """A split's instalments (or every split's), by due date; ``wanted`` filters by status."""
    if wanted is not None and wanted not in STATUSES:
        raise ValidationFailed(
            gettext("Some fields are missing or invalid."), {"status": gettext("One of due, overdue, paid.")}
        )
    query = select(SurplusInstalment).order_by(
        SurplusInstalment.due_on, SurplusInstalment.account_id, SurplusInstalment.number
    )
    if allocation_id is not None:
        query = query.where(SurplusInstalment.allocation_id == allocation_id)
    if wanted == "paid":
        query = query.where(SurplusInstalment.paid_on.is_not(None))
    elif wanted == "overdue":
        query = query.where(SurplusInstalment.paid_on.is_(None), SurplusInstalment.due_on < today())
    elif wanted == "due":
        query = query.where(SurplusInstalment.paid_on.is_(None), SurplusInstalment.due_on >= today())
    return session.scalars(query).all()


def record_paid(session, by: int, allocation_id: int, instalment_id: int, paid_on) -> SurplusInstalment:
    """Record an instalment paid on a day: not before the split was made, not in the future;
    409 when it is already recorded paid."""
    found = _locked(session, allocation_id, instalment_id)
    if found.paid_on is not None:
        raise Conflict(
            gettext("This instalment was recorded paid on %(day)s.", day=shown_day(found.paid_on)),
            code="already_paid",
        )
    try:
        paid_on = date.fromisoformat(paid_on) if isinstance(paid_on, str) else None
    except ValueError:
        paid_on = None
    if paid_on is None:
        raise ValidationFailed(gettext("When was it paid?"), {"paid_on": gettext("A date such as 2026-03-01.")})
    split_on = session.get(SurplusAllocation, allocation_id).created_at.astimezone(zone()).date()
    if paid_on > today():
        raise ValidationFailed(gettext("When was it paid?"), {"paid_on": gettext("Not a day in the future.")})
    if paid_on < split_on:
        raise ValidationFailed(
            gettext("When was it paid?"),
            {"paid_on": gettext("Not before the split was made, on %(day)s.", day=shown_day(split_on))},
        )
    found.paid_on, found.paid_recorded_by = paid_on, by
    session.flush()
    return found


def undo_paid(session, allocation_id: int, instalment_id: int) -> SurplusInstalment:
    """Take back a payment recorded by mistake; 409 when it is not recorded paid."""
    found = _locked(session, allocation_id, instalment_id)
    if found.paid_on is None:
        raise Conflict(gettext("This instalment is not recorded paid."), code="not_paid")
    found.paid_on = found.paid_recorded_by = None
    session.flush()
    return found


def _locked(session, allocation_id: int, instalment_id: int) -> SurplusInstalment:
    found = session.scalar(
        select(SurplusInstalment)
        .where(SurplusInstalment.id == instalment_id, SurplusInstalment.allocation_id == allocation_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound(gettext("No such instalment."))
    return found
