"""Leaving the co-op: withdrawal and expulsion proposed as the co-op's decisions, and
what the co-op owes back when someone leaves.

A proposed exit opens a proposal in the rulebook's own category for it when there is
one (``expulsion``, ``withdrawal``), else in the category that decides who belongs
(Design Action decides hiring and firing together). When it passes the person leaves
that day and what the co-op owes them (the buy-in they paid in and the surplus
retained in their capital account) is recorded; an officer then records the refund.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.database import utcnow
from coopnet.errors import Conflict, Forbidden, ValidationFailed
from coopnet.i18n import day, speaking
from coopnet.platform.models import Account
from coopnet.tenants.governance import hooks, rulebook
from coopnet.tenants.governance import services as governance
from coopnet.tenants.membership.lifecycle import (
    EXIT_STATUSES,
    OWN_EXIT_CATEGORY,
    TRANSITIONS,
    a_date,
    buy_in_paid,
    change_status,
    exit_owed,
    money,
    record,
)
from coopnet.tenants.membership.models import BuyInPayment, MemberExit
from coopnet.tenants.membership.probation import SYSTEM_AUTHOR, admins
from coopnet.tenants.outbox.mail import compose
from coopnet.tenants.pay.models import CapitalEntry
from coopnet.terms import term

# Where each kind of exit is decided, first category the rulebook has.
CATEGORIES = {
    "expelled": (OWN_EXIT_CATEGORY["expelled"], "hiring", "admission"),
    "withdrawn": (OWN_EXIT_CATEGORY["withdrawn"], "admission"),
}
MAX_REASON = 2000


def _word(to_status: str) -> str:
    return _("withdrawal") if to_status == "withdrawn" else _("expulsion")


def category_for(current, to_status: str) -> str | None:
    return next((key for key in CATEGORIES[to_status] if key in current.categories), None)


def propose_exit(session, tenant, account_id: int, to_status: str, reason: str, by: int, by_role: str) -> MemberExit:
    """Put a person's withdrawal or expulsion to the co-op (``by_role``: the proposer's
    access role). Anyone may propose their own withdrawal and admins anyone's; members
    and admins propose an expulsion. One open at a time for a person."""
    reason = (reason or "").strip()
    problems = {}
    if to_status not in EXIT_STATUSES:
        problems["status"] = _("Propose a withdrawal or an expulsion.")
    if not reason or len(reason) > MAX_REASON:
        problems["reason"] = _("Say why, in at most %(count)s characters.", count=f"{MAX_REASON:,}")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    if to_status == "withdrawn" and account_id != by and by_role != "admin":
        raise Forbidden(_("Only the person themselves or an admin proposes a withdrawal."), code="role_required")
    if to_status == "expelled" and by_role not in ("member", "admin"):
        raise Forbidden(_("Members propose an expulsion."), code="role_required")
    entry = record(session, account_id, lock=True)  # one proposal at a time per person
    if to_status not in TRANSITIONS[entry.status]:
        raise Conflict(
            _("A person cannot go from %(now)s to %(then)s.", now=entry.status, then=to_status),
            {"status": _("Not allowed from %(now)s.", now=entry.status)},
            code="status_not_allowed",
        )
    pending = session.scalar(
        select(MemberExit).where(MemberExit.account_id == account_id, MemberExit.state == "proposed")
    )
    if pending is not None:
        raise Conflict(
            _("Proposal %(id)s on this person's exit is already open.", id=pending.proposal_id), code="exit_open"
        )
    current = rulebook.require_current(session)
    category = category_for(current, to_status)
    if category is None:
        raise Conflict(
            _(
                "The rulebook has no category that decides %(what)s; add one by a rulebook proposal.",
                what=_word(to_status),
            ),
            code="no_category",
        )
    person, proposer = session.get(Account, account_id), session.get(Account, by)
    window = rulebook.rule_for(current, category).window_days
    with speaking(tenant=tenant):  # the proposal is the co-op's record, in its language
        title = (
            _("Withdrawal of %(name)s", name=person.name)
            if to_status == "withdrawn"
            else _("Expulsion of %(name)s", name=person.name)
        )
        body = _(
            "%(proposer)s proposes the %(what)s of %(name)s:\n\n%(reason)s\n\nIf it passes, %(name)s leaves "
            "that day and the co-op owes back %(owed)s of buy-in and retained capital.",
            proposer=proposer.name,
            what=_word(to_status),
            name=person.name,
            reason=reason,
            owed=exit_owed(session, account_id),
        )
    proposal = governance.open_proposal(
        session,
        tenant,
        SYSTEM_AUTHOR,  # decided by the vote: nobody withdraws it halfway
        category,
        title,
        body,
        utcnow() + timedelta(days=window),
    )
    proposed = MemberExit(
        account_id=account_id,
        to_status=to_status,
        reason=reason,
        requested_by=by,
        proposal_id=proposal.id,
        state="proposed",
    )
    session.add(proposed)
    session.flush()
    return proposed


@hooks.after_close
def leave_when_passed(session, tenant, proposal):
    """A passed exit proposal moves the person out that day (recording what is owed);
    otherwise they stay, and the admins hear of it."""
    proposed = session.scalar(
        select(MemberExit).where(MemberExit.proposal_id == proposal.id, MemberExit.state == "proposed")
    )
    if proposed is None:
        return
    entry = record(session, proposed.account_id)
    if entry.status in EXIT_STATUSES:  # they left meanwhile (deleted their account): nothing to decide
        proposed.state = "not_agreed"
        session.flush()
        return
    if proposal.outcome == "passed" and proposed.to_status in TRANSITIONS[entry.status]:
        with speaking(tenant=tenant):
            why = _(
                "%(what)s agreed by proposal %(id)s: %(reason)s",
                what=_word(proposed.to_status),
                id=proposal.id,
                reason=proposed.reason,
            )
        change_status(
            session,
            tenant,
            proposed.account_id,
            proposed.to_status,
            max(date.today(), entry.since),
            None,
            why,
            proposal_id=proposal.id,
        )
        return
    proposed.state = "not_agreed"
    session.flush()
    person = session.get(Account, proposed.account_id)
    with speaking(tenant=tenant):
        what = _word(proposed.to_status)
        if proposal.outcome == "passed":  # agreed, but their status changed meanwhile and forbids it
            subject = _(
                "[%(coop)s] Agreed but not applied: the %(what)s of %(name)s",
                coop=tenant.name,
                what=what,
                name=person.name,
            )
        else:
            subject = _(
                "[%(coop)s] Not agreed: the %(what)s of %(name)s", coop=tenant.name, what=what, name=person.name
            )
        for name, email in admins(session, tenant):
            if proposal.outcome == "passed":
                body = _(
                    "Hello %(admin)s,\n\nThe vote on the %(what)s of %(name)s passed, but %(name)s is now "
                    "%(status)s, and the %(what)s cannot be made from there. %(name)s stays in the register "
                    "as before; propose it again if it is still wanted.\n",
                    admin=name,
                    what=what,
                    name=person.name,
                    status=term(entry.status),
                )
            else:
                body = _(
                    "Hello %(admin)s,\n\nThe vote on the %(what)s of %(name)s ended %(outcome)s. %(name)s stays "
                    "in the register as before.\n",
                    admin=name,
                    what=what,
                    name=person.name,
                    outcome=term(proposal.outcome),
                )
            compose(session, tenant, to=email, subject=subject, body=body)


def refund_at_exit(session, account_id: int, by: int, on, amount=None) -> dict:
    """An officer records paying back what the co-op owes someone who left (all of it,
    or an instalment of it): the buy-in first, as a negative buy-in payment, then the
    retained capital, as a redemption in their capital account."""
    if account_id == by:
        raise Forbidden(_("Another officer records your own refund."), code="own_record")
    entry = record(session, account_id, lock=True)
    if entry.status not in EXIT_STATUSES:
        raise Conflict(_("Refunds are for people who have left the co-op."), code="not_left")
    owed = exit_owed(session, account_id)
    on = a_date(on or date.today(), "paid_on", not_after=date.today())
    amount = owed if amount in (None, "") else money(amount, "amount")
    if owed <= 0:
        raise Conflict(_("The co-op owes this person nothing more."), code="nothing_owed")
    if amount <= 0 or amount > owed:
        raise ValidationFailed(
            _("That is not what is owed."), {"amount": _("More than 0 and at most %(owed)s.", owed=owed)}
        )
    if on < entry.since:
        raise ValidationFailed(
            _("A refund comes after the exit."), {"paid_on": _("On or after %(day)s.", day=day(entry.since))}
        )
    of_buy_in = min(amount, max(buy_in_paid(session, account_id), Decimal("0.00")))
    refund = None
    if of_buy_in > 0:
        refund = BuyInPayment(
            account_id=account_id, amount=-of_buy_in, paid_on=on, recorded_by=by, note="refunded at exit"
        )
        session.add(refund)
    if of_capital := amount - of_buy_in:
        session.add(
            CapitalEntry(
                account_id=account_id,
                kind="redemption",
                amount=-int(of_capital * 100),
                entry_on=on,
                note="redeemed at exit",
            )
        )
    session.flush()
    return {
        "id": refund.id if refund else None,
        "account_id": account_id,
        "amount": -amount,
        "paid_on": on,
        "note": "refunded at exit",
    }


def settlement(session, account_id: int) -> dict | None:
    """The last exit and where its refund stands, or None for someone who has not left."""
    done = session.scalar(
        select(MemberExit)
        .where(MemberExit.account_id == account_id, MemberExit.state == "done")
        .order_by(MemberExit.id.desc())
        .limit(1)
    )
    if done is None:
        return None
    still = exit_owed(session, account_id) if record(session, account_id).status in EXIT_STATUSES else Decimal(0)
    return {
        "status": done.to_status,
        "exited_on": done.exited_on,
        "proposal_id": done.proposal_id,
        "reason": done.reason,
        "owed_at_exit": done.owed,
        "still_owed": still,
    }


def open_exit(session, account_id: int) -> MemberExit | None:
    return session.scalar(select(MemberExit).where(MemberExit.account_id == account_id, MemberExit.state == "proposed"))
