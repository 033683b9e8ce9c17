"""The co-op's expenses (rent, software, a contractor): what comes off a fiscal year's income
before its surplus is split. Amounts are integer cents above zero.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.database import hold
from coopnet.days import checked_year, parse_day
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.money import cents
from coopnet.tenants.pay.models import Expense, SurplusAllocation
from coopnet.tenants.pay.surplus import year_bounds

MAX_DESCRIPTION = 500
MAX_CATEGORY = 100


def fiscal_year_of(session, day: date) -> int:
    """The fiscal year (the year it starts in) that ``day`` falls in."""
    start, _end = year_bounds(session, day.year)
    return day.year if day >= start else day.year - 1


def expense_from(values: dict) -> dict:
    """An expense's fields from what a person sent (the amount as text such as "120.00"); every
    problem at once."""
    problems = {}
    try:
        amount = cents(values.get("amount"), "amount")
        if amount <= 0:
            problems["amount"] = _("An expense is more than 0.00.")
    except ValidationFailed as error:
        amount, problems = None, dict(error.fields)
    spent_on = parse_day(values.get("spent_on"))
    if spent_on is None:
        problems["spent_on"] = _("Give the day, such as 2026-03-02.")
    description = values.get("description")
    description = description.strip() if isinstance(description, str) else ""
    if not description or len(description) > MAX_DESCRIPTION:
        problems["description"] = _("Say what it was for in at most 500 characters.")
    category = values.get("category") or ""
    category = category.strip() if isinstance(category, str) else None
    if category is None or len(category) > MAX_CATEGORY:
        problems["category"] = _("A category of at most 100 characters, such as rent.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    return {"amount": amount, "spent_on": spent_on, "description": description, "category": category}


def hold_the_books(session) -> None:
    """Expenses are written, and a year split, one transaction at a time to its end: an expense
    recorded as its year is split would be in neither the split nor a year still open."""
    hold(session, "books")


def record(session, by: int, values: dict) -> Expense:
    checked = expense_from(values)
    hold_the_books(session)
    refuse_a_split_year(session, fiscal_year_of(session, checked["spent_on"]), "spent_on")
    expense = Expense(recorded_by=by, **checked)
    session.add(expense)
    session.flush()
    return expense


def listing(session, fiscal_year: int | None = None) -> tuple[int, list[Expense]]:
    """(total in cents, expenses the latest day first): every one, or a fiscal year's."""
    query = select(Expense).order_by(Expense.spent_on.desc(), Expense.id.desc())
    if fiscal_year is not None:
        start, end = year_bounds(session, checked_year(fiscal_year))
        query = query.where(Expense.spent_on >= start, Expense.spent_on <= end)
    found = session.scalars(query).all()
    return sum(e.amount for e in found), found


def remove(session, expense_id: int) -> None:
    """Remove an expense entered by mistake; not once its year's surplus is split (409)."""
    hold_the_books(session)
    expense = session.scalar(select(Expense).where(Expense.id == expense_id).with_for_update())
    if expense is None:
        raise NotFound(_("No such expense."))
    refuse_a_split_year(session, fiscal_year_of(session, expense.spent_on))
    session.delete(expense)
    session.flush()


def refuse_a_split_year(session, year: int, field: str | None = None) -> None:
    """A split year's books are settled: no expense, client payment or pay run comes or goes.
    The caller holds the books (``hold_the_books``) so that a split cannot start meanwhile."""
    if session.scalar(select(SurplusAllocation.id).where(SurplusAllocation.fiscal_year == year)) is not None:
        raise Conflict(
            _("The %(fiscal_year)s surplus is already split: its books are settled.", fiscal_year=year),
            {field: _("That fiscal year's surplus is split.")} if field else None,
            code="year_split",
        )
