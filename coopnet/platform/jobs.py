"""The platform's own jobs: mail whose delivery job was lost, account records no cookie
or link can use any more, a deleted account's departure from each of its co-ops, and
the spare tenant schemas signup takes."""

from datetime import timedelta

from flask import current_app, g
from sqlalchemy import delete, select

from coopnet.database import utcnow
from coopnet.extensions import db
from coopnet.platform.mail import deliver_platform_mail
from coopnet.platform.models import AccountLink, PlatformMail
from coopnet.platform.sessions import sweep_sessions
from coopnet.platform.spares import keep_spares
from coopnet.worker.queues import enqueue_platform, platform_job, tenant_job

# Longer than every retry of a delivery put together (about 43 minutes).
STALE_AFTER = timedelta(hours=1)
# Used and expired links are kept this long (what happened to a reset is visible), then dropped.
KEEP_LINKS = timedelta(days=7)


@platform_job()
def requeue_stale_platform_mail():
    """Queue delivery again for platform mail still queued long after its job should
    have finished (a worker lost it). One job per message."""
    cutoff = utcnow() - STALE_AFTER
    stale = db.session.scalars(
        select(PlatformMail.id).where(PlatformMail.status == "queued", PlatformMail.created_at < cutoff)
    ).all()
    for message_id in stale:
        enqueue_platform(deliver_platform_mail, message_id)
    return len(stale)


@tenant_job()
def leave_after_deletion(account_id):
    """In one co-op, after one of its people deleted their account: each capability
    records the departure its own way (``privacy.leave_coop``; the register: a withdrawal)."""
    from coopnet.capabilities import capabilities

    for capability in capabilities():
        leave = capability.attribute("privacy", "leave_coop")
        if leave is not None:
            leave(db.session, g.tenant, account_id)
    db.session.commit()


@platform_job()
def sweep_account_records():
    """Drop sessions past their lifetime and links used or expired a week ago."""
    sessions = sweep_sessions(db.session)
    links = db.session.execute(delete(AccountLink).where(AccountLink.expires_at < utcnow() - KEEP_LINKS)).rowcount
    db.session.commit()
    return {"sessions": sessions, "links": links}


@platform_job()
def refill_spare_schemas():
    """Keep TENANT_SPARE_SCHEMAS spare schemas ready at the tenant head (stale ones replaced)."""
    upkeep = keep_spares(db.engine, current_app.config["TENANT_SPARE_SCHEMAS"])
    return {"dropped": upkeep.dropped, "made": upkeep.made, "ready": upkeep.ready}


def schedules():
    from coopnet.worker.schedule import Every

    return (
        Every(requeue_stale_platform_mail, seconds=15 * 60),
        Every(sweep_account_records, cron="40 4 * * *"),
        # Each signup that took a spare leaves one fewer; a burst beyond the pool runs the DDL.
        Every(refill_spare_schemas, seconds=60),
    )
