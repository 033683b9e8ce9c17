"""Against localstripe: a member joins on the sliding scale and pays by card, the webhook
marks it current; a declined card puts it in grace and, past grace, lapsed; a renewal run
killed halfway and run again bills nobody twice; Stripe unreachable loses nothing."""

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import text

from coopnet.database import tenant_scope
from coopnet.extensions import db as _db
from tests.conftest import run_jobs
from tests.tenants.dues.conftest import card, stripe_client, wait_for_count, wait_for_events


def join(client, slug, **overrides):
    body = {
        "name": "Palante Tech",
        "email": "dues@palante.example",
        "kind": "organization",
        "votes": 2,
        "declared_income": "120000.00",
        "plan": "annual",
        "renews_on": date.today().isoformat(),
        **overrides,
    }
    response = client.post(f"/c/{slug}/api/v1/dues/members", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def subscriptions_of(base, slug, customer):
    return (
        stripe_client(base, f"sk_test_{slug.replace('-', '')}")
        .v1.subscriptions.list(params={"customer": customer})
        .data
    )


def test_a_member_joins_on_the_sliding_scale_pays_by_card_and_the_webhook_marks_it_current(
    app, client, engine, dues_org, stripe_base
):
    tenant, _admin, _ = dues_org("may-first")
    joined = join(client, "may-first")
    # Declared income 120,000 falls in the band up to 250,000: 250.00 a year.
    assert joined["amount"] == "250.00" and joined["standing"] == "grace"
    member_id = joined["id"]
    response = client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payment-method", json={"payment_method": card(stripe_base)}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["has_payment_method"] is True
    run_jobs(app)  # bills the member: a yearly subscription on localstripe
    pending = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
    assert pending["standing"] == "grace" and pending["payment_pending"] is True and pending["payments"] == []
    wait_for_events(engine, tenant.id, ["invoice.payment_succeeded", "customer.subscription.created"])
    run_jobs(app)  # the webhook's platform job
    found = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
    assert found["standing"] == "current"
    assert found["grace_ends"] is None
    assert found["paid_through"] == (date.today().replace(year=date.today().year + 1) - timedelta(days=1)).isoformat()
    assert [(p["amount"], p["method"], p["status"]) for p in found["payments"]] == [("250.00", "card", "paid")]
    assert found["payment_pending"] is False
    with engine.connect() as conn:
        receipts = (
            conn.execute(text(f"SELECT subject FROM t_{tenant.slug.replace('-', '_')}.outbox_messages")).scalars().all()
        )
    assert any("receipt" in s for s in receipts)


def drop_queued_jobs(app):
    from coopnet.worker.queues import get_queue

    with app.app_context():
        get_queue("default", app).empty()


def outbox(engine, slug):
    with engine.connect() as conn:
        return conn.execute(
            text(f"SELECT to_address, subject, body FROM t_{slug.replace('-', '_')}.outbox_messages ORDER BY id")
        ).all()


def test_a_declined_renewal_moves_the_member_to_grace_then_lapsed_past_the_grace_period(
    app, client, engine, dues_org, stripe_base
):
    tenant, _admin, _ = dues_org("may-first")
    member_id = join(client, "may-first", email="treasurer@declined.example")["id"]
    response = client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payment-method",
        json={"payment_method": card(stripe_base, "4000000000000341")},
    )
    assert response.status_code == 200  # localstripe attaches the card; charging it fails
    run_jobs(app)  # the subscription's first invoice is declined as it is made
    found = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
    renewal = date.today()
    assert found["standing"] == "grace"
    assert found["grace_ends"] == (renewal + timedelta(days=60)).isoformat()
    assert found["payments"] == [] and found["votes"] == 2 and found["effective_votes"] == 2
    failed = [m for m in outbox(engine, "may-first") if "did not go through" in m.subject]
    assert len(failed) == 1 and "/c/may-first/dues/pay/" in failed[0].body
    # Day 60 of grace: still in grace. Day 61: the daily sweep lapses it.
    from coopnet.tenants.dues.jobs import sweep
    from coopnet.worker.queues import enqueue_for_tenant

    with time_machine.travel(renewal + timedelta(days=60, hours=12), tick=False):
        with app.app_context():
            enqueue_for_tenant(tenant, sweep)
        run_jobs(app)
        with engine.connect() as conn:  # (read directly: the log-in session does not last 60 days)
            assert conn.execute(text("SELECT standing FROM t_may_first.dues_members")).scalar() == "grace"
    with time_machine.travel(renewal + timedelta(days=61, hours=12), tick=False):
        with app.app_context():
            enqueue_for_tenant(tenant, sweep)
        run_jobs(app)
    lapsed = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
    assert lapsed["standing"] == "lapsed"
    assert lapsed["votes_suspended"] is True and lapsed["effective_votes"] == 0 and lapsed["services_flagged"] is True


def test_a_renewal_run_killed_halfway_and_run_again_bills_nobody_twice(
    app, client, engine, dues_org, stripe_base, monkeypatch, login
):
    from coopnet.tenants.dues import gateway

    tenant, _admin, _ = dues_org("may-first")
    renewal = date.today()
    ids = []
    for i in range(6):
        member_id = join(client, "may-first", name=f"Member {i}", email=f"m{i}@orgs.example",
                         renews_on=renewal.isoformat())["id"]  # fmt: skip
        assert (
            client.post(
                f"/c/may-first/api/v1/dues/members/{member_id}/payment-method",
                json={"payment_method": card(stripe_base)},
            ).status_code
            == 200
        )
        ids.append(member_id)
    drop_queued_jobs(app)  # each card would bill its member at once; the run is what is tested
    real, calls = gateway.subscribe, []

    def killed_after_the_third(*args, **kwargs):
        subscription = real(*args, **kwargs)
        calls.append(subscription.id)
        if len(calls) == 3:
            raise RuntimeError("worker killed after Stripe answered, before the commit")
        return subscription

    monkeypatch.setattr(gateway, "subscribe", killed_after_the_third)
    job_id = client.post("/c/may-first/api/v1/dues/renewals").get_json()["job_id"]
    run_jobs(app)
    assert client.get(f"/api/v1/jobs/{job_id}").get_json()["status"] == "failed"
    monkeypatch.setattr(gateway, "subscribe", real)
    response = client.post("/c/may-first/api/v1/dues/renewals")
    assert response.status_code == 202
    run_jobs(app)
    assert client.get(f"/api/v1/jobs/{response.get_json()['job_id']}").get_json()["status"] == "finished"
    # And a third run finds everyone billed.
    client.post("/c/may-first/api/v1/dues/renewals")
    run_jobs(app)
    with engine.connect() as conn:
        customers = (
            conn.execute(text("SELECT stripe_customer_id FROM t_may_first.dues_members ORDER BY id")).scalars().all()
        )
        charges = conn.execute(text("SELECT status, count(*) FROM t_may_first.dues_charges GROUP BY status")).all()
    assert [len(subscriptions_of(stripe_base, "may-first", c)) for c in customers] == [1] * 6
    assert sum(dict(charges).values()) == 6 and set(dict(charges)) <= {"submitted", "paid"}
    wait_for_events(engine, tenant.id, ["invoice.payment_succeeded"])
    wait_for_count(engine, "SELECT count(*) FROM stripe_events WHERE type = 'invoice.payment_succeeded'", 6)
    run_jobs(app)
    for member_id in ids:
        found = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
        assert len(found["payments"]) == 1 and found["standing"] == "current", found


def test_stripe_unreachable_the_job_retries_and_nothing_is_lost_or_doubled(
    app, client, engine, dues_org, stripe_base, monkeypatch, login
):
    from coopnet.tenants.dues import jobs

    dues_org("may-first")
    member_id = join(client, "may-first")["id"]
    assert (
        client.post(
            f"/c/may-first/api/v1/dues/members/{member_id}/payment-method", json={"payment_method": card(stripe_base)}
        ).status_code
        == 200
    )
    drop_queued_jobs(app)
    from tests.tenants.dues.conftest import free_port

    monkeypatch.setitem(app.config, "STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")
    before = client.get("/c/may-first/api/v1/dues/settings").get_json()
    response = client.put("/c/may-first/api/v1/dues/settings", json={"stripe_secret_key": "sk_test_otherkey"})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "stripe_unavailable"
    assert client.get("/c/may-first/api/v1/dues/settings").get_json() == before
    with app.app_context(), tenant_scope(_db.session, "may-first"):
        from flask import g

        from coopnet.platform.tenants import get_tenant

        g.tenant = get_tenant(_db.session, "may-first")
        with pytest.raises(Exception, match=r"(?i)connect"):
            jobs.renewal_run()
    page = client.get(f"/c/may-first/dues/members/{member_id}").get_data(as_text=True)
    assert "pending with Stripe" in page
    assert client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()["payment_pending"] is True
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", stripe_base)
    client.post("/c/may-first/api/v1/dues/renewals")
    run_jobs(app)
    client.post("/c/may-first/api/v1/dues/renewals")
    run_jobs(app)
    with engine.connect() as conn:
        customer = conn.execute(text("SELECT stripe_customer_id FROM t_may_first.dues_members")).scalar()
        charges = conn.execute(text("SELECT status FROM t_may_first.dues_charges")).scalars().all()
    # One charge: "submitted", or already "paid" when Stripe's webhook arrived before the
    # second run; never a second charge, and one subscription at Stripe.
    assert len(charges) == 1 and charges[0] in ("submitted", "paid")
    assert len(subscriptions_of(stripe_base, "may-first", customer)) == 1


def test_a_monthly_member_is_renewed_by_its_subscription_not_billed_again_by_the_run(
    app, client, engine, dues_org, stripe_base
):
    tenant, _admin, _ = dues_org("may-first")
    joined = join(client, "may-first", plan="monthly")
    assert joined["amount"] == "20.83"  # 1/12 of 250.00
    client.post(
        f"/c/may-first/api/v1/dues/members/{joined['id']}/payment-method", json={"payment_method": card(stripe_base)}
    )
    run_jobs(app)
    wait_for_events(engine, tenant.id, ["invoice.payment_succeeded"])
    run_jobs(app)
    found = client.get(f"/c/may-first/api/v1/dues/members/{joined['id']}").get_json()
    assert found["standing"] == "current" and found["payments"][0]["amount"] == "20.83"
    assert date.fromisoformat(found["renews_on"]) - date.today() in (timedelta(days=d) for d in (28, 29, 30, 31))
    # A month on (the renewal date reached), the run and the hourly sweep leave it to Stripe.
    with engine.begin() as conn:
        conn.execute(text("UPDATE t_may_first.dues_members SET renews_on = current_date"))
    client.post("/c/may-first/api/v1/dues/renewals")
    from coopnet.tenants.dues.jobs import sweep
    from coopnet.worker.queues import enqueue_for_tenant

    with app.app_context():
        enqueue_for_tenant(tenant, sweep)
    run_jobs(app)
    with engine.connect() as conn:
        customer = conn.execute(text("SELECT stripe_customer_id FROM t_may_first.dues_members")).scalar()
        assert conn.execute(text("SELECT count(*) FROM t_may_first.dues_charges")).scalar() == 1
    assert len(subscriptions_of(stripe_base, "may-first", customer)) == 1


def test_a_long_renewal_run_goes_on_in_new_jobs_and_bills_each_member_once(
    app, client, engine, dues_org, stripe_base, monkeypatch
):
    from coopnet.tenants.dues import jobs

    dues_org("may-first")
    for i in range(3):
        member_id = join(client, "may-first", name=f"Member {i}", email=f"m{i}@orgs.example")["id"]
        client.post(
            f"/c/may-first/api/v1/dues/members/{member_id}/payment-method", json={"payment_method": card(stripe_base)}
        )
    drop_queued_jobs(app)
    monkeypatch.setattr(jobs, "RUN_BUDGET", 0)  # every job bills one member, then hands on
    job_id = client.post("/c/may-first/api/v1/dues/renewals").get_json()["job_id"]
    run_jobs(app)
    progress = client.get(f"/api/v1/jobs/{job_id}").get_json()
    assert progress["status"] == "finished" and "continued in job" in progress["message"]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT member_id, status FROM t_may_first.dues_charges ORDER BY member_id")).all()
        customers = conn.execute(text("SELECT stripe_customer_id FROM t_may_first.dues_members")).scalars().all()
    assert len(rows) == 3 and {r.status for r in rows} <= {"submitted", "paid"}
    assert [len(subscriptions_of(stripe_base, "may-first", c)) for c in customers] == [1, 1, 1]


def test_stripe_refusing_one_member_does_not_stop_the_run_for_the_others(app, client, engine, dues_org, stripe_base):
    """Palante's customer was deleted at Stripe: its charge records why and stays pending
    for the next run; the member after it is billed all the same."""
    dues_org("may-first")
    ids = []
    for name in ("Palante", "Union"):
        member_id = join(client, "may-first", name=name, email=f"dues@{name.lower()}.example")["id"]
        body = {"payment_method": card(stripe_base)}
        assert client.post(f"/c/may-first/api/v1/dues/members/{member_id}/payment-method", json=body).status_code == 200
        ids.append(member_id)
    drop_queued_jobs(app)  # each card would bill its member at once; the run is what is tested
    with engine.connect() as conn:
        palante = conn.execute(
            text("SELECT stripe_customer_id FROM t_may_first.dues_members WHERE id = :id"), {"id": ids[0]}
        ).scalar()
    stripe_client(stripe_base, "sk_test_mayfirst").v1.customers.delete(palante)
    job_id = client.post("/c/may-first/api/v1/dues/renewals").get_json()["job_id"]
    run_jobs(app)
    job = client.get(f"/api/v1/jobs/{job_id}").get_json()
    assert job["status"] == "finished", job
    with engine.connect() as conn:
        charges = dict(
            conn.execute(
                text("SELECT member_id, status || ':' || coalesce(last_error, '') FROM t_may_first.dues_charges")
            ).all()
        )
    assert charges[ids[0]].startswith("pending:Stripe refused:")
    assert charges[ids[1]] == "submitted:"
