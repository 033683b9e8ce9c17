"""Attacks on dues: dates that would hang a worker, two officers recording one period at
once, a Stripe key revoked after it was saved, ..."""

import signal
import threading
import time
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import text

from tests.tenants.dues.conftest import SCHEDULE


@pytest.fixture
def org(client, login, make_tenant):
    tenant, admin = make_tenant("may-first", kind="membership_org")
    login(admin.email)
    assert client.put("/c/may-first/api/v1/dues/schedule", json=SCHEDULE).status_code == 200
    return tenant, admin


def add(client, **overrides):
    body = {"name": "Palante", "email": "p@palante.example", "kind": "organization", **overrides}
    return client.post("/c/may-first/api/v1/dues/members", json=body)


@contextmanager
def deadline(seconds):
    """Fail (rather than hang the run) when the block takes longer than ``seconds``."""

    def stop(*_):
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_period_in_year_9999_is_refused_rather_than_spinning_forever(client, engine, org):
    member = add(client, renews_on=date.today().isoformat()).get_json()
    with deadline(10):
        response = client.post(
            f"/c/may-first/api/v1/dues/members/{member['id']}/payments",
            json={"amount": "250.00", "method": "check", "period_start": "9999-06-01"},
        )
    assert response.status_code == 422, response.get_json()
    assert "period_start" in response.get_json()["error"]["fields"]
    with deadline(10):
        far = add(client, renews_on="9999-06-01")
    assert far.status_code == 422 and "renews_on" in far.get_json()["error"]["fields"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_may_first.dues_payments")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM t_may_first.dues_members")).scalar() == 1


def test_two_officers_recording_one_period_at_once_get_one_payment_and_a_409(app, client, engine, org, live_server):
    """The second request waits for the first and is refused, never a 500 from the index."""
    import requests

    org  # noqa: B018  (the organisation, its admin logged in)

    member = add(client, renews_on=date.today().isoformat()).get_json()
    token = client.post("/api/v1/tokens", json={"name": "race"}).get_json()["secret"]
    url = f"{live_server}/c/may-first/api/v1/dues/members/{member['id']}/payments"
    answers = []
    with engine.connect() as conn:
        # The first officer's request, half done: the member locked, the payment written.
        conn.execute(text("SELECT id FROM t_may_first.dues_members WHERE id = :m FOR UPDATE"), {"m": member["id"]})
        conn.execute(
            text(
                "INSERT INTO t_may_first.dues_payments (member_id, period_start, period_end, amount, currency, method,"
                " status, received_on, created_at) VALUES (:m, CURRENT_DATE, CURRENT_DATE + 364, 25000, 'usd',"
                " 'check', 'paid', CURRENT_DATE, now())"
            ),
            {"m": member["id"]},
        )
        second = threading.Thread(
            target=lambda: answers.append(
                requests.post(
                    url,
                    json={"amount": "250.00", "method": "transfer"},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
            )
        )
        second.start()
        time.sleep(1.0)
        conn.commit()
    second.join(30)
    assert answers and answers[0].status_code == 409, answers and answers[0].text
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_may_first.dues_payments")).scalar() == 1


def revoke_key(app, slug="may-first"):
    """The organisation's key stops working at Stripe after it was saved (rolled or revoked);
    localstripe refuses any key that does not start sk_."""
    from coopnet.database import tenant_scope
    from coopnet.extensions import db as _db
    from coopnet.tenants.dues import gateway
    from coopnet.tenants.dues.models import DuesSettings

    with app.app_context(), tenant_scope(_db.session, slug):
        _db.session.get(DuesSettings, 1).stripe_secret_key = gateway.encrypt("rk_test_revokedkey1234")
        _db.session.commit()


def test_a_key_revoked_at_stripe_after_saving_is_a_clear_error_not_a_500(app, client, dues_org, stripe_base):
    from tests.tenants.dues.conftest import card

    dues_org("may-first", webhook=False)
    member = add(client, renews_on=date.today().isoformat()).get_json()
    pm = card(stripe_base)
    revoke_key(app)
    response = client.post(
        f"/c/may-first/api/v1/dues/members/{member['id']}/payment-method", json={"payment_method": pm}
    )
    assert response.status_code == 409, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "stripe_key_refused"
    assert "revokedkey" not in response.get_data(as_text=True)
    found = client.get(f"/c/may-first/api/v1/dues/members/{member['id']}").get_json()
    assert found["has_payment_method"] is False
