"""A fiscal year's net surplus computed from the books: paid invoices (by the day paid) less the
gross pay of finalised runs whose period ends in the year, less the year's expenses.

Gross pay, not net: the member fee deducted from pay stays with the co-op (it is the co-op's
own money, never paid out), so the year's cost of pay is the whole gross. A pay adjustment paid
in a run (a correction of earlier gross pay) counts with that run.

Who commits: the caller; these functions only read, except ``allocate``, which flushes.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet.days import checked_year
from coopnet.errors import ValidationFailed
from coopnet.money import show
from coopnet.tenants.pay import surplus
from coopnet.tenants.pay.expenses import hold_the_books
from coopnet.tenants.pay.models import Expense, Invoice, PayLine, PayRun, SurplusAllocation
from coopnet.tenants.pay.surplus import year_bounds


@dataclass(frozen=True)
class NetSurplus:
    fiscal_year: int
    income: int  # cents
    pay: int
    expenses: int

    @property
    def net(self) -> int:
        return self.income - self.pay - self.expenses


def compute(session, fiscal_year: int) -> NetSurplus:
    """The year's income, pay, expenses and net, in cents (three queries)."""
    year = checked_year(fiscal_year)
    start, end = year_bounds(session, year)
    income = session.scalar(
        select(func.coalesce(func.sum(Invoice.total), 0)).where(
            Invoice.status == "paid", Invoice.paid_on >= start, Invoice.paid_on <= end
        )
    )
    pay = session.scalar(
        select(func.coalesce(func.sum(PayLine.gross + PayLine.adjustment), 0))
        .join(PayRun, PayRun.id == PayLine.run_id)
        .where(PayRun.status == "final", PayRun.period_end >= start, PayRun.period_end <= end)
    )
    spent = session.scalar(
        select(func.coalesce(func.sum(Expense.amount), 0)).where(Expense.spent_on >= start, Expense.spent_on <= end)
    )
    return NetSurplus(year, int(income), int(pay), int(spent))


def as_json(found: NetSurplus) -> dict:
    return {
        "fiscal_year": found.fiscal_year,
        "income": show(found.income),
        "pay": show(found.pay),
        "expenses": show(found.expenses),
        "net": show(found.net),
    }


def allocate(session, by: int, fiscal_year, amount) -> SurplusAllocation:
    """Split the year's surplus as given (a decimal string) or, when none is given, the computed
    net surplus; a net of zero or less leaves nothing to split (422)."""
    hold_the_books(session)
    if amount is None or amount == "":
        found = compute(session, fiscal_year)
        if found.net <= 0:
            raise ValidationFailed(
                _(
                    "The %(fiscal_year)s net surplus is %(amount)s: there is nothing to split.",
                    fiscal_year=found.fiscal_year,
                    amount=show(found.net),
                ),
                {"surplus": _("Income less pay and expenses is not above zero; enter the surplus instead.")},
                code="no_surplus",
            )
        amount = show(found.net)
    return surplus.allocate(session, by, fiscal_year, amount)
