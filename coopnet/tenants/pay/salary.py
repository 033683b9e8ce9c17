"""Web Collective's salary year: a fixed monthly salary against a yearly commitment of hours,
with paid leave (six weeks a year).

The commitment grows day by day through the fiscal year (the surplus policy's, else the calendar
year); hours worked and paid leave taken, up to the allowance (``leave_weeks`` of 52 weeks of the
commitment), count against it, with what the year before carried in. So each member has a running
balance of hours over (positive) or under (negative) and a leave balance. An officer closes a year
once it is over, as the co-op decided: a shortfall repaid at the salary's hourly value (twelve
months' salary over the yearly hours) or carried as hours owed into the next year; surplus hours
carried or dropped. Everyone with access to the co-op is on its salary; someone the membership
register shows joining during a year commits, and earns leave, only from the day they joined.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coopnet.days import checked_year
from coopnet.errors import Conflict, Forbidden, ValidationFailed
from coopnet.i18n import day as shown_day
from coopnet.i18n import today as local_today
from coopnet.tenants.pay.adjustments import members, spans
from coopnet.tenants.pay.models import LeaveTaken, PayPolicy, SalaryYearEnd
from coopnet.tenants.pay.payroll import in_force, policies
from coopnet.tenants.pay.surplus import year_bounds
from coopnet.tenants.pay.timesheets import MINUTES_A_DAY, minutes_between

SHORTFALL = ("repay", "carry")
SURPLUS_HOURS = ("carry", "drop")


def a_year(value) -> int:
    return checked_year(value, "year")


def salary_policy(session, day: date) -> PayPolicy:
    found = in_force(policies(session), day)
    if found is None or found.scheme != "salary":
        raise Conflict(_("No salary policy is in force on %(value)s.", value=shown_day(day)), code="no_salary_policy")
    return found


def allowance(policy: PayPolicy) -> int:
    """Minutes of paid leave a year: ``leave_weeks`` of the 52 weeks of the commitment."""
    return policy.yearly_hours * 60 * policy.leave_weeks // 52


def hourly_value(policy: PayPolicy) -> Decimal:
    """Cents an hour of the commitment is worth: twelve months' salary over the yearly hours."""
    return Decimal(policy.monthly_salary * 12) / Decimal(policy.yearly_hours)


def _leave_between(session, start: date, end: date) -> dict[int, int]:
    rows = session.execute(
        select(LeaveTaken.account_id, func.sum(LeaveTaken.minutes))
        .where(LeaveTaken.taken_on >= start, LeaveTaken.taken_on <= end)
        .group_by(LeaveTaken.account_id)
    )
    return {account_id: int(total) for account_id, total in rows}


def balances(session, tenant, year: int, on: date | None = None) -> dict:
    """Each member's hours against the commitment so far (to ``on``, default today, at most the
    year's last day), their leave, and what the year before carried in."""
    start, end = year_bounds(session, a_year(year))
    on = min(on or local_today(), end)
    if on < start:
        raise Conflict(_("That year has not begun."), {"year": _("That year has not begun.")}, code="year_not_begun")
    policy = salary_policy(session, on)
    days = (end - start).days + 1
    leave_allowed = allowance(policy)
    people = members(session, tenant)
    worked_since = spans(session, people)
    worked, leave = minutes_between(session, start, on), _leave_between(session, start, on)
    carried_in = dict(
        session.execute(
            select(SalaryYearEnd.account_id, SalaryYearEnd.carried_minutes).where(SalaryYearEnd.year == year - 1)
        ).all()
    )
    closed = {c.account_id: c for c in session.scalars(select(SalaryYearEnd).where(SalaryYearEnd.year == year))}
    rows = []
    for account_id, name in people.items():
        begun = max(start, worked_since.get(account_id, (None, None))[0] or start)
        committed = policy.yearly_hours * 60 * max(0, (on - begun).days + 1) // days
        own_allowance = leave_allowed * max(0, (end - begun).days + 1) // days
        counted = min(leave.get(account_id, 0), own_allowance)
        rows.append(
            {
                "account_id": account_id,
                "name": name,
                "counted_from": begun,
                "committed_minutes": committed,
                "worked_minutes": worked.get(account_id, 0),
                "leave_taken_minutes": leave.get(account_id, 0),
                "leave_allowance_minutes": own_allowance,
                "leave_counted_minutes": counted,
                "leave_left_minutes": own_allowance - leave.get(account_id, 0),
                "carried_in_minutes": carried_in.get(account_id, 0),
                "balance_minutes": worked.get(account_id, 0) + counted + carried_in.get(account_id, 0) - committed,
                "closed": closed.get(account_id),
            }
        )
    return {
        "year": year,
        "from": start,
        "to": end,
        "on": on,
        "yearly_minutes": policy.yearly_hours * 60,
        "leave_allowance_minutes": leave_allowed,
        "hourly_value": int(hourly_value(policy).quantize(Decimal(1), rounding=ROUND_HALF_UP)),
        "members": rows,
    }


def record_leave(session, tenant, by: int, officer: bool, values: dict) -> LeaveTaken:
    """Paid leave taken on a day, by the member or (officers) for them."""
    account_id = values.get("account_id") or by
    if account_id != by and not officer:
        raise Forbidden(_("Only officers and admins record leave for someone else."), code="officer_required")
    problems = {}
    if account_id not in members(session, tenant):
        problems["account_id"] = _("No such member of this co-op.")
    minutes = values.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MINUTES_A_DAY:
        problems["minutes"] = _("Minutes of leave: a whole number from 1 to 1440.")
    try:
        taken_on = date.fromisoformat(str(values.get("taken_on")))
    except ValueError:
        taken_on = None
        problems["taken_on"] = _("Give the day, such as 2026-03-02.")
    note = values.get("note") or ""
    if not isinstance(note, str) or len(note) > 2000:
        problems["note"] = _("A note of at most 2,000 characters.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    already = session.scalar(
        select(func.coalesce(func.sum(LeaveTaken.minutes), 0)).where(
            LeaveTaken.account_id == account_id, LeaveTaken.taken_on == taken_on
        )
    )
    if already + minutes > MINUTES_A_DAY:
        raise ValidationFailed(
            _("A day has at most 24 hours."), {"minutes": _("A day has at most 24 hours (1,440 minutes).")}
        )
    closed = session.scalar(select(func.max(SalaryYearEnd.year)))
    if closed is not None and taken_on <= year_bounds(session, closed)[1]:
        raise Conflict(
            _("The salary year %(year)s is closed.", year=closed),
            {"taken_on": _("That year is closed.")},
            code="year_closed",
        )
    leave = LeaveTaken(account_id=account_id, taken_on=taken_on, minutes=minutes, note=note, recorded_by=by)
    session.add(leave)
    session.flush()
    return leave


def leave_taken(session, start: date, end: date, account_id: int | None = None) -> list[LeaveTaken]:
    query = select(LeaveTaken).where(LeaveTaken.taken_on >= start, LeaveTaken.taken_on <= end)
    if account_id is not None:
        query = query.where(LeaveTaken.account_id == account_id)
    return session.scalars(query.order_by(LeaveTaken.taken_on, LeaveTaken.id)).all()


def close_year(
    session, tenant, by: int, year, shortfall: str, surplus_hours: str, today: date | None = None
) -> list[SalaryYearEnd]:
    """Close a salary year once it is over: each member's balance settled as the co-op decided."""
    problems = {}
    if shortfall not in SHORTFALL:
        problems["shortfall"] = _("Choose one of: %(values)s.", values=", ".join(SHORTFALL))
    if surplus_hours not in SURPLUS_HOURS:
        problems["surplus_hours"] = _("Choose one of: %(values)s.", values=", ".join(SURPLUS_HOURS))
    try:
        a_year(year)
    except ValidationFailed as error:
        problems.update(error.fields)
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    _start, end = year_bounds(session, year)
    if (today or local_today()) <= end:
        raise Conflict(
            _("The year ends on %(value)s; close it after that.", value=shown_day(end)), code="year_not_over"
        )
    if session.scalar(select(SalaryYearEnd.id).where(SalaryYearEnd.year == year).limit(1)) is not None:
        raise Conflict(_("The salary year %(year)s is closed already.", year=year), code="year_closed")
    found = balances(session, tenant, year, on=end)
    value = hourly_value(salary_policy(session, end))
    closed = []
    for row in found["members"]:
        balance = row["balance_minutes"]
        outcome, carried, owed = "even", 0, 0
        if balance < 0 and shortfall == "repay":
            outcome = "owed"
            owed = int((value * -balance / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        elif balance < 0 or (balance > 0 and surplus_hours == "carry"):
            outcome, carried = "carried", balance
        elif balance > 0:
            outcome = "dropped"
        closed.append(
            SalaryYearEnd(
                year=year,
                account_id=row["account_id"],
                committed_minutes=row["committed_minutes"],
                worked_minutes=row["worked_minutes"],
                leave_minutes=row["leave_counted_minutes"],
                carried_in_minutes=row["carried_in_minutes"],
                balance_minutes=balance,
                outcome=outcome,
                carried_minutes=carried,
                owed=owed,
                closed_by=by,
            )
        )
    try:
        with session.begin_nested():  # two officers closing at once: the second finds it closed
            session.add_all(closed)
            session.flush()
    except IntegrityError:
        raise Conflict(_("The salary year %(year)s is closed already.", year=year), code="year_closed") from None
    return sorted(closed, key=lambda c: c.account_id)


def year_ends(session, year: int) -> list[SalaryYearEnd]:
    return session.scalars(
        select(SalaryYearEnd).where(SalaryYearEnd.year == a_year(year)).order_by(SalaryYearEnd.account_id)
    ).all()
