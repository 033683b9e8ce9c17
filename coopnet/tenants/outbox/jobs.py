"""Background delivery of outbox mail, and the sweep that catches lost deliveries."""

from datetime import timedelta

from flask import current_app, g

from coopnet.extensions import db
from coopnet.tenants.outbox.services import deliver, stale_messages
from coopnet.worker.queues import delivery_retry, enqueue_for_tenant, tenant_job


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
    """Queue delivery again for mail still queued long after its job should have
    finished (a lost job). Each message gets its own job, so one failure or a retry
    never sends the others twice."""
    stale = [message.id for message in stale_messages(db.session, STALE_AFTER)]
    for message_id in stale:
        enqueue_for_tenant(g.tenant, deliver_message, message_id)
    return len(stale)
