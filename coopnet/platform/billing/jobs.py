"""Platform billing in the worker (platform jobs: no tenant bound, shared tables only):
the platform's Stripe events, and the daily pass that warns and limits unpaid tenants."""

from rq import Retry
from sqlalchemy import select

from coopnet.database import utcnow
from coopnet.extensions import db
from coopnet.platform.billing import events, standing
from coopnet.platform.billing.models import PLATFORM_ACCOUNT, StripeEvent
from coopnet.worker.queues import platform_job


@platform_job(retry=Retry(max=6, interval=[10, 30, 120, 600, 1800, 3600]))
def process_platform_event(event_row_id):
    """Apply one of the platform's recorded Stripe events, once."""
    row = db.session.scalar(
        select(StripeEvent)
        .where(StripeEvent.id == event_row_id, StripeEvent.tenant_id == PLATFORM_ACCOUNT)
        .with_for_update()
    )
    if row is None or row.processed_at is not None:
        return "already processed"
    outcome = events.apply_event(db.session, row.payload, utcnow().date())
    row.processed_at, row.outcome = utcnow(), outcome[:200]
    db.session.commit()
    return outcome


@platform_job()
def billing_sweep():
    """Daily: comps that ended, tenants grown past their plan, grace periods run out."""
    outcome = standing.sweep(db.session, utcnow().date())
    db.session.commit()
    return outcome
