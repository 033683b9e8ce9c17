"""A person's lifecycle in the co-op: the register, statuses, probation, buy-in and admission.

Admission and exit are the co-op's decisions: when a candidate meets the whole
probation policy an admission proposal opens (once per candidacy), and when it
passes the candidate becomes a member that day.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, Forbidden, NotFound, ValidationFailed
from coopnet.money import cents
from coopnet.platform.models import Account, Membership
from coopnet.tenants.governance import hooks, rulebook
from coopnet.tenants.governance import services as governance
from coopnet.tenants.membership.models import BuyInPayment, HoursEntry, MemberRecord, MembershipPolicy, StatusChange
from coopnet.tenants.outbox.mail import compose

STATUSES = ("applicant", "candidate", "member", "leave", "withdrawn", "expelled")
CLASSES = ("member", "trainee")
# Where each status may go; "member" from "candidate" only through a passed admission proposal.
TRANSITIONS = {
    "applicant": {"candidate", "withdrawn"},
    "candidate": {"member", "withdrawn", "expelled"},
    "member": {"leave", "withdrawn", "expelled"},
    "leave": {"member", "withdrawn", "expelled"},
    "withdrawn": {"applicant"},
    "expelled": set(),
}
# The coarse access grant each status gives on the shared membership row (admins keep theirs).
ACCESS = {"applicant": "candidate", "candidate": "candidate", "member": "member", "leave": "member"}
CENTS = Decimal("0.01")
SYSTEM_AUTHOR = 0  # proposals the co-op's own rules open (no member can withdraw them)
MAX_HOURS_A_DAY = Decimal(24)


# --- values as people type them --------------------------------------------------


def money(value, field, allow_float: bool = False) -> Decimal:
    """A non-negative amount with at most two decimals, from "5000.00" or 5000 (hours
    may come as a JSON number such as 130.5, read from its shortest decimal form)."""
    if allow_float and isinstance(value, float):
        value = repr(value)
    return (Decimal(cents(value, field)) / 100).quantize(CENTS)


def a_date(value, field, not_after: date | None = None) -> date:
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationFailed("Give a date such as 2026-05-01.", {field: "Give a date such as 2026-05-01."}) from None
    if not_after is not None and parsed > not_after:
        raise ValidationFailed("That date is in the future.", {field: "This date cannot be in the future."})
    return parsed


# --- the policy ----------------------------------------------------------------------


def policy(session) -> MembershipPolicy:
    found = session.get(MembershipPolicy, 1)
    return (
        found
        if found is not None
        else MembershipPolicy(
            id=1,
            require="both",
            buy_in=Decimal("0.00"),
            buy_in_instalments=1,
            entrance_fee=Decimal("0.00"),
            currency="USD",
        )
    )


def set_policy(session, values: dict) -> MembershipPolicy:
    problems, checked = {}, {}
    for field in ("probation_months",):
        value = values.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120):
            problems[field] = "Months of probation: a whole number from 0 to 120, or null."
        checked[field] = value
    hours = values.get("probation_hours")
    if hours is not None:
        try:
            hours = money(hours, "probation_hours")
        except ValidationFailed:
            problems["probation_hours"] = "Hours of probation: a number such as 520, or null."
    checked["probation_hours"] = hours
    if values.get("require", "both") not in ("both", "either"):
        problems["require"] = "Require 'both' months and hours, or 'either'."
    checked["require"] = values.get("require", "both")
    for field in ("buy_in", "entrance_fee"):
        try:
            checked[field] = money(values.get(field, "0.00"), field)
        except ValidationFailed as error:
            problems.update(error.fields)
    instalments = values.get("buy_in_instalments", 1)
    if isinstance(instalments, bool) or not isinstance(instalments, int) or not 1 <= instalments <= 120:
        problems["buy_in_instalments"] = "Instalments: a whole number from 1 to 120."
    checked["buy_in_instalments"] = instalments
    currency = values.get("currency", "USD")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        problems["currency"] = "A three-letter currency code, such as USD."
    checked["currency"] = currency.upper() if isinstance(currency, str) else currency
    if problems:
        raise ValidationFailed("Some fields are missing or invalid.", problems)
    found = session.get(MembershipPolicy, 1)
    if found is None:
        found = MembershipPolicy(id=1)
        session.add(found)
    for key, value in checked.items():
        setattr(found, key, value)
    found.updated_at = utcnow()
    session.flush()
    return found


# --- the register --------------------------------------------------------------------


def record(session, account_id: int, lock: bool = False) -> MemberRecord:
    query = select(MemberRecord).where(MemberRecord.account_id == account_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound("No such person in this co-op's register.")
    return found


def register(session) -> list[tuple[MemberRecord, Account]]:
    rows = session.execute(
        select(MemberRecord, Account).join(Account, Account.id == MemberRecord.account_id).order_by(Account.name)
    )
    return rows.all()


def enrol(
    session, tenant, account: Account, status: str, since, member_class: str, by: int, reason: str = ""
) -> MemberRecord:
    """Put a person in the register with a status that began on ``since`` (a co-op moving
    off spreadsheets has members who joined years ago)."""
    problems = {}
    if status not in STATUSES:
        problems["status"] = f"Choose one of: {', '.join(STATUSES)}."
    if member_class not in CLASSES:
        problems["class"] = f"Choose one of: {', '.join(CLASSES)}."
    try:
        since = a_date(since, "since", not_after=date.today())
    except ValidationFailed as error:
        problems.update(error.fields)
    if problems:
        raise ValidationFailed("Some fields are missing or invalid.", problems)
    if session.get(MemberRecord, account.id) is not None:
        raise Conflict(f"{account.email} is already in the register.", code="already_registered")
    entry = MemberRecord(
        account_id=account.id,
        status=status,
        since=since,
        member_class=member_class,
        candidate_since=since if status == "candidate" else None,
        entrance_fee_owed=policy(session).entrance_fee,
    )
    session.add(entry)
    session.add(
        StatusChange(
            account_id=account.id,
            from_status=None,
            to_status=status,
            effective_on=since,
            changed_by=by,
            reason=reason or "entered in the register",
        )
    )
    _grant_access(session, tenant, account.id, status)
    session.flush()
    return entry


def change_status(
    session,
    tenant,
    account_id: int,
    to_status: str,
    on,
    by: int | None,
    reason: str = "",
    proposal_id: int | None = None,
) -> MemberRecord:
    """Move a person to another status; each change is audited. A candidate becomes a
    member only through a passed admission proposal (``proposal_id``)."""
    entry = record(session, account_id, lock=True)
    on = a_date(on or date.today(), "on", not_after=date.today())
    if to_status not in STATUSES:
        raise ValidationFailed("Unknown status.", {"status": f"Choose one of: {', '.join(STATUSES)}."})
    if to_status not in TRANSITIONS[entry.status]:
        raise Conflict(
            f"A person cannot go from {entry.status} to {to_status}.",
            {"status": f"Not allowed from {entry.status}."},
            code="status_not_allowed",
        )
    if entry.status == "candidate" and to_status == "member" and proposal_id is None:
        raise Conflict("A candidate becomes a member through a passed admission proposal.", code="admission_required")
    if on < entry.since:
        raise ValidationFailed(
            "A change cannot come before the current status began.", {"on": f"On or after {entry.since.isoformat()}."}
        )
    session.add(
        StatusChange(
            account_id=account_id,
            from_status=entry.status,
            to_status=to_status,
            effective_on=on,
            changed_by=by,
            proposal_id=proposal_id,
            reason=(reason or "").strip()[:2000],
        )
    )
    entry.status, entry.since = to_status, on
    if to_status == "candidate":
        entry.candidate_since, entry.admission_proposal_id = on, None
    _grant_access(session, tenant, account_id, to_status)
    session.flush()
    return entry


def _grant_access(session, tenant, account_id, status):
    """Keep the shared access row in step: candidates and members may log in to the
    co-op; a person who left has no access. Admins still here keep their admin grant."""
    membership = session.scalar(
        select(Membership).where(Membership.tenant_id == tenant.id, Membership.account_id == account_id)
    )
    role = ACCESS.get(status)
    if role is None:
        if membership is not None:  # someone who left keeps no access, an admin grant included
            session.delete(membership)
    elif membership is None:
        session.add(Membership(tenant_id=tenant.id, account_id=account_id, role=role))
    elif membership.role != "admin":
        membership.role = role


def history(session, account_id: int) -> list[StatusChange]:
    query = select(StatusChange).where(StatusChange.account_id == account_id)
    return session.scalars(query.order_by(StatusChange.effective_on, StatusChange.id)).all()


# --- hours, buy-in, probation --------------------------------------------------------


def hours_worked(session, account_id: int, start: date, end: date) -> Decimal:
    """Hours worked by one person between two dates (inclusive): the one place that
    answers it, so time tracking can become the source without touching the rest."""
    total = session.scalar(
        select(func.coalesce(func.sum(HoursEntry.hours), 0)).where(
            HoursEntry.account_id == account_id, HoursEntry.worked_on >= start, HoursEntry.worked_on <= end
        )
    )
    return Decimal(total).quantize(CENTS)


def _not_about_oneself(account_id, by):
    if account_id == by:
        raise Forbidden("Another officer records your own hours and payments.", code="own_record")


def is_member(session, tenant, account_id: int) -> bool:
    """Does this person have access to the co-op (the shared grant)?"""
    query = select(Membership.id).where(Membership.tenant_id == tenant.id, Membership.account_id == account_id)
    return session.scalar(query) is not None


def add_hours(session, tenant, account_id: int, worked_on, hours, by: int) -> HoursEntry:
    _not_about_oneself(account_id, by)
    record(session, account_id, lock=True)  # one entry at a time per person: the 24-hour check holds
    worked_on = a_date(worked_on, "worked_on", not_after=date.today())
    try:
        amount = money(hours, "hours", allow_float=True)
    except ValidationFailed:
        raise ValidationFailed(
            "Hours are a number such as 7.5.", {"hours": "Hours are a number such as 7.5."}
        ) from None
    if amount == 0 or amount > MAX_HOURS_A_DAY:
        raise ValidationFailed(
            "A day has at most 24 hours.", {"hours": "More than 0 and at most 24 hours for one day."}
        )
    already = hours_worked(session, account_id, worked_on, worked_on)
    if already + amount > MAX_HOURS_A_DAY:
        raise ValidationFailed(
            "A day has at most 24 hours.",
            {"hours": f"{already} hours are already recorded on {worked_on.isoformat()}."},
        )
    entry = HoursEntry(account_id=account_id, worked_on=worked_on, hours=amount, entered_by=by)
    session.add(entry)
    session.flush()
    consider_admission(session, tenant, account_id)
    return entry


def pay_buy_in(session, tenant, account_id: int, amount, paid_on, by: int, note: str = "") -> BuyInPayment:
    _not_about_oneself(account_id, by)
    entry = record(session, account_id, lock=True)
    amount = money(amount, "amount")
    if amount == 0:
        raise ValidationFailed("A payment is more than zero.", {"amount": "A payment is more than zero."})
    due = buy_in_due(session, entry)
    if amount > due:
        raise ValidationFailed("That is more than is owed.", {"amount": f"Only {due} is still owed."})
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


def buy_in_paid(session, account_id: int) -> Decimal:
    paid = session.scalar(
        select(func.coalesce(func.sum(BuyInPayment.amount), 0)).where(BuyInPayment.account_id == account_id)
    )
    return Decimal(paid).quantize(CENTS)


def buy_in_due(session, entry: MemberRecord) -> Decimal:
    return max(policy(session).buy_in - buy_in_paid(session, entry.account_id), Decimal("0.00"))


def instalment(session) -> Decimal:
    """One instalment of the buy-in: the last one takes the remainder, so they sum exactly."""
    rules = policy(session)
    return (rules.buy_in / rules.buy_in_instalments).quantize(CENTS, rounding="ROUND_DOWN")


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def probation(session, entry: MemberRecord, today: date | None = None) -> dict:
    """How far a candidate has come: months and hours served, buy-in, whether the policy is met."""
    today = today or date.today()
    rules = policy(session)
    start = entry.candidate_since or entry.since
    months = max(months_between(start, today), 0)
    hours = hours_worked(session, entry.account_id, start, today)
    paid, due = buy_in_paid(session, entry.account_id), buy_in_due(session, entry)
    checks = []
    if rules.probation_months is not None:
        checks.append(months >= rules.probation_months)
    if rules.probation_hours is not None:
        checks.append(hours >= rules.probation_hours)
    served = (all(checks) if rules.require == "both" else any(checks)) if checks else True
    return {
        "months_served": months,
        "months_required": rules.probation_months,
        "hours_served": hours,
        "hours_required": rules.probation_hours,
        "buy_in_paid": paid,
        "buy_in_due": due,
        "met": entry.status == "candidate" and served and due == 0,
        "admission_proposal": entry.admission_proposal_id,
    }


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
        raise Conflict("An admission proposal is already open for this candidacy.", code="admission_open")
    return proposal.id


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
        admins = session.execute(
            select(Account.name, Account.email)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.tenant_id == tenant.id, Membership.role == "admin")
        ).all()
        for name, email in admins:
            compose(
                session,
                tenant,
                to=email,
                subject=f"[{tenant.name}] Admission not agreed: {person.name}",
                body=f"Hello {name},\n\nThe vote to admit {person.name} ended {proposal.outcome.replace('_', ' ')}. "
                f"{person.name} stays a candidate; the register shows their probation.\n",
            )


def exit_owed(session, account_id: int) -> Decimal:
    """What the co-op owes back at exit: the buy-in paid in (the capital account later)."""
    return buy_in_paid(session, account_id)


def refund_at_exit(session, account_id: int, by: int, on: date) -> BuyInPayment | None:
    owed = exit_owed(session, account_id)
    if owed <= 0:
        return None
    refund = BuyInPayment(account_id=account_id, amount=-owed, paid_on=on, recorded_by=by, note="refunded at exit")
    session.add(refund)
    session.flush()
    return refund
