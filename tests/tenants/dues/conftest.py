"""Dues fixtures: localstripe on loopback (started like PostgreSQL and Redis), the app
served on a loopback port so localstripe's signed webhooks reach it, and a membership
organisation connected to Stripe with May First's sliding scale."""

import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import stripe
from sqlalchemy import text
from werkzeug.serving import make_server

from coopnet.tenants.dues.webhooks import HANDLED

# localstripe pickles its whole store to /tmp on every write; in tests (and the
# benchmark) that only slows it down and races other runs, so it is switched off.
LOCALSTRIPE = (
    "import sys, localstripe.resources as r; r.Store.dump_to_disk = lambda self: None; "
    "sys.argv = ['localstripe', '--from-scratch', '--port', sys.argv[1]]; "
    "from localstripe.server import start; start()"
)

SCHEDULE = {
    "period": "annual",
    "tiers": {"organization": "250.00", "individual": "50.00"},
    "sliding_scale": [
        {"income_up_to": "50000.00", "amount": "100.00"},
        {"income_up_to": "250000.00", "amount": "250.00"},
        {"income_up_to": None, "amount": "500.00"},
    ],
    "minimum": "25.00",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_localstripe():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", LOCALSTRIPE, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("localstripe did not start")


@pytest.fixture(scope="session")
def localstripe():
    process, base = start_localstripe()
    yield base
    process.terminate()
    process.wait(5)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def stripe_base(app, localstripe, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", localstripe)
    return localstripe


def stripe_client(base, key="sk_test_dues"):
    return stripe.StripeClient(key, base_addresses={"api": base}, max_network_retries=0)


def card(base, number="4242424242424242"):
    return (
        stripe_client(base)
        .v1.payment_methods.create(
            params={"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
        )
        .id
    )


def register_webhook(base, hook_id, url, secret):
    data = "&".join([f"url={url}", f"secret={secret}"] + [f"events[]={e}" for e in HANDLED]).encode()
    urllib.request.urlopen(urllib.request.Request(f"{base}/_config/webhooks/{hook_id}", data=data), timeout=5)


@pytest.fixture
def dues_org(app, client, login, make_tenant, stripe_base, live_server):
    """dues_org("may-first") -> (tenant, admin, webhook secret): kind membership_org,
    Stripe connected to localstripe, the sliding scale set, webhooks registered."""

    hooks = []

    def make(slug="may-first", who=None, webhook=True):
        tenant, admin = make_tenant(slug, name=f"{slug} org", kind="membership_org")
        secret = f"whsec_{secrets.token_hex(16)}"
        login(admin.email, who=who)
        api = who or client
        response = api.put(
            f"/c/{slug}/api/v1/dues/settings",
            json={
                "stripe_secret_key": f"sk_test_{slug.replace('-', '')}",
                "stripe_webhook_secret": secret,
                "currency": "usd",
                "grace_days": 60,
                "reminder_days": 14,
                "support_queue": True,
            },
        )
        assert response.status_code == 200, response.get_json()
        assert api.put(f"/c/{slug}/api/v1/dues/schedule", json=SCHEDULE).status_code == 200
        if webhook:
            hooks.append(f"{slug}-{secret[-6:]}")
            register_webhook(stripe_base, hooks[-1], f"{live_server}/c/{slug}/stripe/webhook", secret)
        return tenant, admin, secret

    yield make
    # Late deliveries must not reach the app while the db fixture drops the schemas.
    for hook in hooks:
        register_webhook(stripe_base, hook, "http://127.0.0.1:9/", "whsec_nobody")
    time.sleep(1.2)


def wait_for_events(engine, tenant_id, types, timeout=15.0):
    """Wait until localstripe has delivered (and the endpoint recorded) these event types."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            found = {
                r[0]
                for r in conn.execute(
                    text("SELECT type FROM stripe_events WHERE tenant_id = :t"), {"t": tenant_id}
                ).all()
            }
        if set(types) <= found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"webhooks {set(types) - found} never arrived (got {found})")


def sign(payload: bytes, secret: str, timestamp=None) -> str:
    import hashlib
    import hmac

    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def wait_for_count(engine, sql, at_least, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            found = conn.execute(text(sql)).scalar()
        if found >= at_least:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{sql}: {found}, expected at least {at_least}")
