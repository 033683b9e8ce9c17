"""Composing mail: a row in the tenant's outbox, delivered by a job once the caller commits."""

from coopnet.tenants.outbox.jobs import deliver_message
from coopnet.tenants.outbox.models import OutboxMessage
from coopnet.worker.queues import enqueue_after_commit


def compose(session, tenant, to: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to ``tenant``'s outbox (flushed, not committed); the worker
    delivers it after the commit, and never if the transaction rolls back."""
    message = OutboxMessage(to_address=to, subject=subject, body=body, status="queued", attempts=0)
    session.add(message)
    session.flush()
    enqueue_after_commit(session, deliver_message, message.id, tenant=tenant)
    return message
