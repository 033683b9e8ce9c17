"""Dues in the worker: the renewal run, billing one member, the hourly standing sweep
(grace, lapsing, reminders, retries of failed payments), and Stripe events (a platform
job: it binds the one tenant the event was received for)."""

from flask import g
from rq import Retry
from sqlalchemy import select

from coopnet.database import tenant_scope, utcnow
from coopnet.extensions import db
from coopnet.tenants.dues import billing, register
from coopnet.tenants.dues import settings as dues_settings
from coopnet.tenants.dues.models import StripeEvent
from coopnet.worker.queues import enqueue_for_tenant, platform_job, report_progress, tenant_job

STRIPE_RETRY = Retry(max=6, interval=[10, 30, 120, 600, 1800, 3600])


# Seconds of billing a job does before it hands on to a fresh one (RQ stops a job at 180).
RUN_BUDGET = 120


@tenant_job(retry=STRIPE_RETRY)
def renewal_run(after_id=0):
    """Bill every member due; when Stripe is unreachable the job fails and RQ retries it
    with backoff, and the run picks up where it stopped. A long run goes on in a new job."""
    found = dues_settings.current(db.session)
    if found is None or found.stripe_secret_key is None:
        return {"billed": 0}
    outcome = billing.renew_all(db.session, g.tenant, utcnow().date(), report_progress, after_id, RUN_BUDGET)
    if outcome.pop("more"):
        job = enqueue_for_tenant(g.tenant, renewal_run, after_id=outcome["last_id"])
        report_progress(outcome["last_id"], message=f"continued in job {job.id}")
    return outcome


@tenant_job(retry=STRIPE_RETRY)
def bill_member(member_id):
    return billing.bill(db.session, g.tenant, member_id)


@tenant_job()
def sweep():
    """Hourly in every tenant (idempotent, so daily in effect): standing, reminders,
    retries of failed payments, and the renewal run for whoever is due."""
    now = utcnow()
    outcome = register.standing_sweep(db.session, g.tenant, now.date())
    db.session.commit()
    settings = dues_settings.current(db.session)
    if settings is not None and settings.stripe_secret_key is not None:
        outcome["retried"] = billing.retry_failed(db.session, g.tenant, now)
        renewals = billing.renew_all(db.session, g.tenant, now.date(), None, 0, RUN_BUDGET)
        if renewals.pop("more"):
            enqueue_for_tenant(g.tenant, renewal_run, after_id=renewals["last_id"])
        outcome["renewals"] = renewals
    return outcome


@platform_job(retry=STRIPE_RETRY)
def process_stripe_event(event_row_id):
    """Apply one recorded event inside the tenant it was received for, once."""
    from coopnet.platform.models import Tenant
    from coopnet.platform.tenants import TenantRef

    row = db.session.get(StripeEvent, event_row_id)
    if row is None or row.processed_at is not None:
        return "already processed"
    tenant = db.session.get(Tenant, row.tenant_id)
    if tenant is None or tenant.is_suspended:
        return "tenant gone"
    ref = TenantRef(
        tenant.id, tenant.slug, tenant.name, tenant.kind, tenant.status, tenant.locale, time_zone=tenant.time_zone
    )
    db.session.commit()
    with tenant_scope(db.session, tenant.slug):
        row = db.session.scalar(select(StripeEvent).where(StripeEvent.id == event_row_id).with_for_update())
        if row.processed_at is not None:
            db.session.commit()
            return "already processed"
        outcome = billing.apply_event(db.session, ref, row.payload, utcnow())
        row.processed_at, row.outcome = utcnow(), outcome[:200]
        db.session.commit()
    return outcome
