"""Subcontracts between co-ops: A offers, B accepts or declines, B's members log time
in B's own timesheet and publish it into the shared record, A approves or queries,
B invoices, A marks paid. Only A and B ever learn a subcontract exists.

Who commits: the caller; these functions add, flush and queue the other party's
tenant job for after the commit. A request binds one co-op's schema only: hours
are written to B's timesheet and the shared record in B's request; A's approval
touches the shared record and queues a job inside B to follow it."""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from coopnet.database import utcnow
from coopnet.errors import Conflict, Forbidden, NotFound, ValidationFailed
from coopnet.network import money
from coopnet.network.models import (
    ClientRequest,
    NetworkMember,
    Subcontract,
    SubcontractHours,
    SubcontractTimeEntry,
)
from coopnet.platform.accounts import has_control_characters
from coopnet.platform.models import Tenant
from coopnet.platform.roles import at_least

MAX_SCOPE = 10_000
MAX_CAP = Decimal("100000")


def _require(role: str, minimum: str, what: str) -> None:
    if not at_least(role, minimum):
        raise Forbidden(_("Only a co-op %(minimum)s can %(what)s.", minimum=minimum, what=what), code="role_required")


def offer(session, contractor, actor_id: int, role: str, values: dict) -> Subcontract:
    """Co-op A offers co-op B a subcontract (A's admins)."""
    _require(role, "admin", "offer a subcontract")
    problems = {}
    to = (values.get("to") or "").strip()
    target = session.scalar(select(Tenant).where(Tenant.slug == to, Tenant.status == "active")) if to else None
    if target is None or target.kind != "coop" or target.id == contractor.id:
        problems["to"] = _("Give the address of another co-op.")
    scope = (values.get("scope") or "").strip()
    if not scope or len(scope) > MAX_SCOPE:
        problems["scope"] = _("Describe the work (at most %(max_scope)s characters).", max_scope=MAX_SCOPE)
    client = (values.get("client") or "").strip()
    if len(client) > 200 or has_control_characters(client):
        problems["client"] = _("One line of at most 200 characters.")
    rate, fixed = values.get("rate"), values.get("fixed_price")
    rate_cents = fixed_cents = None
    if (rate is None) == (fixed is None):
        problems["rate"] = _("Give an hourly rate or a fixed price, not both.")
    elif rate is not None:
        rate_cents = money.to_cents(rate, "rate", problems)
    else:
        fixed_cents = money.to_cents(fixed, "fixed_price", problems)
    cap = money.to_hours(values.get("hour_cap"), "hour_cap", problems, most=MAX_CAP)
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is None:
        problems["starts_on"] = _("Give the start date.")
    if ends_on is None:
        problems["ends_on"] = _("Give the end date.")
    elif starts_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The end date is before the start date.")
    request_id = values.get("request_id")
    if request_id is not None and not _placed_with(session, request_id, contractor.id):
        problems["request_id"] = _("Give a client request placed with this co-op.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    found = Subcontract(
        contractor_id=contractor.id,
        subcontractor_id=target.id,
        request_id=request_id,
        scope=scope,
        client=client,
        rate_cents=rate_cents,
        fixed_price_cents=fixed_cents,
        currency=(values.get("currency") or "USD").upper()[:3],
        hour_cap=cap,
        starts_on=starts_on,
        ends_on=ends_on,
        status="offered",
        created_by=actor_id,
    )
    session.add(found)
    session.flush()
    return found


def _placed_with(session, request_id: int, coop_id: int) -> bool:
    """The request was placed with this co-op through one of its networks."""
    return (
        session.scalar(
            select(ClientRequest.id)
            .join(NetworkMember, NetworkMember.id == ClientRequest.placed_member_id)
            .where(ClientRequest.id == request_id, NetworkMember.coop_id == coop_id)
        )
        is not None
    )


def visible(session, tenant_id: int, subcontract_id: int, lock: bool = False) -> Subcontract:
    """The subcontract if this co-op is one of its two parties; for anyone else it does not exist."""
    query = select(Subcontract).where(
        Subcontract.id == subcontract_id,
        or_(Subcontract.contractor_id == tenant_id, Subcontract.subcontractor_id == tenant_id),
    )
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(_("No such subcontract."))
    return found


def listing(session, tenant_id: int) -> list[Subcontract]:
    return session.scalars(
        select(Subcontract)
        .where(or_(Subcontract.contractor_id == tenant_id, Subcontract.subcontractor_id == tenant_id))
        .order_by(Subcontract.created_at.desc(), Subcontract.id.desc())
    ).all()


def require_subcontractor(found: Subcontract, tenant_id: int, what: str) -> None:
    if found.subcontractor_id != tenant_id:
        raise Forbidden(_("Only the subcontracted co-op can %(what)s.", what=what), code="not_subcontractor")


def _as_contractor(found: Subcontract, tenant_id: int, what: str) -> None:
    if found.contractor_id != tenant_id:
        raise Forbidden(_("Only the contracting co-op can %(what)s.", what=what), code="not_contractor")


def _expect(found: Subcontract, *statuses: str) -> None:
    if found.status not in statuses:
        raise Conflict(_("This subcontract is %(status)s.", status=found.status), code="subcontract_state")


def decide(session, tenant, subcontract_id: int, role: str, accept: bool, reason: str = "") -> Subcontract:
    found = visible(session, tenant.id, subcontract_id, lock=True)
    require_subcontractor(found, tenant.id, "accept or decline it")
    _require(role, "admin", "accept or decline a subcontract")
    _expect(found, "offered")
    found.status = "accepted" if accept else "declined"
    found.decline_reason = "" if accept else (reason or "").strip()[:2000]
    found.decided_at = utcnow()
    session.flush()
    return found


def counted_hours(session, subcontract_id: int) -> Decimal:
    """Hours that count against the cap: submitted or approved (a queried entry is out until resubmitted)."""
    return session.scalar(
        select(func.coalesce(func.sum(SubcontractHours.hours), 0)).where(
            SubcontractHours.subcontract_id == subcontract_id, SubcontractHours.status.in_(("submitted", "approved"))
        )
    )


def log_hours(
    session, tenant, subcontract_id: int, account_id: int, role: str, worked_on: date | None, hours, note: str = ""
) -> SubcontractHours:
    """A member of B logs time in B's own timesheet and publishes it into the shared record."""
    found = visible(session, tenant.id, subcontract_id, lock=True)
    require_subcontractor(found, tenant.id, "log hours on it")
    _require(role, "member", "log hours on a subcontract")
    _expect(found, "accepted")
    problems = {}
    parsed = money.to_hours(hours, "hours", problems, most=Decimal("24"))
    if worked_on is None:
        problems["worked_on"] = _("Give the date worked.")
    elif not found.starts_on <= worked_on <= found.ends_on:
        problems["worked_on"] = _(
            "Within the subcontract's dates (%(starts_on)s to %(ends_on)s).",
            starts_on=found.starts_on,
            ends_on=found.ends_on,
        )
    note = (note or "").strip()
    if len(note) > 2000:
        problems["note"] = _("At most 2000 characters.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    used = counted_hours(session, found.id)
    if used + parsed > found.hour_cap:
        left = found.hour_cap - used
        raise ValidationFailed(
            _("These hours go over the subcontract's cap."),
            {
                "hours": _(
                    "Only %(value)s of the %(value2)s capped hours are left.",
                    value=money.hours_text(left),
                    value2=money.hours_text(found.hour_cap),
                )
            },
            code="over_cap",
        )
    return _publish(session, found, account_id, worked_on, parsed, note)


def _publish(session, found: Subcontract, account_id: int, worked_on: date, hours: Decimal, note: str):
    """Hours into the shared record, and the same line into B's own timesheet beside it."""
    published = SubcontractHours(
        subcontract_id=found.id, worked_on=worked_on, hours=hours, logged_by=account_id, note=note, status="submitted"
    )
    session.add(published)
    session.flush()
    session.add(
        SubcontractTimeEntry(
            subcontract_id=found.id,
            account_id=account_id,
            worked_on=worked_on,
            hours=hours,
            note=note,
            published_id=published.id,
            status="submitted",
        )
    )
    session.flush()
    return published


def hours_of(session, subcontract_id: int) -> list[SubcontractHours]:
    return session.scalars(
        select(SubcontractHours)
        .where(SubcontractHours.subcontract_id == subcontract_id)
        .order_by(SubcontractHours.worked_on, SubcontractHours.id)
    ).all()


def decide_hours(
    session, tenant, subcontract_id: int, hours_id: int, account_id: int, role: str, approve: bool, note: str = ""
) -> SubcontractHours:
    """A approves or queries published hours; B's timesheet follows in a job inside B."""
    found = visible(session, tenant.id, subcontract_id, lock=True)
    entry = session.scalar(
        select(SubcontractHours)
        .where(SubcontractHours.id == hours_id, SubcontractHours.subcontract_id == found.id)
        .with_for_update()
    )
    if entry is None:
        raise NotFound(_("No such hours on this subcontract."))
    _as_contractor(found, tenant.id, "approve or query hours")
    _require(role, "member", "approve or query hours")
    if entry.status != "submitted":
        raise Conflict(_("These hours are already %(status)s.", status=entry.status), code="hours_decided")
    if not approve and not (note or "").strip():
        raise ValidationFailed(_("Say what is unclear."), {"note": _("Write the question for the other co-op.")})
    entry.status = "approved" if approve else "queried"
    entry.query_note = "" if approve else note.strip()[:2000]
    entry.decided_at, entry.decided_by = utcnow(), account_id
    session.flush()
    from coopnet.network import jobs

    jobs.follow_in_subcontractor(session, found, entry)
    return entry


def invoice(session, tenant, subcontract_id: int, role: str) -> Subcontract:
    """B invoices A for the approved hours (or the fixed price), once nothing awaits approval."""
    found = visible(session, tenant.id, subcontract_id, lock=True)
    require_subcontractor(found, tenant.id, "invoice it")
    _require(role, "admin", "invoice a subcontract")
    _expect(found, "accepted")
    waiting = session.scalar(
        select(func.count()).where(SubcontractHours.subcontract_id == found.id, SubcontractHours.status == "submitted")
    )
    if waiting:
        raise Conflict(_("Some hours still await approval."), code="hours_waiting")
    approved = session.scalar(
        select(func.coalesce(func.sum(SubcontractHours.hours), 0)).where(
            SubcontractHours.subcontract_id == found.id, SubcontractHours.status == "approved"
        )
    )
    if found.fixed_price_cents is not None:
        found.invoice_cents = found.fixed_price_cents
    else:
        found.invoice_cents = money.share(Decimal(approved), found.rate_cents)
    found.status, found.invoiced_at = "invoiced", utcnow()
    session.flush()
    return found


def mark_paid(session, tenant, subcontract_id: int, role: str) -> Subcontract:
    found = visible(session, tenant.id, subcontract_id, lock=True)
    _as_contractor(found, tenant.id, "mark it paid")
    _require(role, "admin", "mark a subcontract paid")
    _expect(found, "invoiced")
    found.status, found.paid_at = "paid", utcnow()
    session.flush()
    return found


def follow(session, published_id: int) -> int:
    """Inside B: its timesheet entry takes the status A gave the published hours (read from the shared row)."""
    entry = session.scalar(select(SubcontractTimeEntry).where(SubcontractTimeEntry.published_id == published_id))
    shared = session.get(SubcontractHours, published_id)
    if entry is None or shared is None:
        return 0
    entry.status = shared.status
    session.flush()
    return 1


def my_timesheet(session, subcontract_id: int) -> list[SubcontractTimeEntry]:
    return session.scalars(
        select(SubcontractTimeEntry)
        .where(SubcontractTimeEntry.subcontract_id == subcontract_id)
        .order_by(SubcontractTimeEntry.worked_on, SubcontractTimeEntry.id)
    ).all()


def publish_from_timesheet(session, tenant, subcontract_id: int, role: str, client_id) -> list[SubcontractHours]:
    """B's officer publishes into the shared subcontract the time B's members logged in
    B's own pay timesheet for one of B's clients (the one that stands for this
    subcontract), within the subcontract's dates: per person and day, what the timesheet
    holds beyond what was published for that day already, so publishing twice adds
    nothing. All within the cap, or nothing. Runs in B's request: B's schema only."""
    from coopnet.tenants.pay.models import Client, TimeEntry

    found = visible(session, tenant.id, subcontract_id, lock=True)
    require_subcontractor(found, tenant.id, "publish hours on it")
    _require(role, "admin", "publish the timesheet's hours on a subcontract")
    _expect(found, "accepted")
    if not isinstance(client_id, int) or isinstance(client_id, bool) or session.get(Client, client_id) is None:
        raise ValidationFailed(
            _("Choose one of your co-op's clients."), {"client_id": _("A client of your co-op, by its id.")}
        )
    logged = session.execute(
        select(TimeEntry.account_id, TimeEntry.worked_on, func.sum(TimeEntry.minutes))
        .where(
            TimeEntry.client_id == client_id,
            TimeEntry.worked_on >= found.starts_on,
            TimeEntry.worked_on <= found.ends_on,
        )
        .group_by(TimeEntry.account_id, TimeEntry.worked_on)
        .order_by(TimeEntry.worked_on, TimeEntry.account_id)
    ).all()
    published = dict(
        session.execute(
            select(
                func.concat(SubcontractTimeEntry.account_id, ":", SubcontractTimeEntry.worked_on),
                func.sum(SubcontractTimeEntry.hours),
            )
            .where(SubcontractTimeEntry.subcontract_id == found.id)
            .group_by(SubcontractTimeEntry.account_id, SubcontractTimeEntry.worked_on)
        ).all()
    )
    new = []
    for account_id, worked_on, minutes in logged:
        hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
        more = hours - published.get(f"{account_id}:{worked_on.isoformat()}", Decimal(0))
        if more > 0:
            new.append((account_id, worked_on, more))
    used, adding = counted_hours(session, found.id), sum((h for _, _, h in new), Decimal(0))
    if used + adding > found.hour_cap:
        raise ValidationFailed(
            _("These hours go over the subcontract's cap."),
            {
                "client_id": _(
                    "The timesheet holds %(value)s new hours; only %(value2)s of the cap are left.",
                    value=money.hours_text(adding),
                    value2=money.hours_text(found.hour_cap - used),
                )
            },
            code="over_cap",
        )
    return [
        _publish(session, found, account_id, worked_on, hours, "from the timesheet")
        for account_id, worked_on, hours in new
    ]
