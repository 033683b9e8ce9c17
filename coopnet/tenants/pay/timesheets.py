"""Time members log: minutes on a day, a kind of work, a client, billable or not.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet.database import hold
from coopnet.errors import Conflict, Forbidden, NotFound, ValidationFailed
from coopnet.i18n import day as shown_day
from coopnet.money import cents
from coopnet.platform.models import Membership
from coopnet.tenants.pay.models import Client, PayRun, SalaryYearEnd, TimeEntry, TimeEntryChange, WorkKind

DEFAULT_KINDS = (("client", "Client work"), ("internal", "Internal work"))
MINUTES_A_DAY = 24 * 60
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_ROW_ID = 2**63 - 1  # PostgreSQL's bigint


def is_row_id(value) -> bool:
    """An id a bigint column can hold: anything else names no row, and must not reach the database."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ROW_ID


def kinds(session) -> list[WorkKind]:
    """The co-op's kinds of work, read only: client and internal until it writes its own."""
    found = session.scalars(select(WorkKind).order_by(WorkKind.key)).all()
    return found or [WorkKind(key=key, label=label) for key, label in DEFAULT_KINDS]


def ensure_kinds(session) -> list[WorkKind]:
    """The kinds, with the defaults stored first if none are: what time and a new kind refer to."""
    found = kinds(session)
    if found[0] not in session:  # the defaults, not stored yet
        session.add_all(found)
        session.flush()
    return found


def add_kind(session, key: str, label: str) -> WorkKind:
    key = (key or "").strip().lower()
    if not key or len(key) > 40:
        raise ValidationFailed(_("Name the kind of work."), {"key": _("A short name, such as web development.")})
    ensure_kinds(session)
    if session.get(WorkKind, key) is not None:
        raise Conflict(_("The kind %(key)s exists.", key=repr(key)), code="kind_exists")
    kind = WorkKind(key=key, label=(label or key).strip()[:100])
    session.add(kind)
    session.flush()
    return kind


def hold_pay_periods(session, alone: bool = False) -> None:
    """Whoever reads which time is locked shares this lock to the end of the transaction, and a
    pay run being finalised takes it alone: so no time is written into a period as it locks."""
    hold(session, "pay-periods", shared=not alone)


def locked_until(session) -> date | None:
    """Time up to this day is locked: the last day of the latest finalised pay run, or of
    the latest salary year closed (its balances are settled), whichever is later."""
    from coopnet.tenants.pay.surplus import year_bounds

    hold_pay_periods(session)
    paid = session.scalar(select(func.max(PayRun.period_end)).where(PayRun.status == "final"))
    closed = session.scalar(select(func.max(SalaryYearEnd.year)))
    settled = year_bounds(session, closed)[1] if closed is not None else None
    return max((d for d in (paid, settled) if d is not None), default=None)


def log_time(session, tenant, by: int, may_log_for_others: bool, values: dict) -> TimeEntry:
    """Log time for oneself, or (officers and admins) for another member, with an audit of who entered it."""
    account_id = values.get("account_id")
    if account_id is None:
        account_id = by
    elif not is_row_id(account_id):
        raise ValidationFailed(
            _("Some fields are missing or invalid."), {"account_id": _("No such member of this co-op.")}
        )
    if account_id != by and not may_log_for_others:
        raise Forbidden(_("Only officers and admins log time for someone else."), code="officer_required")
    problems, checked = check_values(session, values)
    member = session.scalar(
        select(Membership.id).where(Membership.tenant_id == tenant.id, Membership.account_id == account_id)
    )
    if member is None:
        raise NotFound(_("No such member of this co-op."))
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    refuse_locked(session, checked["worked_on"])
    refuse_a_long_day(session, account_id, checked["worked_on"], checked["minutes"])
    entry = TimeEntry(account_id=account_id, entered_by=by, **checked)
    session.add(entry)
    session.flush()
    if account_id != by:
        record_change(session, entry, "created", by, before=None)
    return entry


def snapshot(entry: TimeEntry) -> dict:
    """An entry's fields as the audit keeps them."""
    return {
        "worked_on": entry.worked_on.isoformat(),
        "minutes": entry.minutes,
        "kind": entry.kind,
        "billable": entry.billable,
        "client_id": entry.client_id,
        "project_id": entry.project_id,
        "note": entry.note,
    }


def record_change(session, entry: TimeEntry, action: str, by: int, before: dict | None, reason: str = ""):
    """Keep who entered, changed or removed someone's time, when, and the entry before and after."""
    change = TimeEntryChange(
        entry_id=entry.id,
        account_id=entry.account_id,
        action=action,
        before=before,
        after=None if action == "deleted" else snapshot(entry),
        reason=reason,
        changed_by=by,
    )
    session.add(change)
    return change


def check_values(session, values: dict, keep_project: int | None = None) -> tuple[dict, dict]:
    """(problems by field, the entry's fields) from what a member sent. A project implies its
    client; ``keep_project`` is the entry's own, which may stay on it once archived."""
    from coopnet.tenants.pay.projects import project_for_time

    problems = {}
    minutes = values.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        problems["minutes"] = _("Minutes worked: a whole number above zero.")
    elif minutes > MINUTES_A_DAY:
        problems["minutes"] = _("A day has at most 24 hours (1,440 minutes).")
    try:
        worked_on = date.fromisoformat(str(values.get("worked_on")))
    except ValueError:
        worked_on = None
        problems["worked_on"] = _("Give the day, such as 2026-03-02.")
    kind = values.get("kind") or "client"
    if kind not in {k.key for k in ensure_kinds(session)}:  # time refers to a stored kind
        problems["kind"] = _("Choose one of this co-op's kinds of work.")
    client_id = values.get("client_id")
    if client_id is not None and (not is_row_id(client_id) or session.get(Client, client_id) is None):
        problems["client_id"] = _("No such client in this co-op.")
    project_id = values.get("project_id")
    if "client_id" not in problems:
        found, client_id = project_for_time(session, project_id, client_id, keep_project)
        problems.update(found)
    note = values.get("note") or ""
    if not isinstance(note, str) or len(note) > 2000:
        problems["note"] = _("A note of at most 2,000 characters.")
    checked = {
        "worked_on": worked_on,
        "minutes": minutes,
        "kind": kind,
        "billable": bool(values.get("billable")),
        "client_id": client_id,
        "project_id": project_id,
        "note": note,
    }
    return problems, checked


def refuse_locked(session, day: date) -> None:
    locked = locked_until(session)
    if locked is not None and day <= locked:
        raise Conflict(
            _(
                "Time up to %(value)s is locked: its pay run is final or its salary year is closed.",
                value=shown_day(locked),
            ),
            {"worked_on": _("This period is locked.")},
            code="period_locked",
        )


def refuse_a_long_day(session, account_id: int, day: date, minutes: int, besides: int = 0) -> None:
    """No one's day holds more than 24 hours; ``besides`` minutes of it are being replaced."""
    hold_time_of(session, [account_id])
    already = day_minutes(session, account_id, day) - besides
    if already + minutes > MINUTES_A_DAY:
        raise ValidationFailed(
            _("A day has at most 24 hours."),
            {
                "minutes": _(
                    "%(already)s minutes are already logged on %(value)s.", already=already, value=day.isoformat()
                )
            },
        )


def hold_time_of(session, account_ids) -> None:
    """A member's days are counted and added to by one transaction at a time, to its end: two
    entries at once could each find room in a day that holds one. Ids in order, so never a deadlock."""
    for account_id in sorted(set(account_ids)):
        hold(session, f"time-of:{account_id}")


def day_minutes(session, account_id: int, day: date) -> int:
    return session.scalar(
        select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
            TimeEntry.account_id == account_id, TimeEntry.worked_on == day
        )
    )


def minutes_between(session, start: date, end: date) -> dict[int, int]:
    """Minutes each member logged from ``start`` to ``end`` inclusive (one query)."""
    rows = session.execute(
        select(TimeEntry.account_id, func.sum(TimeEntry.minutes))
        .where(TimeEntry.worked_on >= start, TimeEntry.worked_on <= end)
        .group_by(TimeEntry.account_id)
    )
    return {account_id: int(total) for account_id, total in rows}


def entries(session, account_id: int, start: date, end: date) -> list[TimeEntry]:
    query = select(TimeEntry).where(
        TimeEntry.account_id == account_id, TimeEntry.worked_on >= start, TimeEntry.worked_on <= end
    )
    return session.scalars(query.order_by(TimeEntry.worked_on, TimeEntry.id)).all()


def add_client(session, name: str, hourly_rate: int, email: str = "", payment_days: int = 30) -> Client:
    values = _client_values(name, hourly_rate, email, payment_days)
    client = Client(**values)
    session.add(client)
    session.flush()
    return client


def _client_values(name, hourly_rate, email, payment_days) -> dict:
    """A client's fields checked: every problem at once."""
    name = name.strip() if isinstance(name, str) else ""
    email = email.strip() if isinstance(email, str) else None
    problems = {}
    if not name or len(name) > 200:
        problems["name"] = _("Name the client.")
    if isinstance(hourly_rate, bool) or not isinstance(hourly_rate, int) or not 0 <= hourly_rate <= 15000:
        problems["hourly_rate"] = _("The sliding scale runs from 0.00 to 150.00 an hour.")
    if email is None or len(email) > 254 or (email and not EMAIL.fullmatch(email)):
        problems["email"] = _("An email address such as accounts@example.org, or nothing.")
    if isinstance(payment_days, bool) or not isinstance(payment_days, int) or not 0 <= payment_days <= 365:
        problems["payment_days"] = _("A whole number of days from %(low)s to %(high)s.", low=0, high=365)
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    return {"name": name, "hourly_rate": hourly_rate, "email": email, "payment_days": payment_days}


def get_client(session, client_id: int, lock: bool = False) -> Client:
    query = select(Client).where(Client.id == client_id)
    client = session.scalar(query.with_for_update() if lock else query)
    if client is None:
        raise NotFound(_("No such client in this co-op."))
    return client


def client_from(values: dict, current: Client | None = None) -> dict:
    """A client's fields from what a person sent (the rate as text such as "40.00"); the fields
    not sent keep ``current``'s values. Every problem at once."""
    problems, rate = {}, current.hourly_rate if current else None
    if "hourly_rate" in values or current is None:
        try:
            rate = cents(values.get("hourly_rate"), "hourly_rate")
        except ValidationFailed as error:
            problems, rate = error.fields, 0
    try:
        checked = _client_values(
            values.get("name", current.name if current else ""),
            rate,
            values.get("email", current.email if current else ""),
            values.get("payment_days", current.payment_days if current else 30),
        )
    except ValidationFailed as error:
        problems = {**error.fields, **problems}
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    return checked


def create_client(session, values: dict) -> Client:
    client = Client(**client_from(values))
    session.add(client)
    session.flush()
    return client


def update_client(session, client_id: int, values: dict) -> Client:
    """Change a client's name, rate, contact or terms (the fields sent change); invoices already
    made keep the rate they were made at."""
    client = get_client(session, client_id, lock=True)
    for field, value in client_from(values, client).items():
        setattr(client, field, value)
    session.flush()
    return client


def clients(session) -> list[Client]:
    return session.scalars(select(Client).order_by(Client.name)).all()
