"""The year-end surplus: the co-op's policy, each year's split, and capital accounts.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date
from fractions import Fraction

from flask_babel import gettext
from sqlalchemy import func, select

from coopnet.days import checked_year
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.money import cents, share, show_share
from coopnet.tenants.pay import instalments
from coopnet.tenants.pay import split as splitting
from coopnet.tenants.pay.models import AllocationLine, CapitalEntry, PayLine, PayRun, SurplusAllocation, SurplusPolicy
from coopnet.tenants.pay.timesheets import minutes_between

BASES = ("hours", "pay")


def policy(session) -> SurplusPolicy | None:
    return session.get(SurplusPolicy, 1)


def set_policy(session, values: dict) -> SurplusPolicy:
    problems = {}

    def checked_share(value, field):
        try:
            return share(value, field)
        except ValidationFailed as error:
            problems.update(error.fields)
            return Fraction(0)

    reserve = checked_share(values.get("reserve_share", "0"), "reserve_share")
    funds = []
    raw_funds = values.get("funds") or []
    if not isinstance(raw_funds, list) or len(raw_funds) > 10:
        problems["funds"] = gettext("Funds are a list of at most 10 names and shares.")
        raw_funds = []
    for index, fund in enumerate(raw_funds):
        name = (fund.get("name") or "").strip() if isinstance(fund, dict) else ""
        if not name or len(name) > 100:
            problems[f"funds.{index}.name"] = gettext("Name the fund.")
        funds.append(
            (name, checked_share(fund.get("share") if isinstance(fund, dict) else None, f"funds.{index}.share"))
        )
    cash = checked_share(values.get("cash_share", "0.20"), "cash_share")
    if values.get("basis", "hours") not in BASES:
        problems["basis"] = gettext("Split by 'hours' worked or by 'pay'.")
    count = values.get("cash_instalments", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 24:
        problems["cash_instalments"] = gettext("Pay cash in 1 to 24 instalments.")
    every = values.get("instalment_months", 1)
    if isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= 12:
        problems["instalment_months"] = gettext("Instalments fall 1 to 12 months apart.")
    start = values.get("fiscal_year_start", "01-01")
    try:
        date.fromisoformat(f"2023-{start}")  # not a leap year: February 29 starts no year
    except (TypeError, ValueError):
        problems["fiscal_year_start"] = gettext("The fiscal year's first day as MM-DD, such as 07-01.")
    if not problems and reserve + sum(s for _, s in funds) > 1:
        problems["reserve_share"] = gettext("The reserve and the funds add up to more than 100%.")
    if problems:
        raise ValidationFailed(gettext("Some fields are missing or invalid."), problems)
    found = policy(session) or SurplusPolicy(id=1)
    found.reserve_share = str(reserve)
    found.funds = [{"name": name, "share": str(s)} for name, s in funds]
    found.cash_share, found.basis = str(cash), values.get("basis", "hours")
    found.cash_instalments, found.instalment_months, found.fiscal_year_start = count, every, start
    session.add(found)
    session.flush()
    return found


def policy_out(found: SurplusPolicy) -> dict:
    return {
        "reserve_share": show_share(Fraction(found.reserve_share)),
        "funds": [{"name": f["name"], "share": show_share(Fraction(f["share"]))} for f in found.funds],
        "basis": found.basis,
        "cash_share": show_share(Fraction(found.cash_share)),
        "cash_instalments": found.cash_instalments,
        "instalment_months": found.instalment_months,
        "fiscal_year_start": found.fiscal_year_start,
    }


def fiscal_year(found: SurplusPolicy, year: int) -> tuple[date, date]:
    start = date.fromisoformat(f"{year}-{found.fiscal_year_start}")
    following = date.fromisoformat(f"{year + 1}-{found.fiscal_year_start}")
    return start, date.fromordinal(following.toordinal() - 1)


def year_bounds(session, year: int) -> tuple[date, date]:
    """The fiscal year starting in ``year``: its first and last day (the calendar year when the
    co-op has no surplus policy yet)."""
    found = policy(session)
    if found is None:
        return date(year, 1, 1), date(year, 12, 31)
    return fiscal_year(found, year)


def allocate(session, by: int, fiscal_year_: int, surplus) -> SurplusAllocation:
    """Split a year's surplus by the policy; the parts sum exactly to the surplus, and
    each member's retained part is credited to their capital account."""
    found = policy(session)
    if found is None:
        raise Conflict(gettext("Set the surplus policy first."), code="no_surplus_policy")
    checked_year(fiscal_year_)
    amount = cents(surplus, "surplus")
    if amount == 0:
        raise ValidationFailed(
            gettext("There is nothing to split."), {"surplus": gettext("A surplus is more than 0.00.")}
        )
    if session.scalar(select(SurplusAllocation.id).where(SurplusAllocation.fiscal_year == fiscal_year_)):
        raise Conflict(
            gettext("The %(fiscal_year)s surplus is already split.", fiscal_year=fiscal_year_), code="already_split"
        )
    start, end = fiscal_year(found, fiscal_year_)
    minutes = minutes_between(session, start, end)
    weights = minutes if found.basis == "hours" else pay_between(session, start, end)
    if not any(weight > 0 for weight in weights.values()):
        raise ValidationFailed(
            gettext(
                "Nobody logged %(value)s in %(fiscal_year)s: there is nothing to split by.",
                value="hours" if found.basis == "hours" else "pay",
                fiscal_year=fiscal_year_,
            ),
            {"fiscal_year": gettext("No hours were logged in that year.")},
        )
    result = splitting.split(
        amount,
        Fraction(found.reserve_share),
        [(f["name"], Fraction(f["share"])) for f in found.funds],
        weights,
        Fraction(found.cash_share),
    )
    allocation = SurplusAllocation(
        fiscal_year=fiscal_year_,
        surplus=amount,
        reserve=result.reserve,
        basis=found.basis,
        created_by=by,
        funds=[{"name": name, "amount": value} for name, value in result.funds],
    )
    for member in result.members:
        allocation.members.append(
            AllocationLine(
                account_id=member.account_id,
                minutes=minutes.get(member.account_id, 0),
                weight=member.weight,
                allocation=member.allocation,
                cash=member.cash,
                retained=member.retained,
            )
        )
    session.add(allocation)
    session.flush()
    session.add(
        CapitalEntry(
            account_id=None,
            kind="reserve",
            amount=result.reserve,
            entry_on=end,
            allocation_id=allocation.id,
            note=f"{fiscal_year_} reserve",
        )
    )
    for member in result.members:
        if member.retained:
            session.add(
                CapitalEntry(
                    account_id=member.account_id,
                    kind="allocation",
                    amount=member.retained,
                    entry_on=end,
                    allocation_id=allocation.id,
                    note=f"{fiscal_year_} retained allocation",
                )
            )
    session.flush()
    instalments.make_schedule(session, allocation, end, found.cash_instalments, found.instalment_months)
    return allocation


def pay_between(session, start: date, end: date) -> dict[int, int]:
    rows = session.execute(
        select(PayLine.account_id, func.sum(PayLine.gross))
        .join(PayRun, PayRun.id == PayLine.run_id)
        .where(PayRun.status == "final", PayRun.period_start >= start, PayRun.period_end <= end)
        .group_by(PayLine.account_id)
    )
    return {account_id: int(total) for account_id, total in rows}


def allocations(session) -> list[SurplusAllocation]:
    """Every year's split, the latest year first."""
    return session.scalars(select(SurplusAllocation).order_by(SurplusAllocation.fiscal_year.desc())).all()


def get_allocation(session, allocation_id: int) -> SurplusAllocation:
    found = session.get(SurplusAllocation, allocation_id)
    if found is None:
        raise NotFound(gettext("No such allocation."))
    return found


def capital_account(session, account_id: int | None, on: date | None = None) -> tuple[int, list[CapitalEntry]]:
    """(balance in cents, entries) of a member's capital account, or the reserve's (None)."""
    query = select(CapitalEntry).where(
        CapitalEntry.account_id.is_(None) if account_id is None else CapitalEntry.account_id == account_id
    )
    if on is not None:
        query = query.where(CapitalEntry.entry_on <= on)
    entries = session.scalars(query.order_by(CapitalEntry.entry_on, CapitalEntry.id)).all()
    return sum(e.amount for e in entries), entries


def capital_balances(session) -> tuple[dict[int, int], int]:
    """({account_id: balance in cents}, the collective reserve's balance), in one query."""
    rows = session.execute(
        select(CapitalEntry.account_id, func.sum(CapitalEntry.amount)).group_by(CapitalEntry.account_id)
    ).all()
    balances = {account_id: int(total) for account_id, total in rows}
    return {k: v for k, v in balances.items() if k is not None}, balances.get(None, 0)


def allocation_line(session, allocation_id: int, account_id: int) -> tuple[SurplusAllocation, AllocationLine]:
    """One member's line of a year's split; 404 when they had no part in it."""
    found = get_allocation(session, allocation_id)
    line = next((m for m in found.members if m.account_id == account_id), None)
    if line is None:
        raise NotFound(gettext("This member had no part in that year's surplus."))
    return found, line


def latest_allocation(session) -> SurplusAllocation | None:
    return session.scalar(select(SurplusAllocation).order_by(SurplusAllocation.fiscal_year.desc()).limit(1))


def record_capital(session, account_id: int, kind: str, amount, on, note: str = "") -> CapitalEntry:
    if kind not in ("buy_in", "payout", "loss", "redemption"):
        raise ValidationFailed(gettext("Unknown entry."), {"kind": gettext("One of buy_in, payout, loss, redemption.")})
    value = cents(amount, "amount")
    if kind in ("payout", "loss", "redemption"):
        value = -value
    try:
        on = date.fromisoformat(str(on))
    except ValueError:
        raise ValidationFailed(gettext("Give the date."), {"entry_on": gettext("A date such as 2026-12-31.")}) from None
    entry = CapitalEntry(account_id=account_id, kind=kind, amount=value, entry_on=on, note=(note or "")[:300])
    session.add(entry)
    session.flush()
    return entry
