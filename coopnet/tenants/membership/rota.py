"""The duty rota (GAIA Host's 24-hour support shared by everyone): shifts dealt fairly,
swaps that the other member accepts, and each member's calendar feed.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, Forbidden, NotFound, ValidationFailed
from coopnet.i18n import moment, speaking
from coopnet.platform.models import Account
from coopnet.tenants.membership.lifecycle import require_active
from coopnet.tenants.membership.models import DutyShift, ShiftSwap
from coopnet.tenants.outbox.mail import compose
from coopnet.terms import term

SHIFT_HOURS = (1, 2, 3, 4, 6, 8, 12, 24)


def generate_rota(session, participants: list[int], starts: datetime, days: int, shift_hours: int) -> list[DutyShift]:
    """Shifts over ``days`` from ``starts``, dealt round-robin starting with whoever has
    had the fewest shifts so far, so over a year everyone carries the same load (give or take one)."""
    problems = {}
    if (
        not isinstance(participants, list)
        or not participants
        or not all(isinstance(p, int) and not isinstance(p, bool) for p in participants)
        or len(set(participants)) != len(participants)
    ):
        problems["participants"] = _("List each person taking part once.")
    if starts is None or starts.tzinfo is None:
        problems["starts_at"] = _("Give the first shift's start with its offset.")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        problems["days"] = _("From 1 to 366 days.")
    if isinstance(shift_hours, bool) or not isinstance(shift_hours, int) or shift_hours not in SHIFT_HOURS:
        problems["shift_hours"] = _("Shifts of 1, 2, 3, 4, 6, 8, 12 or 24 hours.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    for account_id in participants:
        require_active(session, account_id)
    end = starts + timedelta(days=days)
    clash = session.scalar(select(DutyShift.id).where(DutyShift.starts_at < end, DutyShift.ends_at > starts))
    if clash is not None:
        raise Conflict(_("Shifts already cover part of that period."), code="rota_overlaps")
    load = dict.fromkeys(participants, 0)
    for account_id in session.scalars(select(DutyShift.account_id).where(DutyShift.account_id.in_(participants))):
        load[account_id] += 1
    order = sorted(participants, key=lambda a: (load[a], participants.index(a)))
    shifts, at, index = [], starts, 0
    while at < end:
        shift = DutyShift(starts_at=at, ends_at=at + timedelta(hours=shift_hours), account_id=order[index % len(order)])
        shifts.append(shift)
        at, index = shift.ends_at, index + 1
    session.add_all(shifts)
    session.flush()
    return shifts


def _two_shifts(session, shift_id: int, with_shift_id: int) -> tuple[DutyShift, DutyShift]:
    """Both shifts, locked in id order (two swaps of the same pair never deadlock)."""
    found = {
        shift.id: shift
        for shift in session.scalars(
            select(DutyShift)
            .where(DutyShift.id.in_([shift_id, with_shift_id]))
            .order_by(DutyShift.id)
            .with_for_update()
        )
    }
    if shift_id not in found or with_shift_id not in found:
        raise NotFound(_("No such shift."))
    mine, theirs = found[shift_id], found[with_shift_id]
    if mine.account_id == theirs.account_id:
        raise Conflict(_("Both shifts are the same person's."), code="same_holder")
    now = utcnow()
    if mine.starts_at < now or theirs.starts_at < now:
        raise Conflict(_("Shifts that have started cannot be swapped."), code="shift_started")
    return mine, theirs


def _trade(session, mine: DutyShift, theirs: DutyShift) -> tuple[DutyShift, DutyShift]:
    first, second = mine.account_id, theirs.account_id
    mine.account_id, theirs.account_id = second, first
    mine.swapped_from, theirs.swapped_from = first, second
    # Any other open request for either shift was asked of its old holder: it lapses.
    session.execute(
        update(ShiftSwap)
        .where(
            ShiftSwap.state == "asked",
            or_(ShiftSwap.shift_id.in_([mine.id, theirs.id]), ShiftSwap.with_shift_id.in_([mine.id, theirs.id])),
        )
        .values(state="lapsed", decided_at=utcnow())
    )
    session.flush()
    return mine, theirs


def swap(session, shift_id: int, with_shift_id: int) -> tuple[DutyShift, DutyShift]:
    """The coordinator (an admin) records a swap both members agreed elsewhere."""
    mine, theirs = _two_shifts(session, shift_id, with_shift_id)
    return _trade(session, mine, theirs)


def ask_swap(session, tenant, shift_id: int, with_shift_id: int, by: int, link: str = "") -> ShiftSwap:
    """A member offers their shift for another member's; nothing changes hands until the
    other accepts. The other member is mailed."""
    mine, theirs = _two_shifts(session, shift_id, with_shift_id)
    if mine.account_id != by:
        raise Forbidden(_("You can offer only a shift of your own."), code="not_your_shift")
    already = session.scalar(
        select(ShiftSwap.id).where(
            ShiftSwap.shift_id == mine.id, ShiftSwap.with_shift_id == theirs.id, ShiftSwap.state == "asked"
        )
    )
    if already is not None:
        raise Conflict(_("You have asked for this swap already; wait for the answer."), code="swap_asked")
    request = ShiftSwap(shift_id=mine.id, with_shift_id=theirs.id, asked_by=by, asked_of=theirs.account_id)
    session.add(request)
    session.flush()
    asker, other = session.get(Account, by), session.get(Account, theirs.account_id)
    with speaking(other, tenant):
        compose(
            session,
            tenant,
            to=other.email,
            subject=_("[%(coop)s] %(name)s asks to swap a support shift", coop=tenant.name, name=asker.name),
            body=_(
                "Hello %(other)s,\n\n%(name)s offers their shift of %(theirs)s for yours of %(yours)s. "
                "Accept or decline it on the rota page.\n%(link)s\n",
                other=other.name,
                name=asker.name,
                theirs=moment(mine.starts_at),
                yours=moment(theirs.starts_at),
                link=link,
            ),
        )
    return request


def _open_request(session, swap_id: int) -> ShiftSwap:
    request = session.scalar(select(ShiftSwap).where(ShiftSwap.id == swap_id).with_for_update())
    if request is None:
        raise NotFound(_("No such swap request."))
    if request.state != "asked":
        raise Conflict(_("This swap request is %(state)s already.", state=term(request.state)), code="swap_answered")
    return request


def answer_swap(session, swap_id: int, by: int, accept: bool) -> ShiftSwap:
    """The member asked accepts (the shifts change hands) or declines."""
    request = _open_request(session, swap_id)
    if request.asked_of != by:
        raise Forbidden(_("Only the member asked can answer this swap."), code="not_asked")
    if accept:
        mine, theirs = _two_shifts(session, request.shift_id, request.with_shift_id)
        if mine.account_id != request.asked_by or theirs.account_id != request.asked_of:
            raise Conflict(_("One of these shifts has changed hands since."), code="swap_lapsed")
        _trade(session, mine, theirs)
    request.state, request.decided_at = ("accepted" if accept else "declined"), utcnow()
    session.flush()
    return request


def withdraw_swap(session, swap_id: int, by: int) -> ShiftSwap:
    request = _open_request(session, swap_id)
    if request.asked_by != by:
        raise Forbidden(_("Only the member who asked can withdraw it."), code="not_asker")
    request.state, request.decided_at = "withdrawn", utcnow()
    session.flush()
    return request


def swap_requests(session, account_id: int, limit: int = 200) -> list[ShiftSwap]:
    """Requests a member asked or was asked, open ones first, newest first."""
    query = select(ShiftSwap).where(or_(ShiftSwap.asked_by == account_id, ShiftSwap.asked_of == account_id))
    return session.scalars(query.order_by((ShiftSwap.state != "asked"), ShiftSwap.id.desc()).limit(limit)).all()


def shifts_by_id(session, ids) -> dict[int, DutyShift]:
    ids = list(set(ids))
    return {s.id: s for s in session.scalars(select(DutyShift).where(DutyShift.id.in_(ids)))} if ids else {}


def rota(session, since: datetime | None = None, account_id: int | None = None) -> list[DutyShift]:
    query = select(DutyShift).where(DutyShift.ends_at >= (since or utcnow()))
    if account_id is not None:
        query = query.where(DutyShift.account_id == account_id)
    return session.scalars(query.order_by(DutyShift.starts_at).limit(1000)).all()


def rota_ics(shifts: list[DutyShift], tenant_name: str, tenant_slug: str) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//coopnet//rota//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{tenant_name} support rota")
    for shift in shifts:
        event = Event()
        event.add("uid", f"shift-{shift.id}@{tenant_slug}.coopnet")
        event.add("summary", f"On support duty ({tenant_name})")
        event.add("dtstart", shift.starts_at)
        event.add("dtend", shift.ends_at)
        event.add("dtstamp", utcnow())
        calendar.add_component(event)
    return calendar.to_ical()
