"""The webhook endpoint: signatures checked with the organisation's secret (bad, missing,
stale: 400, nothing stored), unknown types refused, each event once (a replay changes
nothing), and events in any order (a payment before the subscription it belongs to)."""

import json
import time

import pytest
from sqlalchemy import text

from tests.conftest import run_jobs
from tests.tenants.dues.conftest import SCHEDULE, sign

SECRET = "whsec_testsecretformayfirst"


@pytest.fixture
def org(client, login, make_tenant, engine):
    tenant, admin = make_tenant("may-first", kind="membership_org")
    login(admin.email)
    assert client.put("/c/may-first/api/v1/dues/settings", json={"stripe_webhook_secret": SECRET}).status_code == 200
    client.put("/c/may-first/api/v1/dues/schedule", json=SCHEDULE)
    member = client.post(
        "/c/may-first/api/v1/dues/members",
        json={"name": "Palante", "email": "p@palante.example", "kind": "organization", "declared_income": "40000.00"},
    ).get_json()
    with engine.begin() as conn:
        conn.execute(text("UPDATE t_may_first.dues_members SET stripe_customer_id = 'cus_palante'"))
    return tenant, member["id"]


def event(event_id, kind, obj):
    return {"id": event_id, "object": "event", "type": kind, "created": int(time.time()), "data": {"object": obj}}


PAID = {"id": "in_1", "object": "invoice", "customer": "cus_palante", "subscription": "sub_1", "amount_paid": 10000,
        "total": 10000, "currency": "usd", "status": "paid"}  # fmt: skip
CREATED = {"id": "sub_1", "object": "subscription", "customer": "cus_palante", "status": "active"}


def deliver(client, body, secret=SECRET, timestamp=None, signature=None):
    payload = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not False:
        headers["Stripe-Signature"] = signature or sign(payload, secret, timestamp)
    return client.post("/c/may-first/stripe/webhook", data=payload, headers=headers)


def state(engine):
    with engine.connect() as conn:
        return (
            conn.execute(text("SELECT count(*) FROM stripe_events")).scalar(),
            conn.execute(text("SELECT count(*) FROM t_may_first.dues_payments")).scalar(),
            conn.execute(text("SELECT standing FROM t_may_first.dues_members")).scalar(),
        )


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ({"signature": False}, "bad_webhook"),
        ({"secret": "whsec_someoneelsessecret"}, "bad_webhook"),
        ({"signature": "t=1,v1=deadbeef"}, "bad_webhook"),
        ({"timestamp": int(time.time()) - 3600}, "bad_webhook"),
    ],
    ids=["missing", "wrong-secret", "garbage", "an-hour-old"],
)
def test_a_bad_missing_or_stale_signature_is_400_and_changes_nothing(client, engine, org, how, code):
    before = state(engine)
    response = deliver(client, event("evt_1", "invoice.payment_succeeded", PAID), **how)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code
    assert state(engine) == before == (0, 0, "grace")


def test_an_unknown_event_type_is_refused_and_changes_nothing(client, engine, org):
    response = deliver(client, event("evt_2", "customer.tax_id.created", {"customer": "cus_palante"}))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "unhandled_event_type"
    assert state(engine) == (0, 0, "grace")


def test_a_replayed_event_has_no_second_effect(app, client, engine, org):
    first = deliver(client, event("evt_3", "invoice.payment_succeeded", PAID))
    assert first.status_code == 200 and first.get_json()["duplicate"] is False
    run_jobs(app)
    assert state(engine) == (1, 1, "current")
    again = deliver(client, event("evt_3", "invoice.payment_succeeded", PAID))
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    run_jobs(app)
    assert state(engine) == (1, 1, "current")
    # The same invoice under a new event id (Stripe resends): still counted once.
    deliver(client, event("evt_3b", "invoice.payment_succeeded", PAID))
    run_jobs(app)
    assert state(engine)[1:] == (1, "current")


def test_a_payment_before_its_subscription_and_a_failure_after_its_success(app, client, engine, org):
    _tenant, member_id = org
    assert deliver(client, event("evt_4", "invoice.payment_succeeded", PAID)).status_code == 200
    run_jobs(app)
    assert deliver(client, event("evt_5", "customer.subscription.created", CREATED)).status_code == 200
    failed = {**PAID, "status": "open", "amount_paid": 0}
    assert deliver(client, event("evt_6", "invoice.payment_failed", failed)).status_code == 200
    run_jobs(app)
    found = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
    assert found["standing"] == "current" and len(found["payments"]) == 1 and found["payments"][0]["amount"] == "100.00"
    with engine.connect() as conn:
        outcomes = dict(conn.execute(text("SELECT event_id, outcome FROM stripe_events")).all())
    assert outcomes["evt_5"] == "subscription active" and outcomes["evt_6"] == "already paid"


def subscription(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT stripe_subscription_id FROM t_may_first.dues_members")).scalar()


def test_a_late_subscription_event_does_not_bring_a_deleted_subscription_back(app, client, engine, org):
    """Stripe sends .created, .deleted and a retried .updated out of order: the member's
    subscription stays ended (else the renewal run would skip them for ever)."""
    deliver(client, event("evt_7", "customer.subscription.created", CREATED))
    run_jobs(app)
    assert subscription(engine) == "sub_1"
    deliver(client, event("evt_8", "customer.subscription.deleted", {**CREATED, "status": "canceled"}))
    run_jobs(app)
    assert subscription(engine) is None
    deliver(client, event("evt_9", "customer.subscription.updated", {**CREATED, "status": "active"}))
    run_jobs(app)
    assert subscription(engine) is None
    with engine.connect() as conn:
        outcome = conn.execute(text("SELECT outcome FROM stripe_events WHERE event_id = 'evt_9'")).scalar()
    assert outcome == "subscription ended already"


def test_a_subscription_that_expires_unpaid_is_no_longer_the_members(app, client, engine, org):
    deliver(client, event("evt_10", "customer.subscription.created", {**CREATED, "status": "incomplete"}))
    run_jobs(app)
    assert subscription(engine) == "sub_1"
    deliver(client, event("evt_11", "customer.subscription.updated", {**CREATED, "status": "incomplete_expired"}))
    run_jobs(app)
    assert subscription(engine) is None


def test_a_webhook_for_an_organisation_without_stripe_is_404(client, login, make_tenant):
    make_tenant("quiet-org", kind="membership_org")
    payload = b"{}"
    response = client.post(
        "/c/quiet-org/stripe/webhook", data=payload, headers={"Stripe-Signature": sign(payload, SECRET)}
    )
    assert response.status_code == 404
