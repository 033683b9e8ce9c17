"""Tenant jobs on the real RQ queue: they run inside their tenant and nowhere else."""

import pytest
from sqlalchemy import select

from coopnet.database import bind_tenant, current_schema
from coopnet.extensions import db as _db
from coopnet.tenants.membership.models import Invitation
from coopnet.tenants.outbox.models import OutboxMessage
from coopnet.worker.queues import _JOBS, enqueue_for_tenant, run_tenant_job, tenant_job
from tests.conftest import run_jobs


@tenant_job()
def count_invitations():
    return (current_schema(_db.session), len(_db.session.scalars(select(Invitation)).all()))


@tenant_job()
def add_outbox_note(text):
    from coopnet.tenants.outbox.models import OutboxMessage

    _db.session.add(OutboxMessage(to_address="ops@example.org", subject=text, body=text, status="held", attempts=0))


def seed_invitation(app, slug, email):
    from datetime import datetime, timedelta, timezone

    with app.app_context():
        bind_tenant(_db.session, slug)
        _db.session.add(
            Invitation(
                email=email,
                role="member",
                token_hash=email.ljust(64, "x")[:64],
                invited_by=1,
                expires_at=datetime.now(timezone.utc) + timedelta(days=1),
            )
        )
        _db.session.commit()


def test_job_runs_inside_its_tenant_only(app, make_tenant):
    quilted, _ = make_tenant("quilted")
    design_action, _ = make_tenant("design-action")
    seed_invitation(app, "quilted", "a@quilted.example")
    seed_invitation(app, "design-action", "b@designaction.example")
    seed_invitation(app, "design-action", "c@designaction.example")
    with app.app_context():
        job_a = enqueue_for_tenant(quilted, count_invitations)
        job_b = enqueue_for_tenant(design_action, count_invitations)
    run_jobs(app)
    assert job_a.return_value() == ("t_quilted", 1)
    assert job_b.return_value() == ("t_design_action", 2)


def test_job_writes_land_in_its_tenant(app, make_tenant):
    quilted, _ = make_tenant("quilted")
    make_tenant("design-action")
    with app.app_context():
        enqueue_for_tenant(quilted, add_outbox_note, "only for quilted")
    run_jobs(app)
    with app.app_context():
        bind_tenant(_db.session, "quilted")
        assert [m.subject for m in _db.session.scalars(select(OutboxMessage))] == ["only for quilted"]
        bind_tenant(_db.session, "design-action")
        assert _db.session.scalars(select(OutboxMessage)).all() == []


def test_job_for_suspended_or_deleted_tenant_does_nothing(app, make_tenant):
    quilted, _ = make_tenant("quilted")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tenants", "suspend", "quilted"]).exit_code == 0
    with app.app_context():
        assert run_tenant_job("quilted", quilted.id, add_outbox_note.job_target, ("x",), {}) is None
        assert run_tenant_job("gone-coop", 999, add_outbox_note.job_target, ("x",), {}) is None
    assert runner.invoke(args=["tenants", "resume", "quilted"]).exit_code == 0
    with app.app_context():
        bind_tenant(_db.session, "quilted")
        assert _db.session.scalars(select(OutboxMessage)).all() == []


def test_only_declared_jobs_can_run(app, make_tenant):
    quilted, _ = make_tenant("quilted")
    with app.app_context(), pytest.raises(LookupError):
        run_tenant_job("quilted", quilted.id, "os:system", ("echo hi",), {})
    assert "os:system" not in _JOBS
    with app.app_context(), pytest.raises(LookupError):
        enqueue_for_tenant(quilted, print, "not a tenant job")


def test_the_worker_command_delivers_in_a_forked_work_horse(app, client, login, make_tenant):
    """`coopnet worker --burst`: the real RQ Worker, which forks a child for each job."""
    _, admin = make_tenant("quilted")
    login(admin.email)
    assert client.post("/c/quilted/api/v1/invitations", json={"email": "kyle@quilted.example"}).status_code == 201
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    messages = client.get("/c/quilted/api/v1/outbox").get_json()["messages"]
    assert [(m["to"], m["status"]) for m in messages] == [("kyle@quilted.example", "held")]
