"""Sending one stored message over SMTP and recording the attempt on its row.

Tenant outbox rows and platform mail rows share the columns this needs
(to_address, subject, body, status, attempts, error, sent_at)."""

import re
import smtplib
from email.message import EmailMessage

from coopnet.database import utcnow

MAX_ATTEMPTS = 5
# A one-time token in a link (invitation, sign-up, password reset: 43 characters; a
# signed welcome token carries dots).
LINK_SECRET = re.compile(r"(https?://\S+/)[A-Za-z0-9_.~-]{32,}")
REMOVED = "[link removed once the mail was sent]"


def without_link_secrets(body: str) -> str:
    """``body`` with the one-time tokens of its links removed: once a mail is sent,
    the copy kept in the outbox must not be a way in for whoever reads it later."""
    return LINK_SECRET.sub(lambda match: match.group(1) + REMOVED, body)


def attempt_delivery(message, mail: dict):
    """Send ``message`` unless it is already sent or held. ``mail`` holds the MAIL_*
    settings; with no server the message is kept ('held') for someone to read."""
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
    message.body = without_link_secrets(message.body)
    return message
