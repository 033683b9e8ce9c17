"""Attacks on the platform's own billing: stale or reordered Stripe deliveries, ..."""

import time

from sqlalchemy import text

from tests.conftest import run_jobs
from tests.platform.billing.test_webhook import PAID, coop, deliver, event  # noqa: F401  (coop: a fixture)


def test_a_stale_past_due_delivered_after_the_payment_does_not_warn_a_paid_coop(app, client, engine, coop):  # noqa: F811
    """Stripe retries a delivery for days and does not keep order: the subscription's
    past_due from before the invoice was paid arrives after the payment."""
    stale = event(
        "evt_stale",
        "customer.subscription.updated",
        {"id": "sub_q", "object": "subscription", "customer": "cus_quilted", "status": "past_due"},
    )
    stale["created"] = int(time.time()) - 3600
    assert deliver(client, event("evt_paid", "invoice.payment_succeeded", PAID)).status_code == 200
    run_jobs(app)
    assert deliver(client, stale).status_code == 200
    run_jobs(app)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT standing, reason FROM platform_subscriptions")).one() == ("good", None)
