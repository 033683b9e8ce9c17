"""The member register and each member's standing: joining on the schedule, payments
(recorded by an officer or through Stripe) moving a member to current, grace after the
renewal date or a failed payment, and lapsing when grace runs out.

Who commits: the view, command or job that calls these; they flush and return."""

from datetime import date, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet.days import add_months
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import day as shown_day
from coopnet.tenants.dues import notices
from coopnet.tenants.dues import settings as dues_settings
from coopnet.tenants.dues.models import DuesCharge, DuesMember, DuesPayment
from coopnet.tenants.dues.money import monthly_share, to_cents

PLANS = ("annual", "monthly")
METHODS = ("check", "transfer")
# How far ahead a renewal date or a period may start (a period's end must stay a real date).
FURTHEST_YEARS = 10


def period_end(member: DuesMember, start: date) -> date:
    """The last day of the plan period starting ``start`` (a year, or a month)."""
    if member.plan == "monthly":
        return add_months(start, 1) - timedelta(days=1)
    return add_months(start, 12) - timedelta(days=1)


def _furthest(today: date) -> date:
    return add_months(today, 12 * FURTHEST_YEARS)


def get(session, member_id: int, lock: bool = False) -> DuesMember:
    member = session.get(DuesMember, member_id, with_for_update=True if lock else None)
    if member is None:
        raise NotFound(_("There is no such member on the register."))
    return member


def listing(session, standing: str | None = None) -> list[DuesMember]:
    query = select(DuesMember).order_by(DuesMember.name, DuesMember.id)
    if standing:
        query = query.where(DuesMember.standing == standing)
    return list(session.scalars(query))


def join(session, values: dict, today: date) -> DuesMember:
    """Put a member on the register at the dues its schedule sets.

    A renewal date in the future means it has paid until then (brought over from an
    old register); today or earlier means dues are owed now, so it starts in grace."""
    problems = {}
    name = (values.get("name") or "").strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        problems["name"] = _("Give the member's name (one line, up to 200 characters).")
    try:
        email = validate_email(values.get("email") or "", check_deliverability=False).normalized
    except EmailNotValidError:
        problems["email"] = _("Give an email address for dues notices.")
        email = None
    kind = values.get("kind")
    if kind not in dues_settings.KINDS:
        problems["kind"] = _("Choose 'organization' or 'individual'.")
    votes = values.get("votes")
    if votes is None:
        votes = 2 if kind == "organization" else 1
    if not isinstance(votes, int) or not 0 <= votes <= 100:
        problems["votes"] = _("Votes are a whole number from 0 to 100.")
    plan = values.get("plan") or "annual"
    if plan not in PLANS:
        problems["plan"] = _("Choose 'annual' or 'monthly'.")
    income = values.get("declared_income")
    income_cents = None
    if income is not None:
        try:
            income_cents = to_cents(income, "declared_income")
        except ValidationFailed as error:
            problems.update(error.fields)
    if values.get("renews_on") is not None and values["renews_on"] > _furthest(today):
        problems["renews_on"] = _("On or before %(day)s.", day=shown_day(_furthest(today)))
    schedule = dues_settings.schedule(session)
    if schedule is None:
        raise Conflict(_("Set the dues schedule before adding members."), code="no_schedule")
    if problems:
        raise ValidationFailed(_("Some details are missing or wrong."), problems)
    annual = dues_settings.annual_dues(schedule, kind, income_cents)
    chosen = values.get("amount")
    if chosen is not None:
        chosen_cents = to_cents(chosen, "amount")
        floor = schedule.minimum * (12 if schedule.period == "monthly" else 1)
        if chosen_cents < max(floor, 1):
            raise ValidationFailed(
                _("Dues cannot be under the minimum."),
                {"amount": _("Dues cannot be under the organisation's minimum.")},
            )
        annual = chosen_cents
    config = dues_settings.effective(session)
    renews_on = values.get("renews_on") or today
    member = DuesMember(
        name=name,
        email=email,
        kind=kind,
        votes=votes,
        declared_income=income_cents,
        plan=plan,
        amount=monthly_share(annual) if plan == "monthly" else annual,
        currency=config.currency,
        renews_on=renews_on,
        paid_through=renews_on - timedelta(days=1) if renews_on > today else None,
        standing="current",
        account_id=values.get("account_id"),
    )
    if renews_on <= today:
        _into_grace(member, config)
        if member.grace_ends < today:
            _lapse(member, config)
    session.add(member)
    session.flush()
    return member


def _into_grace(member, config):
    member.standing = "grace"
    member.grace_ends = member.renews_on + timedelta(days=config.grace_days)


def _lapse(member, config):
    member.standing = "lapsed"
    member.votes_suspended = config.lapse_suspends_votes
    member.services_flagged = config.lapse_flags_services


def effective_votes(member: DuesMember) -> int:
    return 0 if member.votes_suspended else member.votes


def record_payment(
    session, tenant, member_id: int, values: dict, officer_id: int | None, today: date, make_receipt_link=None
) -> DuesPayment:
    """An officer records a check or transfer for the member's next unpaid period (or the
    period named); a period already paid is refused, never counted twice (the member is
    locked first, so a second officer at the same moment waits and is refused too)."""
    member = get(session, member_id, lock=True)
    problems = {}
    method = values.get("method")
    if method not in METHODS:
        problems["method"] = _("Choose 'check' or 'transfer'.")
    try:
        amount = to_cents(values.get("amount"), "amount")
        if amount <= 0:
            problems["amount"] = _("The amount must be more than zero.")
    except ValidationFailed as error:
        problems.update(error.fields)
        amount = 0
    start = values.get("period_start") or member.renews_on
    if start > _furthest(today):
        problems["period_start"] = _("On or before %(day)s.", day=shown_day(_furthest(today)))
    if problems:
        raise ValidationFailed(_("The payment is not right."), problems)
    paid = payment_for(session, member.id, start)
    if paid is not None:
        raise Conflict(
            _(
                "Dues for the period from %(value)s are already paid (payment %(id)s).",
                value=start.isoformat(),
                id=paid.id,
            ),
            {"period_start": _("This period is already paid.")},
            code="already_paid",
        )
    payment = DuesPayment(
        member_id=member.id,
        period_start=start,
        period_end=period_end(member, start),
        amount=amount,
        currency=member.currency,
        method=method,
        reference=(values.get("reference") or "")[:200] or None,
        received_on=values.get("received_on") or today,
        recorded_by=officer_id,
    )
    session.add(payment)
    session.flush()
    paid_for(session, tenant, member, payment, today, make_receipt_link)
    return payment


def payment_for(session, member_id: int, start: date) -> DuesPayment | None:
    return session.scalar(
        select(DuesPayment).where(
            DuesPayment.member_id == member_id, DuesPayment.period_start == start, DuesPayment.status == "paid"
        )
    )


def paid_for(session, tenant, member, payment, today, make_receipt_link=None):
    """A period is paid: the member is current through its end, and gets a receipt."""
    if member.paid_through is None or payment.period_end > member.paid_through:
        member.paid_through = payment.period_end
        member.renews_on = payment.period_end + timedelta(days=1)
    if member.paid_through >= today:
        member.standing, member.grace_ends = "current", None
        member.votes_suspended = member.services_flagged = False
    charge = session.scalar(
        select(DuesCharge).where(DuesCharge.member_id == member.id, DuesCharge.period_start == payment.period_start)
    )
    if charge is not None:
        charge.status, charge.next_attempt_at = "paid", None
    session.flush()
    notices.receipt(session, tenant, member, payment, make_receipt_link)


def payment_failed(session, tenant, member, charge, today, reason, retry_at, make_pay_link=None):
    """A card was declined: the member is in grace (unless the period is already paid,
    as when the failure arrives after a later success), the pay link goes out."""
    if charge is not None:
        if charge.status in ("paid", "failed"):
            return  # already counted (the billing job saw the decline before this event)
        charge.status, charge.last_error, charge.next_attempt_at = "failed", (reason or "")[:500], retry_at
    if member.paid_through is not None and member.paid_through >= today:
        return  # paid up (the failure is older than a success, or early): standing holds
    if member.standing == "current":
        _into_grace(member, dues_settings.effective(session))
    session.flush()
    notices.payment_failed(session, tenant, member, reason, make_pay_link)


def standing_sweep(session, tenant, today: date, make_pay_link=None) -> dict:
    """Daily: renewal date passed unpaid -> grace; grace over -> lapsed; reminders before renewal."""
    config = dues_settings.effective(session)
    graced = lapsed = reminded = 0
    for member in session.scalars(
        select(DuesMember).where(DuesMember.standing == "current", DuesMember.renews_on <= today)
    ):
        _into_grace(member, config)
        graced += 1
        if member.grace_ends < today:
            _lapse(member, config)
            lapsed += 1
    for member in session.scalars(
        select(DuesMember).where(DuesMember.standing == "grace", DuesMember.grace_ends < today)
    ):
        _lapse(member, config)
        lapsed += 1
    remind_from = today + timedelta(days=config.reminder_days)
    for member in session.scalars(
        select(DuesMember).where(
            DuesMember.standing == "current",
            DuesMember.renews_on > today,
            DuesMember.renews_on <= remind_from,
            (DuesMember.reminded_for.is_(None)) | (DuesMember.reminded_for != DuesMember.renews_on),
        )
    ):
        member.reminded_for = member.renews_on
        notices.renewal_reminder(session, tenant, member, make_pay_link)
        reminded += 1
    session.flush()
    return {"grace": graced, "lapsed": lapsed, "reminded": reminded}


def counts(session) -> dict:
    rows = session.execute(select(DuesMember.standing, func.count()).group_by(DuesMember.standing)).all()
    found = {"current": 0, "grace": 0, "lapsed": 0}
    found.update(dict(rows))
    return found


def payments_of(session, member_id: int) -> list[DuesPayment]:
    return list(
        session.scalars(
            select(DuesPayment).where(DuesPayment.member_id == member_id).order_by(DuesPayment.period_start)
        )
    )


def pending_charge(session, member_id: int) -> DuesCharge | None:
    return session.scalar(
        select(DuesCharge).where(DuesCharge.member_id == member_id, DuesCharge.status.in_(("pending", "submitted")))
    )
