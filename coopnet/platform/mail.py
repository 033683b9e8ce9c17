"""Mail the platform sends with no tenant bound (address verification, password
reset, sign-up links): a row in platform_mail, delivered by a platform job once
the caller commits, and never if the transaction rolls back."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.errors import NotFound
from coopnet.extensions import db
from coopnet.i18n import speaking_to
from coopnet.mailer import attempt_delivery
from coopnet.platform.models import PlatformMail
from coopnet.worker.queues import delivery_retry, enqueue_after_commit, platform_job


class DeliveryFailed(RuntimeError):
    """Raised after the attempt is recorded, so RQ retries with back-off."""


def compose_platform(session, to: str, subject: str, body: str) -> PlatformMail:
    """Add a message to the platform's mail (flushed, not committed)."""
    message = PlatformMail(to_address=to, subject=subject, body=body, status="queued", attempts=0)
    session.add(message)
    session.flush()
    enqueue_after_commit(session, deliver_platform_mail, message.id)
    return message


def tell_owner(session, account, what) -> PlatformMail:
    """Mail an account's owner about a change to its security (password, address,
    two-factor), so a change they did not make is noticed. ``what`` is lazy text
    (``_l``): it is written in the owner's language."""
    with speaking_to(account):
        subject = _("A change to your coopnet account")
        body = (
            str(what)
            + "\n\n"
            + _("If it was not you, reset your password now and log out everywhere from your account page.")
        )
    return compose_platform(session, account.email, subject, body)


@platform_job(queue="default", retry=delivery_retry())
def deliver_platform_mail(message_id):
    # Claim the row: a second delivery of the same message (a retry and the sweep at
    # once) finds it locked and leaves it to the first.
    claim = select(PlatformMail).where(PlatformMail.id == message_id).with_for_update(skip_locked=True)
    message = db.session.scalar(claim)
    if message is None:
        if db.session.get(PlatformMail, message_id) is None:
            raise NotFound(f"No platform mail {message_id}.")
        return "claimed"
    attempt_delivery(message, current_app.config)
    if message.status == "queued" and message.error:
        db.session.commit()
        raise DeliveryFailed(f"platform mail {message_id}: {message.error}")
    return message.status
