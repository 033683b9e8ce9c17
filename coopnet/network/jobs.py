"""Network work the worker does: offer deadlines (a job at each deadline and a sweep
that catches what a lost one missed), the network's mail, admission proposals, and the
subcontractor's timesheet following the contractor's decision on published hours."""

from flask import g

from coopnet.extensions import db
from coopnet.network.models import Offer
from coopnet.platform.models import Tenant
from coopnet.worker.queues import enqueue_after_commit, platform_job, tenant_job


@platform_job()
def expire_offer(offer_id):
    """Queued for the offer's deadline; expiring is idempotent, so a late or second run is harmless."""
    from coopnet.network import referrals

    return referrals.expire(db.session, offer_id)


@platform_job()
def sweep_offers():
    """Every few minutes: expire every open offer past its deadline."""
    from coopnet.network import referrals

    return [offer_id for offer_id in referrals.due_offers(db.session) if referrals.expire(db.session, offer_id)]


@tenant_job()
def network_mail(to, subject, body):
    """Inside the network: put a message in its outbox (delivered by the outbox's own job)."""
    from coopnet.tenants.outbox.mail import compose

    return compose(db.session, g.tenant, to, subject, body).id


@tenant_job()
def open_admission(invitation_id):
    """Inside the network: the admission proposal for an invitation accepted while its rulebook decides."""
    from coopnet.network import admission

    proposal = admission.open_proposal(db.session, g.tenant, invitation_id)
    return proposal.id if proposal is not None else None


@tenant_job()
def follow_hours(published_id):
    """Inside the subcontractor: its timesheet entry follows the shared record."""
    from coopnet.network import subcontracts

    return subcontracts.follow(db.session, published_id)


def schedule_expiry(session, offer: Offer) -> None:
    enqueue_after_commit(session, expire_offer, offer.id, at=offer.respond_by)


def follow_in_subcontractor(session, subcontract, entry) -> None:
    subcontractor = session.get(Tenant, subcontract.subcontractor_id)
    enqueue_after_commit(session, follow_hours, entry.id, tenant=subcontractor)
