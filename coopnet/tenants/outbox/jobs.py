"""Background delivery of outbox mail, and the sweep that catches lost deliveries."""

from datetime import timedelta

from flask import current_app

from coopnet.extensions import db
from coopnet.tenants.outbox.services import deliver, stale_messages
from coopnet.worker.queues import delivery_retry, tenant_job


class DeliveryFailed(RuntimeError):
    """Raised after the attempt is recorded, so RQ retries with back-off."""


@tenant_job(queue="default", retry=delivery_retry())
def deliver_message(message_id):
    message = deliver(db.session, message_id, current_app.config)
    if message.status == "queued" and message.error:
        db.session.commit()
        raise DeliveryFailed(f"message {message_id}: {message.error}")
    return message.status


# Longer than every retry of deliver_message put together (about 43 minutes).
STALE_AFTER = timedelta(hours=3)


@tenant_job(queue="default")
def requeue_stale():
    """Deliver mail still queued long after its job should have finished (a lost job)."""
    sent = 0
    for message in stale_messages(db.session, STALE_AFTER):
        deliver(db.session, message.id, current_app.config)
        sent += 1
    return sent
