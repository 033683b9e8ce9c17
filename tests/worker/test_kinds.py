"""The three kinds of job: after-commit tenant jobs, platform jobs, scheduled and periodic jobs."""

from datetime import timedelta

import pytest
from rq import SimpleWorker
from sqlalchemy import func, select

from coopnet.database import NoTenantBound, tenant_scope, utcnow
from coopnet.extensions import db as _db
from coopnet.platform.models import JobProgress
from coopnet.tenants.outbox.models import OutboxMessage
from coopnet.worker.queues import (
    enqueue_after_commit,
    enqueue_for_tenant,
    enqueue_platform,
    get_queue,
    platform_job,
    redis_connection,
    report_progress,
    tenant_job,
)
from coopnet.worker.schedule import build_cron, for_each_tenant
from tests.conftest import run_jobs


@tenant_job()
def note_here(text):
    _db.session.add(OutboxMessage(to_address="ops@example.org", subject=text, body=text, status="held", attempts=0))


@platform_job()
def count_tenants():
    from coopnet.platform.models import Tenant

    return _db.session.scalar(select(func.count()).select_from(Tenant))


@platform_job()
def read_a_tenant_table():
    return _db.session.scalars(select(OutboxMessage)).all()


@platform_job()
def long_count(n):
    for i in range(1, n + 1):
        report_progress(i, n, f"counted {i}")
    return n


def notes(slug):
    with tenant_scope(_db.session, slug):
        return [m.subject for m in _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def queued(app):
    with app.app_context():
        return sum(get_queue(name).count for name in app.config["RQ_QUEUES"])


def test_after_commit_jobs_reach_both_parties_only_once_committed(app, make_tenant):
    quilted, _ = make_tenant("quilted")
    design_action, admin = make_tenant("design-action")
    with app.app_context():
        # A cross-tenant operation: shared records only, then one tenant job per party.
        _db.session.add(JobProgress(job_id="shared-record", account_id=admin.id, description="a shared record"))
        enqueue_after_commit(_db.session, note_here, "subcontract agreed", tenant=quilted)
        enqueue_after_commit(_db.session, note_here, "subcontract agreed", tenant=design_action)
        assert queued(app) == 0  # nothing runs before the commit
        _db.session.commit()
    assert queued(app) == 2
    run_jobs(app)
    with app.app_context():
        assert notes("quilted") == ["subcontract agreed"]
        assert notes("design-action") == ["subcontract agreed"]


def test_nothing_is_queued_when_the_transaction_rolls_back(app, make_tenant):
    quilted, _ = make_tenant("quilted")
    with app.app_context():
        enqueue_after_commit(_db.session, note_here, "never", tenant=quilted)
        _db.session.rollback()
        _db.session.commit()
    assert queued(app) == 0


def test_a_platform_job_runs_with_no_tenant_and_a_tenant_table_there_fails(app, make_tenant):
    make_tenant("quilted")
    make_tenant("design-action")
    with app.app_context():
        counted = enqueue_platform(count_tenants)
        leaking = enqueue_platform(read_a_tenant_table)
    run_jobs(app)
    assert counted.return_value() == 2
    assert leaking.get_status() == "failed"
    assert "NoTenantBound" in leaking.latest_result().exc_string


def test_declared_kinds_are_not_interchangeable(app, make_tenant):
    quilted, _ = make_tenant("quilted")
    with app.app_context():
        with pytest.raises(LookupError):
            enqueue_platform(note_here, "x")
        with pytest.raises(LookupError):
            enqueue_for_tenant(quilted, count_tenants)
        with pytest.raises(NoTenantBound):
            read_a_tenant_table()


def test_a_job_queued_for_later_fires_from_the_real_worker_with_its_scheduler(app, make_tenant):
    quilted, _ = make_tenant("quilted")
    with app.app_context():
        job = enqueue_for_tenant(quilted, note_here, "later", at=utcnow() - timedelta(seconds=1))
        assert job.get_status() == "scheduled"
        queues = [get_queue(name) for name in app.config["RQ_QUEUES"]]
        SimpleWorker(queues, connection=redis_connection(app)).work(burst=True, with_scheduler=True)
        assert job.get_status() == "finished"
        assert notes("quilted") == ["later"]


def test_for_each_tenant_reaches_every_active_tenant_once_in_batches(app, make_tenant):
    slugs = [f"coop-{i}" for i in range(7)]
    for slug in slugs:
        make_tenant(slug)
    assert app.test_cli_runner().invoke(args=["tenants", "suspend", "coop-3"]).exit_code == 0
    with app.app_context():
        for_each_tenant(note_here, "swept", batch=2)
    run_jobs(app)
    with app.app_context():
        for slug in slugs:
            assert notes(slug) == ([] if slug == "coop-3" else ["swept"]), slug


def test_progress_of_a_long_job_is_readable_by_whoever_queued_it_only(app, client, login, make_tenant, make_account):
    _, admin = make_tenant("quilted")
    stranger = make_account()
    with app.app_context():
        job_id = enqueue_after_commit(_db.session, long_count, 3, track=(admin.id, None, "counting"))
        _db.session.commit()
    login(admin.email)
    before = client.get(f"/api/v1/jobs/{job_id}").get_json()
    assert (before["status"], before["done"], before["description"]) == ("queued", 0, "counting")
    run_jobs(app)
    after = client.get(f"/api/v1/jobs/{job_id}").get_json()
    assert (after["status"], after["done"], after["total"], after["message"]) == ("finished", 3, 3, "counted 3")
    client.delete("/api/v1/session")
    login(stranger.email)
    refused = client.get(f"/api/v1/jobs/{job_id}")
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"
    client.delete("/api/v1/session")
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 401


def test_the_cron_scheduler_registers_every_capabilitys_periodic_jobs(app, db):
    scheduler = build_cron(app)
    registered = {(job.args[0], job.args[1]) for job in scheduler.get_jobs()}
    assert ("coopnet.worker.schedule:fan_out", ("coopnet.tenants.outbox.jobs:requeue_stale",)) in registered
    assert ("coopnet.platform.jobs:requeue_stale_platform_mail", ()) in registered
    assert ("coopnet.platform.jobs:refill_spare_schemas", ()) in registered
    scheduler.enqueue_jobs()  # what the cron process does when a period is due
    run_jobs(app)  # (the jobs write rows and spare schemas: the db fixture clears them after)


def test_a_queue_message_never_makes_the_worker_import_a_module(app):
    import sys

    from coopnet.worker.queues import run_platform_job, run_tenant_job

    sys.modules.pop("coopnet.wsgi", None)
    with app.app_context():
        with pytest.raises(LookupError):
            run_platform_job("coopnet.wsgi:app", (), {})
        with pytest.raises(LookupError):
            run_tenant_job("quilted", 1, "coopnet.demo:load_demo", (), {})
    assert "coopnet.wsgi" not in sys.modules
