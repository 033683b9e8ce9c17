"""Platform billing fixtures: localstripe and the live app (the dues fixtures), the
platform's own Stripe keys pointed at it, and the platform webhook registered."""

import secrets
import time

import pytest

from tests.tenants.dues.conftest import card, live_server, localstripe, register_webhook  # noqa: F401

PLATFORM_KEY = "sk_test_platform"


@pytest.fixture
def platform_stripe(app, localstripe, live_server, monkeypatch):  # noqa: F811
    """The platform's keys set, its webhook registered at localstripe: the base URL."""
    secret = f"whsec_{secrets.token_hex(16)}"
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", localstripe)
    monkeypatch.setitem(app.config, "PLATFORM_STRIPE_SECRET_KEY", PLATFORM_KEY)
    monkeypatch.setitem(app.config, "PLATFORM_STRIPE_WEBHOOK_SECRET", secret)
    hook = f"platform-{secret[-8:]}"
    register_webhook(localstripe, hook, f"{live_server}/api/v1/billing/stripe-webhook", secret)
    yield localstripe
    # Late deliveries must not reach the app while the db fixture empties the tables.
    register_webhook(localstripe, hook, "http://127.0.0.1:9/", "whsec_nobody")
    time.sleep(1.2)


@pytest.fixture
def token_for(client, login):
    """token_for(email) -> headers with a fresh API token (lasts through a moved clock)."""

    def make(email, who=None):
        api = who or client
        login(email, who=api)
        response = api.post("/api/v1/tokens", json={"name": "billing test"})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['secret']}"}

    return make


def platform_events(engine, types, timeout=15.0):
    """Wait until the platform's webhook endpoint has recorded these event types."""
    from tests.tenants.dues.conftest import wait_for_events

    return wait_for_events(engine, 0, types, timeout)
