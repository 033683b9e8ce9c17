"""Officer terms, the duty rota and accountability statements.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.tenants.membership.lifecycle import a_date, record
from coopnet.tenants.membership.models import AccountabilityStatement, DutyShift, OfficerTerm

OFFICER_ROLES = ("coordinator", "secretary", "bookkeeper", "new-client coordinator", "webmaster", "records keeper")
STATEMENT_KINDS = ("missed deadline", "unfulfilled commitment", "costly error", "other")


# --- officers --------------------------------------------------------------------------


def appoint(session, role: str, account_id: int, starts_on, ends_on=None) -> OfficerTerm:
    """A term in a rotating role; it may not overlap another holder's term of the same role."""
    role = (role or "").strip().lower()
    problems = {}
    if not role or len(role) > 60:
        problems["role"] = f"Name the role, such as {', '.join(OFFICER_ROLES[:3])}."
    try:
        starts_on = a_date(starts_on, "starts_on")
        ends_on = a_date(ends_on, "ends_on") if ends_on else None
    except ValidationFailed as error:
        problems.update(error.fields)
    if not problems and ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "A term ends after it starts."
    if problems:
        raise ValidationFailed("Some fields are missing or invalid.", problems)
    record(session, account_id)
    far = date.max
    overlap = session.scalar(
        select(OfficerTerm)
        .where(
            OfficerTerm.role == role,
            OfficerTerm.starts_on <= (ends_on or far),
            or_(OfficerTerm.ends_on.is_(None), OfficerTerm.ends_on >= starts_on),
        )
        .with_for_update()
    )
    if overlap is not None:
        until = overlap.ends_on.isoformat() if overlap.ends_on else "open-ended"
        raise Conflict(
            f"The {role} term overlaps the current holder's ({overlap.starts_on.isoformat()} to {until}).",
            {"starts_on": "End the current term first, or start after it ends."},
            code="term_overlaps",
        )
    term = OfficerTerm(role=role, account_id=account_id, starts_on=starts_on, ends_on=ends_on)
    session.add(term)
    session.flush()
    return term


def end_term(session, term_id: int, ends_on) -> OfficerTerm:
    term = session.get(OfficerTerm, term_id)
    if term is None:
        raise NotFound("No such officer term.")
    ends_on = a_date(ends_on, "ends_on")
    if ends_on < term.starts_on:
        raise ValidationFailed("A term ends after it starts.", {"ends_on": "A term ends after it starts."})
    term.ends_on = ends_on
    session.flush()
    return term


def officers(session, on: date | None = None) -> list[OfficerTerm]:
    """Current holders of each role on a day, and when each term ends."""
    on = on or date.today()
    query = select(OfficerTerm).where(
        OfficerTerm.starts_on <= on, or_(OfficerTerm.ends_on.is_(None), OfficerTerm.ends_on >= on)
    )
    return session.scalars(query.order_by(OfficerTerm.role)).all()


def is_officer(session, account_id: int, on: date | None = None) -> bool:
    return any(term.account_id == account_id for term in officers(session, on))


def terms(session) -> list[OfficerTerm]:
    return session.scalars(select(OfficerTerm).order_by(OfficerTerm.starts_on.desc(), OfficerTerm.role)).all()


# --- accountability ------------------------------------------------------------------


def file_statement(session, author_id: int, subject_id: int, kind: str, body: str) -> AccountabilityStatement:
    """Anyone may file one about any member, themselves included."""
    body = (body or "").strip()
    problems = {}
    if kind not in STATEMENT_KINDS:
        problems["kind"] = f"Choose one of: {', '.join(STATEMENT_KINDS)}."
    if not body or len(body) > 10_000:
        problems["body"] = "Say what happened, in at most 10,000 characters."
    if problems:
        raise ValidationFailed("Some fields are missing or invalid.", problems)
    record(session, subject_id)
    statement = AccountabilityStatement(subject_id=subject_id, author_id=author_id, kind=kind, body=body)
    session.add(statement)
    session.flush()
    return statement


def respond(session, statement_id: int, account_id: int, response: str) -> AccountabilityStatement:
    """The subject adds a response, once; nothing else about a statement ever changes."""
    statement = session.scalar(
        select(AccountabilityStatement).where(AccountabilityStatement.id == statement_id).with_for_update()
    )
    if statement is None:
        raise NotFound("No such statement.")
    if statement.subject_id != account_id:
        raise Conflict("Only the person a statement is about may respond to it.", code="not_the_subject")
    if statement.response is not None:
        raise Conflict("A statement takes one response, and it is already there.", code="statement_final")
    response = (response or "").strip()
    if not response or len(response) > 10_000:
        raise ValidationFailed("Write the response.", {"response": "Write your response, at most 10,000 characters."})
    statement.response, statement.responded_at = response, utcnow()
    session.flush()
    return statement


def statements(session) -> list[AccountabilityStatement]:
    return session.scalars(select(AccountabilityStatement).order_by(AccountabilityStatement.id.desc())).all()


# --- the duty rota -------------------------------------------------------------------


def generate_rota(session, participants: list[int], starts: datetime, days: int, shift_hours: int) -> list[DutyShift]:
    """Shifts over ``days`` from ``starts``, dealt round-robin starting with whoever has
    had the fewest shifts so far, so over a year everyone carries the same load (give or take one)."""
    problems = {}
    if not participants or len(set(participants)) != len(participants):
        problems["participants"] = "List each person taking part once."
    if starts is None or starts.tzinfo is None:
        problems["starts_at"] = "Give the first shift's start with its offset."
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        problems["days"] = "From 1 to 366 days."
    if (
        isinstance(shift_hours, bool)
        or not isinstance(shift_hours, int)
        or shift_hours not in (1, 2, 3, 4, 6, 8, 12, 24)
    ):
        problems["shift_hours"] = "Shifts of 1, 2, 3, 4, 6, 8, 12 or 24 hours."
    if problems:
        raise ValidationFailed("Some fields are missing or invalid.", problems)
    for account_id in participants:
        record(session, account_id)
    end = starts + timedelta(days=days)
    clash = session.scalar(select(DutyShift.id).where(DutyShift.starts_at < end, DutyShift.ends_at > starts))
    if clash is not None:
        raise Conflict("Shifts already cover part of that period.", code="rota_overlaps")
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


def swap(session, shift_id: int, with_shift_id: int) -> tuple[DutyShift, DutyShift]:
    """Two members trade shifts. Only the coordinator (an admin) records a swap, once both
    have agreed: nobody can hand their shift to someone else alone."""
    mine = session.scalar(select(DutyShift).where(DutyShift.id == shift_id).with_for_update())
    theirs = session.scalar(select(DutyShift).where(DutyShift.id == with_shift_id).with_for_update())
    if mine is None or theirs is None:
        raise NotFound("No such shift.")
    if mine.account_id == theirs.account_id:
        raise Conflict("Both shifts are the same person's.", code="same_holder")
    if mine.starts_at < utcnow() or theirs.starts_at < utcnow():
        raise Conflict("Shifts that have started cannot be swapped.", code="shift_started")
    first, second = mine.account_id, theirs.account_id
    mine.account_id, theirs.account_id = second, first
    mine.swapped_from, theirs.swapped_from = first, second
    session.flush()
    return mine, theirs


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
