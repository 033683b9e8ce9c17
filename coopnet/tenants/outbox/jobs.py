"""Background delivery of outbox mail."""
from flask import current_app

from coopnet.extensions import db
from coopnet.tenants.outbox.services import deliver
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
