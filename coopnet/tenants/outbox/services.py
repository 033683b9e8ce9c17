"""Delivering mail: SMTP when MAIL_SERVER is set, otherwise held for an admin.

Who commits: the job or command that owns the unit of work; these functions
change rows and return.
"""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.database import utcnow
from coopnet.errors import NotFound
from coopnet.mailer import attempt_delivery
from coopnet.tenants.outbox.models import OutboxMessage


def deliver(session, message_id: int, mail: dict) -> OutboxMessage:
    """Send one queued message. ``mail`` holds the MAIL_* settings; with no server
    the message is kept ('held') so an admin can read it in the outbox."""
    # Claim the row: a second delivery of the same message (a retry and a sweep at
    # once) finds it locked and leaves it to the first.
    claim = select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update(skip_locked=True)
    message = session.scalar(claim)
    if message is None:
        message = session.get(OutboxMessage, message_id)
        if message is None:
            raise NotFound(_("No outbox message %(message_id)s in this co-op.", message_id=message_id))
        return message
    return attempt_delivery(message, mail)


def stale_messages(session, older_than: timedelta) -> list[OutboxMessage]:
    cutoff = utcnow() - older_than
    query = select(OutboxMessage).where(OutboxMessage.status == "queued", OutboxMessage.created_at < cutoff)
    return session.scalars(query.order_by(OutboxMessage.id)).all()


def list_messages(session, limit: int = 200) -> list[OutboxMessage]:
    return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)).all()
