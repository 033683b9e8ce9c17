"""Corrections to finalised pay: recorded with who, when and why, and paid in the next
pay run (the first one whose period starts after the corrected run's), never by editing
the finalised run.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.money import cents
from coopnet.platform.models import Account, Membership
from coopnet.tenants.membership.models import EXIT_STATUSES, MemberRecord, StatusChange
from coopnet.tenants.pay.models import PayAdjustment, PayRun
from coopnet.tenants.pay.timesheets import is_row_id

MAX_REASON = 2000


def record(session, tenant, by: int, values: dict) -> PayAdjustment:
    """An adjustment of ``amount`` (negative to take back an overpayment) to a member's pay,
    correcting a finalised run."""
    problems = {}
    account_id, run_id = values.get("account_id"), values.get("corrects_run_id")
    if not is_row_id(account_id):
        problems["account_id"] = _("Choose a member of this co-op.")
    if not is_row_id(run_id):
        problems["corrects_run_id"] = _("Choose the finalised pay run this corrects.")
    try:
        amount = cents(values.get("amount"), "amount", allow_negative=True)
        if amount == 0:
            problems["amount"] = _("An adjustment of zero changes nothing.")
    except ValidationFailed as error:
        problems.update(error.fields)
    reason = values.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > MAX_REASON:
        problems["reason"] = _("Say why, in at most 2,000 characters.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    member = session.scalar(
        select(Membership.id).where(Membership.tenant_id == tenant.id, Membership.account_id == account_id)
    )
    if member is None:
        raise ValidationFailed(
            _("Some fields are missing or invalid."), {"account_id": _("No such member of this co-op.")}
        )
    run = session.get(PayRun, run_id)
    if run is None:
        raise ValidationFailed(_("Some fields are missing or invalid."), {"corrects_run_id": _("No such pay run.")})
    if run.status != "final":
        raise Conflict(
            _("That pay run is still a draft: compute it again instead of adjusting it."),
            {"corrects_run_id": _("Adjust only finalised runs.")},
            code="run_not_final",
        )
    adjustment = PayAdjustment(
        account_id=account_id, amount=amount, corrects_run_id=run.id, reason=reason, recorded_by=by
    )
    session.add(adjustment)
    session.flush()
    return adjustment


def pending_for(session, run: PayRun) -> list[PayAdjustment]:
    """Adjustments no finalised run has paid, correcting runs that ended before ``run`` starts."""
    corrected = select(PayRun.id).where(PayRun.period_end < run.period_start)
    return session.scalars(
        select(PayAdjustment)
        .where(PayAdjustment.paid_in_run_id.is_(None), PayAdjustment.corrects_run_id.in_(corrected))
        .order_by(PayAdjustment.id)
        .with_for_update()
    ).all()


def listing(session, account_id: int | None = None) -> list[PayAdjustment]:
    query = select(PayAdjustment).order_by(PayAdjustment.id.desc())
    if account_id is not None:
        query = query.where(PayAdjustment.account_id == account_id)
    return session.scalars(query).all()


def get(session, adjustment_id: int) -> PayAdjustment:
    found = session.get(PayAdjustment, adjustment_id)
    if found is None:
        raise NotFound(_("No such adjustment."))
    return found


def members(session, tenant) -> dict[int, str]:
    """Everyone with access to the co-op, by account id: whose pay may be adjusted."""
    query = (
        select(Account.id, Account.name)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == tenant.id)
        .order_by(Account.name)
    )
    return dict(session.execute(query).all())


def spans(session, people) -> dict[int, tuple[date | None, date | None]]:
    """(first day, last day) each person worked with the co-op, by account id: ``people`` (the
    account ids with access: ``members``), and those the register shows leaving (to the day
    before they left). The first day
    is when the register shows them becoming a candidate or member (the earliest such change);
    None where the register does not say (joined before, still here). Applicants, who have
    access but do not work for the co-op yet, are left out."""
    found = dict.fromkeys(people, (None, None))
    joins = dict(
        session.execute(
            select(StatusChange.account_id, func.min(StatusChange.effective_on))
            .where(StatusChange.to_status.in_(("candidate", "member")))
            .group_by(StatusChange.account_id)
        ).all()
    )
    records = session.execute(
        select(MemberRecord.account_id, MemberRecord.status, MemberRecord.since, MemberRecord.candidate_since)
    )
    for account_id, status, since, candidate_since in records:
        joined = joins.get(account_id) or candidate_since
        if status == "applicant":
            found.pop(account_id, None)
        elif status in EXIT_STATUSES:
            found[account_id] = (joined, since - timedelta(days=1))
        elif account_id in found:
            found[account_id] = (joined or since, None)
    return found
