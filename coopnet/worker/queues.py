"""RQ on REDIS_URL, and the one way to run a job inside a tenant."""
import importlib
import logging

from flask import current_app, has_app_context
from redis import Redis
from rq import Queue, Retry

log = logging.getLogger(__name__)

_TENANT_JOBS = {}
_worker_app = None


def redis_connection(app=None):
    app = app or current_app
    connection = app.extensions.get("coopnet.redis")
    if connection is None:
        connection = app.extensions["coopnet.redis"] = Redis.from_url(app.config["REDIS_URL"])
    return connection


def get_queue(name="default", app=None):
    return Queue(name, connection=redis_connection(app))


def tenant_job(queue="default", retry=None):
    """Declare a job that runs inside one tenant; enqueue it with enqueue_for_tenant.

    Jobs take ids and plain values, never ORM objects. Only functions declared
    here can be run by run_tenant_job, whatever a queue message says."""

    def decorate(fn):
        fn.job_target = f"{fn.__module__}:{fn.__qualname__}"
        fn.job_queue, fn.job_retry = queue, retry
        _TENANT_JOBS[fn.job_target] = fn
        return fn

    return decorate


def enqueue_for_tenant(slug, fn, *args, **kwargs):
    """Queue ``fn(*args, **kwargs)`` to run inside tenant ``slug`` and nowhere else."""
    if _TENANT_JOBS.get(getattr(fn, "job_target", None)) is not fn:
        raise LookupError(f"{fn!r} is not declared with @tenant_job")
    return get_queue(fn.job_queue).enqueue(
        run_tenant_job, slug, fn.job_target, args, kwargs, retry=fn.job_retry, description=f"{fn.job_target} for {slug}"
    )


def _resolve(target):
    fn = _TENANT_JOBS.get(target)
    if fn is None:
        module = target.split(":", 1)[0]
        importlib.import_module(module)  # importing registers the module's jobs
        fn = _TENANT_JOBS.get(target)
    if fn is None:
        raise LookupError(f"{target} is not a tenant job")
    return fn


def _app():
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from coopnet import create_app

        _worker_app = create_app()
    return _worker_app


def run_tenant_job(slug, target, args, kwargs):
    """Runs in the worker: a fresh app context whose session is bound to ``slug`` only."""
    from coopnet.extensions import db
    from coopnet.platform.tenancy import bind_tenant
    from coopnet.platform.tenants import get_tenant

    fn = _resolve(target)
    with _app().app_context():
        tenant = get_tenant(db.session, slug)
        if tenant is None or tenant.is_suspended:
            log.warning("skipping %s: tenant %s is gone or suspended", target, slug)
            return None
        bind_tenant(db.session, slug)
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        return result


def delivery_retry():
    return Retry(max=4, interval=[30, 120, 600, 1800])
