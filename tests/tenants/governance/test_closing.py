"""Closing on time: the scheduled job in the real worker, the sweep behind it, idempotence."""

from datetime import timedelta

from rq import SimpleWorker
from sqlalchemy import select

from coopnet.database import tenant_scope, utcnow
from coopnet.extensions import db as _db
from coopnet.platform.tenants import get_tenant
from coopnet.tenants.governance import jobs, proposals
from coopnet.tenants.governance.models import Proposal
from coopnet.worker.queues import get_queue, redis_connection
from coopnet.worker.schedule import for_each_tenant
from tests.conftest import run_jobs


def opened_in_the_past(app, coop, minutes_ago=10, closes_after=5, schedule=True, positions=()):
    """A proposal opened ``minutes_ago`` that closed ``closes_after`` minutes after opening."""
    with app.app_context(), tenant_scope(_db.session, coop.slug):
        tenant = get_tenant(_db.session, coop.slug)
        opened = utcnow() - timedelta(minutes=minutes_ago)
        proposal = proposals.open_proposal(
            _db.session,
            tenant,
            coop.admin.id,
            "day-to-day",
            "Move the weekly meeting",
            "",
            opened + timedelta(minutes=closes_after),
            now=opened,
        )
        for account, stance in positions:
            proposals.take_position(_db.session, tenant, proposal.id, account.id, stance, None, now=opened)
        if schedule:
            jobs.schedule_closing(_db.session, tenant, proposal)
        _db.session.commit()
        return proposal.id


def state(app, coop, proposal_id):
    with app.app_context(), tenant_scope(_db.session, coop.slug):
        p = _db.session.scalar(select(Proposal).where(Proposal.id == proposal_id))
        return p.status, p.outcome, p.closed_by, p.tally


def test_the_scheduled_close_runs_in_the_real_worker(app, coop):
    voters = [(coop.admin, "agree"), *((m, "agree") for m in coop.members[:2])]
    proposal_id = opened_in_the_past(app, coop, positions=voters)
    with app.app_context():
        queues = [get_queue(name) for name in app.config["RQ_QUEUES"]]
        SimpleWorker(queues, connection=redis_connection(app)).work(burst=True, with_scheduler=True)
    status, outcome, closed_by, tally = state(app, coop, proposal_id)
    assert (status, outcome, closed_by) == ("closed", "passed", "schedule")
    assert tally["agree"] == 3


def test_the_sweep_closes_a_proposal_whose_job_was_lost(app, coop):
    proposal_id = opened_in_the_past(app, coop, schedule=False, positions=[(coop.admin, "agree")])
    assert state(app, coop, proposal_id)[0] == "open"
    with app.app_context():
        for_each_tenant(jobs.sweep)
    run_jobs(app)
    status, outcome, closed_by, _ = state(app, coop, proposal_id)
    assert (status, outcome, closed_by) == ("closed", "no_quorum", "sweep")  # 1 of 4 spoke: under half


def test_closing_again_never_changes_a_closed_result(app, coop):
    proposal_id = opened_in_the_past(app, coop, positions=[(m, "agree") for m in coop.members])
    run_jobs(app)  # the scheduled close (due already)
    first = state(app, coop, proposal_id)
    with app.app_context(), tenant_scope(_db.session, coop.slug):
        tenant = get_tenant(_db.session, coop.slug)
        again = proposals.close(_db.session, tenant, proposal_id, "sweep")
        assert again.closed_by == "schedule"
        _db.session.commit()
    with app.app_context():
        for_each_tenant(jobs.sweep)
    run_jobs(app)
    assert state(app, coop, proposal_id) == first


def test_a_proposal_not_yet_due_is_left_open_by_its_job(app, coop, client):
    from tests.tenants.governance.conftest import open_proposal

    proposal = open_proposal(client)
    with app.app_context(), tenant_scope(_db.session, coop.slug):
        tenant = get_tenant(_db.session, coop.slug)
        assert proposals.close(_db.session, tenant, proposal["id"], "schedule").status == "open"
        _db.session.commit()


def test_members_who_have_not_spoken_are_reminded_once(app, coop, client):
    proposal_id = opened_in_the_past(
        app, coop, minutes_ago=10, closes_after=60 * 20, schedule=False, positions=[(coop.admin, "agree")]
    )
    with app.app_context():
        for_each_tenant(jobs.sweep)
        for_each_tenant(jobs.sweep)
    run_jobs(app)
    mail = client.get("/c/design-action/api/v1/outbox").get_json()["messages"]
    reminded = sorted(m["to"] for m in mail if m["subject"].startswith("[Design Action Collective] Closing soon"))
    assert reminded == sorted(m.email for m in coop.members)
    assert state(app, coop, proposal_id)[0] == "open"
