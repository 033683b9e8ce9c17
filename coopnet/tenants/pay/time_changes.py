"""Correcting time after it is logged: the member themself, or an officer for anyone, changes or
removes an entry. Every change and removal (and every entry an officer enters for someone else)
is kept with who made it, when, and the entry before and after.

Time in a locked period or already invoiced is never changed.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.errors import Conflict, Forbidden, NotFound, ValidationFailed
from coopnet.tenants.pay.models import TimeEntry, TimeEntryChange
from coopnet.tenants.pay.timesheets import (
    check_values,
    record_change,
    refuse_a_long_day,
    refuse_locked,
    snapshot,
)

FIELDS = ("worked_on", "minutes", "kind", "billable", "client_id", "project_id", "note")
MAX_REASON = 2000


def get_entry(session, entry_id: int, by: int, officer: bool, lock: bool = False) -> TimeEntry:
    """An entry its member or an officer may see."""
    query = select(TimeEntry).where(TimeEntry.id == entry_id)
    entry = session.scalar(query.with_for_update() if lock else query)
    if entry is None:
        raise NotFound(_("No such time entry."))
    if entry.account_id != by and not officer:
        raise Forbidden(_("Only officers and admins change someone else's time."), code="officer_required")
    return entry


def _changeable(session, entry: TimeEntry) -> None:
    if entry.invoice_id is not None:
        raise Conflict(_("This time is on an invoice and cannot change."), code="time_invoiced")
    refuse_locked(session, entry.worked_on)


def _reason(values: dict) -> str:
    reason = values.get("reason") or ""
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        raise ValidationFailed(
            _("Some fields are missing or invalid."), {"reason": _("Say why in at most 2,000 characters.")}
        )
    return reason.strip()


def correct(session, entry_id: int, by: int, officer: bool, values: dict) -> TimeEntry:
    """Change the fields given in ``values`` (the others stay), keeping the entry before and after."""
    entry = get_entry(session, entry_id, by, officer, lock=True)
    reason = _reason(values)
    before = snapshot(entry)
    sent = {k: values[k] for k in FIELDS if k in values}
    if "client_id" in sent and "project_id" not in sent and sent["client_id"] != entry.client_id:
        sent["project_id"] = None  # another client: the old client's project goes with it
    if sent.get("project_id") is not None and "client_id" not in sent:
        sent["client_id"] = None  # the project names its client
    problems, checked = check_values(session, {**before, **sent}, keep_project=entry.project_id)
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    _changeable(session, entry)
    refuse_locked(session, checked["worked_on"])
    same_day = entry.minutes if checked["worked_on"] == entry.worked_on else 0
    refuse_a_long_day(session, entry.account_id, checked["worked_on"], checked["minutes"], besides=same_day)
    for field, value in checked.items():
        setattr(entry, field, value)
    if snapshot(entry) == before:
        return entry  # nothing changed: nothing to keep
    session.flush()
    record_change(session, entry, "changed", by, before=before, reason=reason)
    session.flush()
    return entry


def remove(session, entry_id: int, by: int, officer: bool, reason: str = "") -> None:
    """Remove an entry logged by mistake; the audit keeps what it was."""
    entry = get_entry(session, entry_id, by, officer, lock=True)
    reason = _reason({"reason": reason})
    _changeable(session, entry)
    record_change(session, entry, "deleted", by, before=snapshot(entry), reason=reason)
    session.delete(entry)
    session.flush()


def changes(session, account_id: int | None = None, entry_id: int | None = None, limit: int = 200):
    """The latest changes to one person's time or one entry, newest first."""
    query = select(TimeEntryChange).order_by(TimeEntryChange.id.desc()).limit(limit)
    if account_id is not None:
        query = query.where(TimeEntryChange.account_id == account_id)
    if entry_id is not None:
        query = query.where(TimeEntryChange.entry_id == entry_id)
    return session.scalars(query).all()
