"""RQ on REDIS_URL, and the one way to declare and queue each kind of job.

- Tenant jobs (``@tenant_job``) run inside one tenant and nowhere else; queue them
  with ``enqueue_for_tenant(tenant, fn, ...)``. They carry the tenant's slug *and*
  id, and refuse to run when the id behind the slug has changed.
- Platform jobs (``@platform_job``: webhooks, referral routing, platform billing)
  run with no tenant bound; a tenant table touched there raises NoTenantBound.
- Either kind can be queued for later (``at=datetime``, RQ's scheduler) or on a
  period (coopnet.worker.schedule, RQ's cron).

Jobs take ids and plain values, never ORM objects. Only declared functions run,
whatever a queue message says. A job owns its unit of work: the runner commits
when it returns and rolls back when it raises.
"""

import logging
import uuid
from dataclasses import dataclass

from flask import current_app, has_app_context
from redis import Redis
from rq import Queue, Retry

from coopnet.database import after_commit, utcnow

log = logging.getLogger(__name__)

_JOBS = {}
_worker_app = None


@dataclass(frozen=True)
class Declared:
    kind: str  # "tenant" or "platform"
    queue: str
    retry: Retry | None


def redis_connection(app=None):
    app = app or current_app
    connection = app.extensions.get("coopnet.redis")
    if connection is None:
        connection = app.extensions["coopnet.redis"] = Redis.from_url(app.config["REDIS_URL"])
    return connection


def get_queue(name="default", app=None):
    return Queue(name, connection=redis_connection(app))


def _declare(kind, queue, retry):
    def decorate(fn):
        fn.job_target = f"{fn.__module__}:{fn.__qualname__}"
        fn.job = Declared(kind, queue, retry)
        _JOBS[fn.job_target] = fn
        return fn

    return decorate


def tenant_job(queue="default", retry=None):
    """Declare a job that runs inside one tenant."""
    return _declare("tenant", queue, retry)


def platform_job(queue="default", retry=None):
    """Declare a job that runs with no tenant bound."""
    return _declare("platform", queue, retry)


def _declared(fn, kind):
    if _JOBS.get(getattr(fn, "job_target", None)) is not fn or fn.job.kind != kind:
        raise LookupError(f"{fn!r} is not declared with @{kind}_job")
    return fn.job


def _enqueue(declared, runner, runner_args, description, at, job_id, tracked=False):
    queue = get_queue(declared.queue)
    options = {"retry": declared.retry, "description": description, "job_id": job_id}
    if tracked:
        options["meta"] = {"tracked": True}
    if at is not None:
        return queue.enqueue_at(at, runner, *runner_args, **options)
    return queue.enqueue(runner, *runner_args, **options)


def enqueue_for_tenant(tenant, fn, *args, at=None, job_id=None, tracked=False, **kwargs):
    """Queue ``fn(*args, **kwargs)`` to run inside ``tenant`` (anything with .slug and .id)."""
    declared = _declared(fn, "tenant")
    return _enqueue(
        declared,
        run_tenant_job,
        (tenant.slug, tenant.id, fn.job_target, args, kwargs),
        f"{fn.job_target} for {tenant.slug}",
        at,
        job_id,
        tracked,
    )


def enqueue_platform(fn, *args, at=None, job_id=None, tracked=False, **kwargs):
    """Queue ``fn(*args, **kwargs)`` to run with no tenant bound."""
    declared = _declared(fn, "platform")
    return _enqueue(declared, run_platform_job, (fn.job_target, args, kwargs), fn.job_target, at, job_id, tracked)


def enqueue_after_commit(session, fn, *args, tenant=None, track=None, **kwargs):
    """Queue the job once ``session`` commits; nothing is queued if it rolls back.

    This is how work reaches a tenant's schema from anywhere else: a request that
    writes shared records for two tenants commits them, and a tenant job per party
    (queued here) touches that party's own schema. ``track`` is (account_id,
    tenant_id or None, description): the job's progress is then recorded in a row
    written in this same transaction, readable at GET /api/v1/jobs/<id>.

    Returns the job id, known before the job is queued."""
    job_id = uuid.uuid4().hex
    if tenant is None:
        _declared(fn, "platform")
    else:
        _declared(fn, "tenant")
    if track is not None:
        from coopnet.platform.models import JobProgress

        account_id, tenant_id, description = track
        session.add(JobProgress(job_id=job_id, account_id=account_id, tenant_id=tenant_id, description=description))
    tracked = track is not None
    if tenant is None:
        after_commit(session, lambda: enqueue_platform(fn, *args, job_id=job_id, tracked=tracked, **kwargs))
    else:
        ref = _TenantKey(tenant.slug, tenant.id)
        after_commit(session, lambda: enqueue_for_tenant(ref, fn, *args, job_id=job_id, tracked=tracked, **kwargs))
    return job_id


@dataclass(frozen=True)
class _TenantKey:
    slug: str
    id: int


def _resolve(target):
    """Only jobs declared when the app was built (every capability's jobs.py) run;
    a queue message never makes the worker import anything."""
    fn = _JOBS.get(target) if isinstance(target, str) else None
    if fn is None:
        raise LookupError(f"{target!r} is not a declared job")
    return fn


def _app():
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from coopnet import create_app

        _worker_app = create_app()
    return _worker_app


def run_tenant_job(slug, tenant_id, target, args, kwargs):
    """Runs in the worker: a fresh app context whose session is bound to ``slug`` only;
    ``flask.g.tenant`` is the tenant, as in a request."""
    from flask import g

    from coopnet.database import bind_tenant
    from coopnet.extensions import db
    from coopnet.platform.tenants import TenantRef, get_tenant

    app = _app()
    fn = _resolve(target)
    if fn.job.kind != "tenant":
        raise LookupError(f"{target} is not a tenant job")
    with app.app_context():
        tenant = get_tenant(db.session, slug)
        if tenant is None or tenant.is_suspended:
            log.warning("skipping %s: tenant %s is gone or suspended", target, slug)
            return None
        if tenant.id != tenant_id:
            log.warning("skipping %s: tenant %s was deleted and its slug registered again", target, slug)
            return None
        g.tenant = TenantRef(
            tenant.id, tenant.slug, tenant.name, tenant.kind, tenant.status, tenant.locale, time_zone=tenant.time_zone
        )
        bind_tenant(db.session, slug)
        return _run(fn, args, kwargs)


def run_platform_job(target, args, kwargs):
    """Runs in the worker with no tenant bound."""
    from coopnet.extensions import db

    app = _app()
    fn = _resolve(target)
    if fn.job.kind != "platform":
        raise LookupError(f"{target} is not a platform job")
    with app.app_context():
        db.session.info.pop("tenant_schema", None)
        return _run(fn, args, kwargs)


def _run(fn, args, kwargs):
    from coopnet.extensions import db

    _progress(status="running")
    try:
        result = fn(*args, **kwargs)
        db.session.commit()
    except BaseException as exc:
        db.session.rollback()
        _progress(status="failed", message=f"{type(exc).__name__}: {exc}"[:500])
        raise
    _progress(status="finished")
    return result


def report_progress(done, total=None, message=None):
    """From inside a job: how far it has got. Written at once on its own connection,
    so a page polling GET /api/v1/jobs/<id> sees it while the job runs."""
    values = {"done": done, "message": message}
    if total is not None:
        values["total"] = total
    _progress(**values)


def _progress(**values):
    from rq import get_current_job
    from sqlalchemy import update

    from coopnet.extensions import db
    from coopnet.platform.models import JobProgress

    job = get_current_job()
    if job is None or not job.meta.get("tracked"):
        return  # only jobs queued with track= have a progress row
    with db.engine.begin() as connection:
        connection.execute(
            update(JobProgress).where(JobProgress.job_id == job.id).values(updated_at=utcnow(), **values)
        )


def delivery_retry():
    return Retry(max=4, interval=[30, 120, 600, 1800])
