"""Probation and admission: hours worked, buy-in instalments, progress against the
co-op's policy, and the admission vote opened once a candidate meets all of it.

When a candidate meets the whole policy an admission proposal opens (once per
candidacy); when it passes the candidate becomes a member that day.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Numeric, and_, cast, func, or_, select, true, union_all, update

from coopnet.database import utcnow
from coopnet.days import add_months
from coopnet.errors import Conflict, Forbidden, ValidationFailed
from coopnet.i18n import day
from coopnet.platform.models import Account, Membership
from coopnet.tenants.governance import hooks, rulebook
from coopnet.tenants.governance import services as governance
from coopnet.tenants.membership.lifecycle import (
    CENTS,
    EXIT_STATUSES,
    a_date,
    buy_in_paid,
    change_status,
    money,
    policy,
    record,
)
from coopnet.tenants.membership.models import BuyInPayment, HoursEntry, MemberRecord
from coopnet.tenants.outbox.mail import compose

SYSTEM_AUTHOR = 0  # proposals the co-op's own rules open (no member can withdraw them)
MAX_HOURS_A_DAY = Decimal(24)
ZERO = Decimal("0.00")


# --- hours -----------------------------------------------------------------------------


def worked():
    """Every piece of work that counts toward probation, as rows of (account_id, worked_on,
    hours): the one place that says where hours come from, so every sum below changes with
    it. Two sources: the timesheet (pay's time entries, to the minute) and the hours an
    officer enters by hand for work the timesheet does not hold (before the co-op used it)."""
    # pay reads membership's classes, so membership reaches pay's table only here, late.
    from coopnet.tenants.pay.models import TimeEntry

    timesheet = select(
        TimeEntry.account_id,
        TimeEntry.worked_on,
        (cast(TimeEntry.minutes, Numeric(12, 4)) / 60).label("hours"),
    )
    by_hand = select(HoursEntry.account_id, HoursEntry.worked_on, HoursEntry.hours)
    return union_all(by_hand, timesheet).subquery("worked")


def hours_worked(session, account_id: int, start: date, end: date) -> Decimal:
    """Hours worked by one person between two dates (inclusive)."""
    work = worked()
    total = session.scalar(
        select(func.coalesce(func.sum(work.c.hours), 0)).where(
            work.c.account_id == account_id, work.c.worked_on >= start, work.c.worked_on <= end
        )
    )
    return Decimal(total).quantize(CENTS)


def _hours_in_candidacy(today: date):
    """Hours each person worked from the start of their candidacy (or status) to ``today``,
    as a subquery of (account_id, hours) joined to their register entry."""
    work = worked()
    start = func.coalesce(MemberRecord.candidate_since, MemberRecord.since)
    return (
        select(work.c.account_id, func.sum(work.c.hours).label("hours"))
        .join(MemberRecord, MemberRecord.account_id == work.c.account_id)
        .where(work.c.worked_on >= start, work.c.worked_on <= today)
        .group_by(work.c.account_id)
    )


def _paid_in():
    """Buy-in paid in by each person, net of refunds, as a subquery of (account_id, paid)."""
    return select(BuyInPayment.account_id, func.sum(BuyInPayment.amount).label("paid")).group_by(
        BuyInPayment.account_id
    )


def _not_about_oneself(account_id, by):
    if account_id == by:
        raise Forbidden(_("Another officer records your own hours and payments."), code="own_record")


# No co-op on the platform has hours older than this to bring in; "0001-01-01" is a typo.
EARLIEST_WORK = date(1970, 1, 1)


def add_hours(session, tenant, account_id: int, worked_on, hours, by: int) -> HoursEntry:
    _not_about_oneself(account_id, by)
    record(session, account_id, lock=True)  # one entry at a time per person: the 24-hour check holds
    worked_on = a_date(worked_on, "worked_on", not_after=date.today())
    if worked_on < EARLIEST_WORK:
        raise ValidationFailed(
            _("That date is too far back."), {"worked_on": _("A date after %(day)s.", day=day(EARLIEST_WORK))}
        )
    try:
        amount = money(hours, "hours", allow_float=True)
    except ValidationFailed:
        raise ValidationFailed(
            _("Hours are a number such as 7.5."), {"hours": _("Hours are a number such as 7.5.")}
        ) from None
    if amount == 0 or amount > MAX_HOURS_A_DAY:
        raise ValidationFailed(
            _("A day has at most 24 hours."), {"hours": _("More than 0 and at most 24 hours for one day.")}
        )
    already = hours_worked(session, account_id, worked_on, worked_on)
    if already + amount > MAX_HOURS_A_DAY:
        raise ValidationFailed(
            _("A day has at most 24 hours."),
            {"hours": _("%(already)s hours are already recorded on %(day)s.", already=already, day=day(worked_on))},
        )
    entry = HoursEntry(account_id=account_id, worked_on=worked_on, hours=amount, entered_by=by)
    session.add(entry)
    session.flush()
    consider_admission(session, tenant, account_id)
    return entry


def hours_entries(session, account_id: int, limit: int = 200) -> list[HoursEntry]:
    query = select(HoursEntry).where(HoursEntry.account_id == account_id)
    return session.scalars(query.order_by(HoursEntry.worked_on.desc(), HoursEntry.id.desc()).limit(limit)).all()


# --- buy-in ----------------------------------------------------------------------------


def defer_entrance_fee(session, account_id: int, deferred: bool, by: int) -> MemberRecord:
    """Record that the entrance fee a person owes is deferred (TechCollective: owed, and paid
    later when the co-op and the member can), or no longer deferred (officers)."""
    _not_about_oneself(account_id, by)
    entry = record(session, account_id, lock=True)
    if entry.status in EXIT_STATUSES:
        raise Conflict(_("This person has left the co-op."), code="not_active")
    if not entry.entrance_fee_owed:
        raise Conflict(_("This person owes no entrance fee."), code="no_entrance_fee")
    entry.entrance_fee_deferred = bool(deferred)
    session.flush()
    return entry


def pay_buy_in(session, tenant, account_id: int, amount, paid_on, by: int, note: str = "") -> BuyInPayment:
    _not_about_oneself(account_id, by)
    entry = record(session, account_id, lock=True)
    if entry.status in EXIT_STATUSES:  # what is owed to someone who left is settled by refunds only
        raise Conflict(_("Buy-in is not taken from people who have left."), code="not_active")
    amount = money(amount, "amount")
    if amount == 0:
        raise ValidationFailed(_("A payment is more than zero."), {"amount": _("A payment is more than zero.")})
    due = buy_in_due(session, entry)
    if amount > due:
        raise ValidationFailed(_("That is more than is owed."), {"amount": _("Only %(due)s is still owed.", due=due)})
    payment = BuyInPayment(
        account_id=account_id,
        amount=amount,
        paid_on=a_date(paid_on, "paid_on", date.today()),
        recorded_by=by,
        note=(note or "")[:300],
    )
    session.add(payment)
    session.flush()
    consider_admission(session, tenant, account_id)
    return payment


def buy_in_due(session, entry: MemberRecord) -> Decimal:
    return max(policy(session).buy_in - buy_in_paid(session, entry.account_id), ZERO)


def payments(session, account_id: int) -> list[BuyInPayment]:
    query = select(BuyInPayment).where(BuyInPayment.account_id == account_id)
    return session.scalars(query.order_by(BuyInPayment.paid_on, BuyInPayment.id)).all()


def instalment(session) -> Decimal:
    """The amount of one instalment of the buy-in, rounded down to the cent; the
    instalments after the first few cover the rest (a payment of any amount counts
    toward the buy-in, so the remainder is simply what is still due)."""
    rules = policy(session)
    return (rules.buy_in / rules.buy_in_instalments).quantize(CENTS, rounding="ROUND_DOWN")


# --- progress against the policy ------------------------------------------------------


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def months_before(day: date, months: int) -> date:
    """The latest start from which ``months`` whole months have passed by ``day``:
    ``months_between(start, day) >= months`` exactly when ``start <= months_before(day, months)``."""
    return add_months(day, -months)


def _met(rules, months: int, hours: Decimal, due: Decimal) -> bool:
    checks = []
    if rules.probation_months is not None:
        checks.append(months >= rules.probation_months)
    if rules.probation_hours is not None:
        checks.append(hours >= rules.probation_hours)
    served = (all(checks) if rules.require == "both" else any(checks)) if checks else True
    return served and due == 0


def _progress(rules, entry, months, hours, paid, today) -> dict:
    due = max(rules.buy_in - paid, ZERO)
    return {
        "months_served": months,
        "months_required": rules.probation_months,
        "hours_served": hours,
        "hours_required": rules.probation_hours,
        "buy_in_paid": paid,
        "buy_in_due": due,
        "met": entry.status == "candidate" and _met(rules, months, hours, due),
        "admission_proposal": entry.admission_proposal_id,
    }


def probation(session, entry: MemberRecord, today: date | None = None) -> dict:
    """How far a candidate has come: months and hours served, buy-in, whether the policy is met."""
    today = today or date.today()
    start = entry.candidate_since or entry.since
    months = max(months_between(start, today), 0)
    hours = hours_worked(session, entry.account_id, start, today)
    return _progress(policy(session), entry, months, hours, buy_in_paid(session, entry.account_id), today)


def progress_of_all(session, entries: list[MemberRecord], today: date | None = None) -> dict[int, dict]:
    """``probation`` for many people in three queries (the register page)."""
    today = today or date.today()
    rules = policy(session)
    ids = [entry.account_id for entry in entries]
    if not ids:
        return {}
    hours = _hours_in_candidacy(today).subquery()
    paid = _paid_in().subquery()
    hours = dict(session.execute(select(hours.c.account_id, hours.c.hours).where(hours.c.account_id.in_(ids))).all())
    paid = dict(session.execute(select(paid.c.account_id, paid.c.paid).where(paid.c.account_id.in_(ids))).all())
    return {
        entry.account_id: _progress(
            rules,
            entry,
            max(months_between(entry.candidate_since or entry.since, today), 0),
            Decimal(hours.get(entry.account_id, 0)).quantize(CENTS),
            Decimal(paid.get(entry.account_id, 0)).quantize(CENTS),
            today,
        )
        for entry in entries
    }


def ready_for_admission(session, today: date | None = None) -> list[int]:
    """Candidates with no admission vote yet who meet the whole policy today: one query
    over every candidate (the daily check), the same test as ``probation``'s "met"."""
    today = today or date.today()
    rules = policy(session)
    start = func.coalesce(MemberRecord.candidate_since, MemberRecord.since)
    hours = _hours_in_candidacy(today).where(MemberRecord.status == "candidate").subquery()
    paid = _paid_in().subquery()
    checks = []
    if rules.probation_months is not None:
        checks.append(start <= months_before(today, rules.probation_months))
    if rules.probation_hours is not None:
        # Rounded to the cent as ``probation`` shows them, so the page and the check agree
        # on a sum of minutes such as 31,200 single minutes (519.99...98 unrounded).
        checks.append(func.round(func.coalesce(hours.c.hours, 0), 2) >= rules.probation_hours)
    served = (and_(*checks) if rules.require == "both" else or_(*checks)) if checks else true()
    query = (
        select(MemberRecord.account_id)
        .outerjoin(hours, hours.c.account_id == MemberRecord.account_id)
        .outerjoin(paid, paid.c.account_id == MemberRecord.account_id)
        .where(
            MemberRecord.status == "candidate",
            MemberRecord.admission_proposal_id.is_(None),
            served,
            func.coalesce(paid.c.paid, 0) >= rules.buy_in,
        )
    )
    return list(session.scalars(query.order_by(MemberRecord.account_id)))


# --- admission -------------------------------------------------------------------------


def consider_admission(session, tenant, account_id: int, today: date | None = None) -> int | None:
    """Open the admission proposal when a candidate meets the whole policy: once per
    candidacy (a conditional update claims it). Returns the proposal id, if opened now."""
    entry = record(session, account_id)
    if entry.status != "candidate" or entry.admission_proposal_id is not None:
        return None
    if not probation(session, entry, today)["met"]:
        return None
    current = rulebook.current(session)
    if current is None or "admission" not in current.categories:
        return None
    person = session.get(Account, account_id)
    window = rulebook.rule_for(current, "admission").window_days
    proposal = governance.open_proposal(
        session,
        tenant,
        SYSTEM_AUTHOR,
        "admission",
        f"Admit {person.name} as a member",
        f"{person.name} has completed probation under the co-op's policy.",
        utcnow() + timedelta(days=window),
    )
    claimed = session.execute(
        update(MemberRecord)
        .where(MemberRecord.account_id == account_id, MemberRecord.admission_proposal_id.is_(None))
        .values(admission_proposal_id=proposal.id)
        .returning(MemberRecord.account_id)
    ).scalar()
    if claimed is None:  # another check opened it a moment ago
        raise Conflict(_("An admission proposal is already open for this candidacy."), code="admission_open")
    return proposal.id


def admins(session, tenant) -> list[tuple[str, str]]:
    return session.execute(
        select(Account.name, Account.email)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == tenant.id, Membership.role == "admin")
    ).all()


@hooks.after_close
def admit_when_passed(session, tenant, proposal):
    """A passed admission proposal makes the candidate a member that day; a failed one
    leaves them a candidate (their next candidacy may open a new one)."""
    if proposal.category != "admission":
        return
    entry = session.scalar(select(MemberRecord).where(MemberRecord.admission_proposal_id == proposal.id))
    if entry is None or entry.status != "candidate":
        return
    if proposal.outcome == "passed":
        change_status(
            session,
            tenant,
            entry.account_id,
            "member",
            date.today(),
            None,
            f"admitted by proposal {proposal.id}",
            proposal_id=proposal.id,
        )
    else:
        # They stay a candidate; the officers decide what comes next (a new candidacy
        # from a later date opens a new vote when the policy is met again).
        person = session.get(Account, entry.account_id)
        for name, email in admins(session, tenant):
            compose(
                session,
                tenant,
                to=email,
                subject=f"[{tenant.name}] Admission not agreed: {person.name}",
                body=f"Hello {name},\n\nThe vote to admit {person.name} ended {proposal.outcome.replace('_', ' ')}. "
                f"{person.name} stays a candidate; the register shows their probation.\n",
            )
