"""Attacks on dues: dates that would hang a worker, two officers recording one period at
once, a Stripe key revoked after it was saved, ..."""

import signal
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
