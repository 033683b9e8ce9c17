"""Closing proposals on time: a job queued for each closing time, a reminder a day
before, and a sweep that catches whatever a lost job missed."""

import logging

from flask import g

from coopnet.extensions import db
from coopnet.tenants.governance import proposals
from coopnet.worker.queues import enqueue_after_commit, tenant_job

log = logging.getLogger(__name__)


@tenant_job()
def close_when_due(proposal_id):
    """Queued for the closing time; closing is idempotent, so a late or second run is harmless."""
    proposal = proposals.close(db.session, g.tenant, proposal_id, "schedule")
    return proposal.outcome


@tenant_job()
def remind(proposal_id):
    return proposals.remind_silent(db.session, g.tenant, proposal_id)


@tenant_job()
def sweep():
    """Every few minutes in every co-op: close what is due, send reminders not yet sent."""
    tenant = g.tenant
    closed = []
    for proposal_id in proposals.due(db.session):
        try:
            with db.session.begin_nested():  # one proposal that fails to close stops no other
                closed.append(proposals.close(db.session, tenant, proposal_id, "sweep").id)
        except Exception:
            log.exception("proposal %s could not be closed; the next sweep tries again", proposal_id)
    reminded = sum(proposals.remind_silent(db.session, tenant, pid) for pid in proposals.needing_reminder(db.session))
    return {"closed": closed, "reminded": reminded}


def schedule_closing(session, tenant, proposal):
    """After the commit: a job at the closing time, and a reminder a day before it."""
    enqueue_after_commit(session, close_when_due, proposal.id, tenant=tenant, at=proposal.closes_at)
    remind_at = proposal.closes_at - proposals.REMIND_BEFORE
    if remind_at > proposal.opened_at:
        enqueue_after_commit(session, remind, proposal.id, tenant=tenant, at=remind_at)
