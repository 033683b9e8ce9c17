"""The support queue (May First answers in the open): members file tickets, any member
may answer, and tickets marked public can be read by anyone.

Who commits: the view or API that calls these; they flush and return."""

from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.tenants.dues import settings as dues_settings
from coopnet.tenants.dues.models import SupportAnswer, SupportTicket


def require_enabled(session) -> None:
    if not dues_settings.effective(session).support_queue:
        raise NotFound(_("This organisation has no support queue."))


def _text(value, name, limit, problems):
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text or len(text) > limit:
        problems[name] = _("Write something (up to %(limit)s characters).", limit=limit)
    return text


def file_ticket(session, author_id: int, author_name: str, subject, body, public: bool) -> SupportTicket:
    require_enabled(session)
    problems = {}
    subject = _text(subject, "subject", 200, problems)
    body = _text(body, "body", 20000, problems)
    if any(ord(c) < 32 for c in subject):
        problems["subject"] = _("One line, please.")
    if problems:
        raise ValidationFailed(_("The ticket is missing something."), problems)
    ticket = SupportTicket(
        author_id=author_id, author_name=author_name[:200], subject=subject, body=body, public=bool(public)
    )
    session.add(ticket)
    session.flush()
    return ticket


def answer(session, ticket_id: int, author_id: int, author_name: str, body) -> SupportAnswer:
    """Any member may answer; a closed ticket takes no more answers."""
    ticket = get(session, ticket_id)
    if ticket.status == "closed":
        raise Conflict(_("This ticket is closed."), code="ticket_closed")
    problems = {}
    body = _text(body, "body", 20000, problems)
    if problems:
        raise ValidationFailed(_("The answer is empty."), problems)
    found = SupportAnswer(ticket_id=ticket.id, author_id=author_id, author_name=author_name[:200], body=body)
    session.add(found)
    ticket.status = "answered"
    session.flush()
    return found


def get(session, ticket_id: int, public_only: bool = False) -> SupportTicket:
    require_enabled(session)
    ticket = session.get(SupportTicket, ticket_id)
    if ticket is None or (public_only and not ticket.public):
        raise NotFound(_("There is no such ticket."))
    return ticket


def tickets(session, public_only: bool = False) -> list[SupportTicket]:
    require_enabled(session)
    query = select(SupportTicket).order_by(SupportTicket.id.desc())
    if public_only:
        query = query.where(SupportTicket.public.is_(True))
    return list(session.scalars(query))


def answers(session, ticket_id: int) -> list[SupportAnswer]:
    return list(
        session.scalars(select(SupportAnswer).where(SupportAnswer.ticket_id == ticket_id).order_by(SupportAnswer.id))
    )
