"""Minutes as PDF, and meetings as an iCalendar feed a calendar app subscribes to."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from coopnet.database import utcnow
from coopnet.pdf import document
from coopnet.tenants.governance.models import CalendarKey, Meeting

RRULES = {"weekly": {"freq": "weekly"}, "monthly": {"freq": "monthly"}}


def minutes_pdf(markdown_text: str) -> bytes:
    """The minutes' Markdown laid out as a PDF (headings, lists, paragraphs)."""
    pdf, family, clean = document()
    for line in markdown_text.splitlines():
        size, text = 11, line
        if line.startswith("# "):
            size, text = 17, line[2:]
        elif line.startswith("## "):
            size, text = 13, line[3:]
        elif line.startswith("- "):
            text = "\u2022 " + line[2:] if family == "body" else "- " + line[2:]
        pdf.set_font(family, size=size)
        if text.strip():
            pdf.multi_cell(0, size * 0.55, clean(text.strip("_")), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    return bytes(pdf.output())


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_calendar_key(session, account_id: int) -> str:
    """A new secret for this member's calendar URL; the previous one stops working."""
    key = secrets.token_urlsafe(24)
    values = {"key_hash": _hash(key), "created_at": utcnow()}
    session.execute(
        insert(CalendarKey)
        .values(account_id=account_id, **values)
        .on_conflict_do_update(index_elements=[CalendarKey.account_id], set_=values)
    )
    session.flush()
    return key


def account_for_calendar_key(session, key: str | None) -> int | None:
    if not key or len(key) > 100:
        return None
    return session.scalar(select(CalendarKey.account_id).where(CalendarKey.key_hash == _hash(key)))


def still_member(session, tenant, account_id: int) -> bool:
    """A key stops working when its member leaves the co-op."""
    from coopnet.platform.models import Membership

    query = select(Membership.id).where(Membership.tenant_id == tenant.id, Membership.account_id == account_id)
    return session.scalar(query) is not None


def meetings_ics(session, tenant_name: str, tenant_slug: str, base_url: str) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//coopnet//meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{tenant_name} meetings")
    for meeting in session.scalars(select(Meeting).order_by(Meeting.starts_at)):
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@{tenant_slug}.coopnet")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.minutes_long))
        event.add("dtstamp", utcnow())
        if meeting.location:
            event.add("location", meeting.location)
        agenda = "\n".join(f"- {item['title']}" for item in meeting.agenda or [])
        event.add("description", (agenda + "\n\n" if agenda else "") + f"{base_url}/c/{tenant_slug}/meetings")
        if meeting.recurrence in RRULES:
            event.add("rrule", RRULES[meeting.recurrence])
        elif meeting.recurrence == "weeks":
            event.add("rrule", {"freq": "weekly", "interval": meeting.every_weeks})
        calendar.add_component(event)
    return calendar.to_ical()
