"""Delivering mail: SMTP when MAIL_SERVER is set, otherwise held for an admin.

Who commits: the job or command that owns the unit of work; these functions
change rows and return.
"""

import smtplib
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import select

from coopnet.database import utcnow
from coopnet.errors import NotFound
from coopnet.tenants.outbox.models import OutboxMessage

MAX_ATTEMPTS = 5


def deliver(session, message_id: int, mail: dict) -> OutboxMessage:
    """Send one queued message. ``mail`` holds the MAIL_* settings; with no server
    the message is kept ('held') so an admin can read it in the outbox."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(f"No outbox message {message_id} in this co-op.")
    if message.status in ("sent", "held"):
        return message
    message.attempts += 1
    if not mail.get("MAIL_SERVER"):
        message.status = "held"
        return message
    email = EmailMessage()
    email["From"] = mail["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email.set_content(message.body)
    try:
        with smtplib.SMTP(mail["MAIL_SERVER"], mail.get("MAIL_PORT", 25), timeout=30) as smtp:
            if mail.get("MAIL_USE_TLS"):
                smtp.starttls()
            if mail.get("MAIL_USERNAME"):
                smtp.login(mail["MAIL_USERNAME"], mail["MAIL_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        message.error = str(exc)[:1000]
        message.status = "failed" if message.attempts >= MAX_ATTEMPTS else "queued"
        return message
    message.status, message.sent_at, message.error = "sent", utcnow(), None
    return message


def stale_messages(session, older_than: timedelta) -> list[OutboxMessage]:
    cutoff = utcnow() - older_than
    query = select(OutboxMessage).where(OutboxMessage.status == "queued", OutboxMessage.created_at < cutoff)
    return session.scalars(query.order_by(OutboxMessage.id)).all()


def list_messages(session, limit: int = 200) -> list[OutboxMessage]:
    return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)).all()
