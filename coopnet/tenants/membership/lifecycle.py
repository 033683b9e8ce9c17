"""A person's place in the co-op: the register, dated statuses (each change audited) and
the probation policy. Probation and admission are in ``probation``, exits in ``exits``.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import day
from coopnet.money import cents
from coopnet.platform.models import Account, Membership
from coopnet.tenants.governance import rulebook
from coopnet.tenants.membership.models import (
    EXIT_STATUSES,
    BuyInPayment,
    DutyShift,
    MemberExit,
    MemberRecord,
    MembershipPolicy,
    OfficerTerm,
    ShiftSwap,
    StatusChange,
)
from coopnet.tenants.pay.models import CapitalEntry

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
# A rulebook may give exits a category of their own; then only a passed proposal in it
# moves someone out (recording one by hand is refused).
OWN_EXIT_CATEGORY = {"withdrawn": "withdrawal", "expelled": "expulsion"}
CENTS = Decimal("0.01")


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
        raise ValidationFailed(
            _("Give a date such as 2026-05-01."), {field: _("Give a date such as 2026-05-01.")}
        ) from None
    if not_after is not None and parsed > not_after:
        raise ValidationFailed(_("That date is in the future."), {field: _("This date cannot be in the future.")})
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
            problems[field] = _("Months of probation: a whole number from 0 to 120, or null.")
        checked[field] = value
    hours = values.get("probation_hours")
    if hours is not None:
        try:
            hours = money(hours, "probation_hours")
        except ValidationFailed:
            problems["probation_hours"] = _("Hours of probation: a number such as 520, or null.")
    checked["probation_hours"] = hours
    if values.get("require", "both") not in ("both", "either"):
        problems["require"] = _("Require 'both' months and hours, or 'either'.")
    checked["require"] = values.get("require", "both")
    for field in ("buy_in", "entrance_fee"):
        try:
            checked[field] = money(values.get(field, "0.00"), field)
        except ValidationFailed as error:
            problems.update(error.fields)
    instalments = values.get("buy_in_instalments", 1)
    if isinstance(instalments, bool) or not isinstance(instalments, int) or not 1 <= instalments <= 120:
        problems["buy_in_instalments"] = _("Instalments: a whole number from 1 to 120.")
    checked["buy_in_instalments"] = instalments
    currency = values.get("currency", "USD")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        problems["currency"] = _("A three-letter currency code, such as USD.")
    checked["currency"] = currency.upper() if isinstance(currency, str) else currency
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    found = session.get(MembershipPolicy, 1)
    current = found.currency if found is not None else "USD"
    if checked["currency"] != current and session.scalar(select(BuyInPayment.id).limit(1)) is not None:
        # Payments and amounts owed carry no currency of their own: changing it would relabel them.
        raise Conflict(
            _("Buy-in payments are recorded in %(currency)s; the currency can no longer change.", currency=current),
            {"currency": _("Keep %(currency)s.", currency=current)},
            code="currency_in_use",
        )
    if found is None:
        found = MembershipPolicy(id=1)
        session.add(found)
    for key, value in checked.items():
        setattr(found, key, value)
    found.updated_at = utcnow()
    session.flush()
    return found


# --- the register --------------------------------------------------------------------


def require_active(session, account_id: int) -> MemberRecord:
    """The register entry of someone who has not left (officer terms and shifts are for them), else a 409."""
    entry = record(session, account_id)
    if entry.status in EXIT_STATUSES:
        raise Conflict(_("This person has left the co-op."), code="not_active")
    return entry


def record(session, account_id: int, lock: bool = False) -> MemberRecord:
    query = select(MemberRecord).where(MemberRecord.account_id == account_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(_("No such person in this co-op's register."))
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
        problems["status"] = _("Choose one of: %(values)s.", values=", ".join(STATUSES))
    if member_class not in CLASSES:
        problems["class"] = _("Choose one of: %(values)s.", values=", ".join(CLASSES))
    try:
        since = a_date(since, "since", not_after=date.today())
    except ValidationFailed as error:
        problems.update(error.fields)
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    if session.get(MemberRecord, account.id) is not None:
        raise Conflict(_("%(email)s is already in the register.", email=account.email), code="already_registered")
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
    grant_access(session, tenant, account.id, status)
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
        raise ValidationFailed(
            _("Unknown status."), {"status": _("Choose one of: %(values)s.", values=", ".join(STATUSES))}
        )
    if to_status not in TRANSITIONS[entry.status]:
        raise Conflict(
            _("A person cannot go from %(status)s to %(to_status)s.", status=entry.status, to_status=to_status),
            {"status": _("Not allowed from %(status)s.", status=entry.status)},
            code="status_not_allowed",
        )
    if entry.status == "candidate" and to_status == "member" and proposal_id is None:
        raise Conflict(
            _("A candidate becomes a member through a passed admission proposal."), code="admission_required"
        )
    if on < entry.since:
        raise ValidationFailed(
            _("A change cannot come before the current status began."),
            {"on": _("On or after %(day)s.", day=day(entry.since))},
        )
    if to_status in EXIT_STATUSES:
        _check_exit_allowed(session, account_id, to_status, proposal_id)
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
    grant_access(session, tenant, account_id, to_status)
    if to_status in EXIT_STATUSES:
        _record_exit(session, account_id, to_status, on, by, reason, proposal_id)
    session.flush()
    return entry


def record_departure(session, tenant, account_id: int, reason: str) -> MemberRecord | None:
    """The person left without the co-op deciding it (they deleted their coopnet account):
    a withdrawal today, audited with ``reason``, and what the co-op owes back recorded
    for its officers to settle, whatever the rulebook says of withdrawals (nobody is left
    to propose it for). None when they had no record here or had left already."""
    entry = session.scalar(select(MemberRecord).where(MemberRecord.account_id == account_id).with_for_update())
    if entry is None or entry.status in EXIT_STATUSES:
        return None
    on = max(date.today(), entry.since)
    session.add(
        StatusChange(
            account_id=account_id,
            from_status=entry.status,
            to_status="withdrawn",
            effective_on=on,
            changed_by=None,
            proposal_id=None,
            reason=reason,
        )
    )
    entry.status, entry.since = "withdrawn", on
    grant_access(session, tenant, account_id, "withdrawn")
    _record_exit(session, account_id, "withdrawn", on, None, reason, None)
    session.flush()
    return entry


def _check_exit_allowed(session, account_id, to_status, proposal_id):
    """Leaving by hand is for co-ops whose rulebook gives exits no category of their own
    (a decision taken at a meeting, recorded with its reason); otherwise the vote decides."""
    if proposal_id is not None:
        return
    current = rulebook.current(session)
    if current is not None and OWN_EXIT_CATEGORY[to_status] in current.categories:
        raise Conflict(
            _(
                "This co-op's rulebook decides %(what)s by a vote: propose it instead.",
                what=OWN_EXIT_CATEGORY[to_status],
            ),
            code="decision_required",
        )
    pending = session.scalar(
        select(MemberExit.proposal_id).where(MemberExit.account_id == account_id, MemberExit.state == "proposed")
    )
    if pending is not None:
        raise Conflict(
            _("Proposal %(id)s on this person's exit is open; its outcome decides.", id=pending), code="exit_open"
        )


def _record_exit(session, account_id, to_status, on, by, reason, proposal_id):
    """What the co-op owes back, as it stood on the day they left: the buy-in paid in
    (net of anything already refunded). The exit a passed proposal decided is completed."""
    owed = exit_owed(session, account_id)
    found = None
    if proposal_id is not None:
        found = session.scalar(select(MemberExit).where(MemberExit.proposal_id == proposal_id).with_for_update())
    if found is None:  # recorded by hand, or a departure: a finished exit of its own
        found = MemberExit(account_id=account_id, to_status=to_status, reason=reason or "", requested_by=by)
        session.add(found)
    found.state, found.exited_on, found.owed = "done", on, owed
    # Someone who leaves holds no office from that day: current terms end, later ones go.
    session.execute(
        update(OfficerTerm)
        .where(
            OfficerTerm.account_id == account_id,
            OfficerTerm.starts_on <= on,
            or_(OfficerTerm.ends_on.is_(None), OfficerTerm.ends_on > on),
        )
        .values(ends_on=on)
    )
    session.execute(delete(OfficerTerm).where(OfficerTerm.account_id == account_id, OfficerTerm.starts_on > on))
    # Nor any duty after that day: their later shifts go (the officers deal them again),
    # and swap requests to or from them lapse.
    session.execute(
        update(ShiftSwap)
        .where(ShiftSwap.state == "asked", or_(ShiftSwap.asked_by == account_id, ShiftSwap.asked_of == account_id))
        .values(state="lapsed", decided_at=utcnow())
    )
    after = datetime.combine(on + timedelta(days=1), time.min, tzinfo=UTC)
    session.execute(delete(DutyShift).where(DutyShift.account_id == account_id, DutyShift.starts_at >= after))


def grant_access(session, tenant, account_id, status):
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


def is_member(session, tenant, account_id: int) -> bool:
    """Does this person have access to the co-op (the shared grant)?"""
    query = select(Membership.id).where(Membership.tenant_id == tenant.id, Membership.account_id == account_id)
    return session.scalar(query) is not None


def buy_in_paid(session, account_id: int) -> Decimal:
    """The buy-in paid in, net of refunds (recorded as negative payments)."""
    paid = session.scalar(
        select(func.coalesce(func.sum(BuyInPayment.amount), 0)).where(BuyInPayment.account_id == account_id)
    )
    return Decimal(paid).quantize(CENTS)


def retained_capital(session, account_id: int) -> Decimal:
    """Surplus retained in the person's capital account (pay's ledger): allocations less
    payouts, losses and redemptions. Buy-in is counted from membership's own payments, so
    a buy-in line in that ledger is not counted twice."""
    held = session.scalar(
        select(func.coalesce(func.sum(CapitalEntry.amount), 0)).where(
            CapitalEntry.account_id == account_id, CapitalEntry.kind != "buy_in"
        )
    )
    return (Decimal(held) / 100).quantize(CENTS)


def exit_owed(session, account_id: int) -> Decimal:
    """What the co-op owes a person who leaves: the buy-in they paid in and the surplus
    retained in their capital account, less what they have had back."""
    return max(buy_in_paid(session, account_id) + retained_capital(session, account_id), Decimal("0.00"))
