"""Membership's jobs: the daily probation check (candidates who have now served their
time get their admission vote), and queuing delivery of a whole import's welcome mail."""

from flask import g

from coopnet.extensions import db
from coopnet.tenants.membership import probation
from coopnet.tenants.outbox.jobs import deliver_message
from coopnet.worker.queues import enqueue_for_tenant, tenant_job


@tenant_job()
def check_probation():
    """Open the admission proposal of every candidate who meets the policy today (once
    each). One query finds them; only those get a proposal."""
    opened = [
        proposal_id
        for account_id in probation.ready_for_admission(db.session)
        if (proposal_id := probation.consider_admission(db.session, g.tenant, account_id))
    ]
    return len(opened)


@tenant_job()
def deliver_all(message_ids):
    """Queue each message's own delivery job (one failure or retry never resends the others),
    here in the worker rather than thousands of queue writes in the request that imported."""
    for message_id in message_ids:
        enqueue_for_tenant(g.tenant, deliver_message, message_id)
    return len(message_ids)
