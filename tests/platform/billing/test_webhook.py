"""The platform's own webhook: signed with the platform's secret (bad, missing, stale:
400, nothing stored), unknown types and customers refused, each event once, events in
any order; what they do to a co-op's standing."""

import json
import time
from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import platform_mail, run_jobs
from tests.tenants.dues.conftest import sign

SECRET = "whsec_platformsecretfortests"
URL = "/api/v1/billing/stripe-webhook"


@pytest.fixture
def coop(app, engine, make_tenant, monkeypatch):
    """A co-op on the paid plan whose Stripe customer is cus_quilted, subscription sub_q."""
    monkeypatch.setitem(app.config, "PLATFORM_STRIPE_WEBHOOK_SECRET", SECRET)
    tenant, admin = make_tenant("quilted")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO platform_subscriptions (tenant_id, plan, amount, currency, standing, stripe_customer_id,"
                " stripe_subscription_id, has_payment_method, changes, attempts, comped, created_at, updated_at)"
                " VALUES (:t, 'cooperative', 2000, 'usd', 'good', 'cus_quilted', 'sub_q', true, 1, 0, false,"
                " now(), now())"
            ),
            {"t": tenant.id},
        )
    return tenant, admin


def event(event_id, kind, obj):
    return {"id": event_id, "object": "event", "type": kind, "created": int(time.time()), "data": {"object": obj}}


PAID = {"id": "in_q1", "object": "invoice", "customer": "cus_quilted", "subscription": "sub_q", "amount_paid": 2000,
        "currency": "usd", "status": "paid", "lines": {"data": [{"period": {"end": 1798761600}}]}}  # fmt: skip
FAILED = {"id": "in_q2", "object": "invoice", "customer": "cus_quilted", "subscription": "sub_q", "amount_paid": 0,
          "currency": "usd", "status": "open"}  # fmt: skip


def deliver(client, body, secret=SECRET, timestamp=None, signature=None):
    payload = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not False:
        headers["Stripe-Signature"] = signature or sign(payload, secret, timestamp)
    return client.post(URL, data=payload, headers=headers)


def state(engine):
    with engine.connect() as conn:
        return (
            conn.execute(text("SELECT count(*) FROM stripe_events")).scalar(),
            conn.execute(text("SELECT count(*) FROM platform_payments")).scalar(),
            conn.execute(text("SELECT standing FROM platform_subscriptions")).scalar(),
        )


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ({"signature": False}, "bad_webhook"),
        ({"secret": "whsec_someoneelsessecret"}, "bad_webhook"),
        ({"signature": "t=1,v1=deadbeef"}, "bad_webhook"),
        ({"timestamp": int(time.time()) - 3600}, "bad_webhook"),
    ],
)
def test_an_unsigned_wrongly_signed_or_stale_delivery_is_refused_and_changes_nothing(client, engine, coop, how, code):
    before = state(engine)
    response = deliver(client, event("evt_1", "invoice.payment_succeeded", PAID), **how)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code
    assert state(engine) == before


def test_an_unknown_type_or_customer_is_refused(client, engine, coop):
    before = state(engine)
    odd = deliver(client, event("evt_2", "charge.refunded", {"customer": "cus_quilted"}))
    assert odd.status_code == 400 and odd.get_json()["error"]["code"] == "unhandled_event_type"
    stranger = deliver(client, event("evt_3", "invoice.payment_failed", {**FAILED, "customer": "cus_someone"}))
    assert stranger.status_code == 400 and stranger.get_json()["error"]["code"] == "unknown_customer"
    assert state(engine) == before


def test_with_no_platform_secret_the_endpoint_is_not_there(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PLATFORM_STRIPE_WEBHOOK_SECRET", None)
    response = deliver(client, event("evt_4", "invoice.payment_succeeded", PAID))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_a_failed_payment_warns_once_and_a_replay_has_no_second_effect(app, client, engine, coop):
    _tenant, admin = coop
    body = event("evt_5", "invoice.payment_failed", FAILED)
    first = deliver(client, body)
    assert first.status_code == 200 and first.get_json() == {"received": True, "id": "evt_5", "duplicate": False}
    replay = deliver(client, body)
    assert replay.status_code == 200 and replay.get_json()["duplicate"] is True
    run_jobs(app)
    assert state(engine) == (1, 0, "warned")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT unpaid_since, reason FROM platform_subscriptions")).one() == (
            date.today(), "payment_failed"
        )  # fmt: skip
    assert len([m for m in platform_mail(engine, admin.email) if "unpaid" in m["subject"]]) == 1
    # Another failure of the same invoice (Stripe's retry): the grace period runs on, no new mail.
    deliver(client, event("evt_6", "invoice.payment_failed", FAILED))
    run_jobs(app)
    assert len([m for m in platform_mail(engine, admin.email) if "unpaid" in m["subject"]]) == 1
    # Then it is paid: good standing, counted once in revenue.
    deliver(client, event("evt_7", "invoice.payment_succeeded", {**FAILED, "amount_paid": 2000, "status": "paid"}))
    deliver(client, event("evt_8", "invoice.payment_succeeded", {**FAILED, "amount_paid": 2000, "status": "paid"}))
    run_jobs(app)
    assert state(engine)[1:] == (1, "good")


def test_events_in_any_order_a_payment_before_its_subscription(app, client, engine, coop):
    coop  # noqa: B018  (the co-op on its paid plan)
    with engine.begin() as conn:
        conn.execute(text("UPDATE platform_subscriptions SET stripe_subscription_id = NULL"))
    deliver(client, event("evt_9", "invoice.payment_succeeded", PAID))
    run_jobs(app)
    deliver(client, event("evt_10", "customer.subscription.created", {"id": "sub_q", "object": "subscription",
                                                                       "customer": "cus_quilted", "status": "active"}))  # fmt: skip
    run_jobs(app)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT standing, stripe_subscription_id, paid_through FROM platform_subscriptions")
        ).one()
        revenue = conn.execute(text("SELECT tenant_slug, amount, currency FROM platform_payments")).all()
    assert row[:2] == ("good", "sub_q") and row[2] is not None
    assert [tuple(r) for r in revenue] == [("quilted", 2000, "usd")]
    # The subscription ends unpaid at Stripe: the co-op is warned (a paid plan with nothing paying for it).
    deliver(client, event("evt_11", "customer.subscription.deleted", {"id": "sub_q", "object": "subscription",
                                                                       "customer": "cus_quilted", "status": "canceled"}))  # fmt: skip
    run_jobs(app)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT standing, reason FROM platform_subscriptions")).one() == (
            "warned", "subscription_ended"
        )  # fmt: skip


def test_paying_a_plan_the_coop_has_outgrown_does_not_restart_its_grace_period(app, client, engine, coop):
    """Warned for more people than the plan covers: the month's payment is counted and the
    co-op paid through the month, but the warning (and its day of reckoning) stands."""
    warned_on = date.today().replace(day=1)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE platform_subscriptions SET standing = 'warned', reason = 'over_plan', unpaid_since = :d"),
            {"d": warned_on},
        )
    deliver(client, event("evt_12", "invoice.payment_succeeded", PAID))
    run_jobs(app)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT standing, reason, unpaid_since, paid_through FROM platform_subscriptions")
        ).one()
    assert tuple(row) == ("warned", "over_plan", warned_on, date(2027, 1, 1))
    assert state(engine)[1] == 1
