"""Against localstripe: a declined payment is charged again on its schedule (a day, then
three days later); with Stripe unreachable the attempt is put back, not lost, and the
next sweep asks again with the same attempt's key."""

from datetime import timedelta

import pytest
import stripe
import time_machine
from sqlalchemy import text

from coopnet.database import tenant_scope
from coopnet.extensions import db as _db
from tests.conftest import run_jobs
from tests.tenants.dues.conftest import card, free_port
from tests.tenants.dues.test_card_payments import join

DECLINED = "4000000000000341"


def charge_row(engine):
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT status, attempts, next_attempt_at, last_error, stripe_invoice_id FROM t_may_first.dues_charges"
            )
        ).one()


def retry_at(app, moment):
    from coopnet.database import utcnow
    from coopnet.platform.tenants import get_tenant
    from coopnet.tenants.dues import billing

    with time_machine.travel(moment, tick=False), app.app_context(), tenant_scope(_db.session, "may-first"):
        return billing.retry_failed(_db.session, get_tenant(_db.session, "may-first"), utcnow())


def test_a_declined_payment_is_retried_on_schedule_and_an_unreachable_stripe_loses_no_attempt(
    app, client, engine, dues_org, stripe_base, monkeypatch
):
    dues_org("may-first")
    member_id = join(client, "may-first", email="treasurer@declined.example")["id"]
    carded = client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payment-method",
        json={"payment_method": card(stripe_base, DECLINED)},
    )
    assert carded.status_code == 200
    run_jobs(app)  # billed: the first payment is declined as the subscription is made
    status, attempts, first_retry, _error, invoice = charge_row(engine)
    assert (status, attempts) == ("failed", 1) and invoice is not None and first_retry is not None

    # Not yet due: nothing is retried.
    assert retry_at(app, first_retry - timedelta(minutes=1)) == 0
    assert charge_row(engine)[:3] == ("failed", 1, first_retry)

    # Due, but Stripe cannot be reached: the job fails and the attempt is put back for an hour.
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(stripe.APIConnectionError):
        retry_at(app, first_retry + timedelta(minutes=1))
    status, attempts, next_at, error, _ = charge_row(engine)
    assert (status, attempts) == ("failed", 1) and error.startswith("Stripe unreachable")
    assert next_at == first_retry + timedelta(minutes=1, hours=1)

    # Reachable again an hour later: charged again, declined again, next try in three days.
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", stripe_base)
    assert retry_at(app, next_at + timedelta(minutes=1)) == 1
    status, attempts, after, _error, same_invoice = charge_row(engine)
    assert (status, attempts, same_invoice) == ("failed", 2, invoice)
    assert after == next_at + timedelta(minutes=1, days=3)
    with engine.connect() as conn:
        paid = conn.execute(text("SELECT count(*) FROM t_may_first.dues_payments")).scalar()
        standing = conn.execute(text("SELECT standing FROM t_may_first.dues_members")).scalar()
    assert (paid, standing) == (0, "grace")
