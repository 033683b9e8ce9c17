"""Periodic work: RQ's cron enqueues it, ``for_each_tenant`` fans it out over tenants.

A capability lists its periodic jobs in ``Capability.schedules`` as ``Every(...)``;
the platform's own are in ``coopnet.platform.jobs``.
A tenant job there runs once in every active tenant per period (a sweep that
catches what a lost one-off job missed); a platform job runs once per period.
``coopnet cron`` runs the scheduler (one per deployment); ``coopnet serve``
starts one beside its worker.
"""

from dataclasses import dataclass

from sqlalchemy import select

from coopnet.worker.queues import enqueue_for_tenant, platform_job, redis_connection, run_platform_job

FAN_OUT_BATCH = 200


@dataclass(frozen=True)
class Every:
    job: object  # a declared tenant or platform job
    seconds: int | None = None
    cron: str | None = None  # "*/10 * * * *"


@dataclass(frozen=True)
class _Tenant:
    slug: str
    id: int


@platform_job()
def fan_out(target, args=(), kwargs=None, after_id=0, batch=FAN_OUT_BATCH):
    """Queue tenant job ``target`` for the next ``batch`` active tenants after
    ``after_id``, then queue itself for the batch after that. Returns how many
    tenants this batch reached."""
    from coopnet.extensions import db
    from coopnet.platform.models import Tenant
    from coopnet.worker.queues import _resolve

    fn = _resolve(target)
    rows = db.session.execute(
        select(Tenant.id, Tenant.slug)
        .where(Tenant.status == "active", Tenant.id > after_id)
        .order_by(Tenant.id)
        .limit(batch)
    ).all()
    for tenant_id, slug in rows:
        enqueue_for_tenant(_Tenant(slug, tenant_id), fn, *args, **(kwargs or {}))
    if len(rows) == batch:
        from coopnet.worker.queues import enqueue_platform

        enqueue_platform(fan_out, target, args, kwargs, after_id=rows[-1][0], batch=batch)
    return len(rows)


def for_each_tenant(fn, *args, batch=FAN_OUT_BATCH, **kwargs):
    """Queue tenant job ``fn`` once in every active tenant (suspended ones are skipped)."""
    from coopnet.worker.queues import _declared, enqueue_platform

    _declared(fn, "tenant")
    return enqueue_platform(fan_out, fn.job_target, args, kwargs, batch=batch)


def periodic_jobs():
    """The platform's own periodic jobs, then each capability's."""
    from coopnet.capabilities import capabilities
    from coopnet.platform import jobs

    return [*jobs.schedules(), *(every for capability in capabilities() for every in capability.schedules)]


def build_cron(app):
    """An RQ CronScheduler with every capability's periodic jobs registered."""
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=redis_connection(app))
    for every in periodic_jobs():
        job = every.job
        call = (fan_out.job_target, (job.job_target,), {}) if job.job.kind == "tenant" else (job.job_target, (), {})
        scheduler.register(
            run_platform_job, job.job.queue, args=call, interval=every.seconds, cron=every.cron, name=job.job_target
        )
    return scheduler
