"""The member's hosted payment step: in production the pay link leads to Stripe Checkout
(a session for the member's plan, the member named as its client reference) and the
checkout.session.completed event gives the member its card and subscription; against
localstripe, which has no Checkout, the page says so and nothing changes (the tests
attach cards through the API instead)."""

import json
import re
import time
from types import SimpleNamespace

from sqlalchemy import text

from coopnet.tenants.dues import gateway, links
from tests.conftest import run_jobs
from tests.tenants.dues.conftest import sign
from tests.tenants.dues.test_card_payments import join


def pay_path(app, tenant, member_id):
    with app.test_request_context():
        return f"/c/{tenant.slug}/dues/pay/{links.token('pay', tenant.id, member_id)}"


def csrf(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def member_row(engine):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT has_payment_method, stripe_subscription_id FROM t_may_first.dues_members")
        ).one()


def test_against_localstripe_checkout_is_refused_and_nothing_changes(app, client, engine, dues_org):
    tenant, _admin, _ = dues_org("may-first")
    member_id = join(client, "may-first")["id"]
    path = pay_path(app, tenant, member_id)
    visitor = app.test_client()  # the member follows the mailed link without logging in
    page = visitor.get(path)
    assert page.status_code == 200 and "Pay by card" in page.get_data(as_text=True)
    response = visitor.post(f"{path}/checkout", data={"csrf_token": csrf(page)})
    assert response.status_code == 409
    assert "attach a card through the API" in response.get_data(as_text=True)
    assert tuple(member_row(engine)) == (False, None)
    assert visitor.post(f"{path}/checkout", data={}).status_code == 400  # no CSRF token


class FakeCheckout:
    """Stripe's Checkout as production has it: the session asked for is recorded."""

    def __init__(self, real):
        self.real, self.asked = real, []
        self.v1 = SimpleNamespace(
            customers=real.v1.customers,
            plans=real.v1.plans,
            products=real.v1.products,
            checkout=SimpleNamespace(sessions=SimpleNamespace(create=self.create)),
        )

    def create(self, params, options):
        self.asked.append((params, options))
        return SimpleNamespace(id="cs_test_1", url="https://checkout.stripe.test/c/pay/cs_test_1")


def test_the_pay_link_leads_to_checkout_and_its_completion_gives_the_member_a_card(
    app, client, engine, dues_org, monkeypatch
):
    tenant, _admin, secret = dues_org("may-first")
    member_id = join(client, "may-first")["id"]
    real_client = gateway.client
    fakes = []
    monkeypatch.setattr(gateway, "client", lambda key: fakes.append(FakeCheckout(real_client(key))) or fakes[-1])
    path = pay_path(app, tenant, member_id)
    visitor = app.test_client()
    token = csrf(visitor.get(path))
    response = visitor.post(f"{path}/checkout", data={"csrf_token": token})
    assert (
        response.status_code == 303 and response.headers["Location"] == "https://checkout.stripe.test/c/pay/cs_test_1"
    )
    [(params, options)] = fakes[-1].asked
    assert params["mode"] == "subscription" and params["client_reference_id"] == str(member_id)
    assert params["line_items"] == [{"price": "coopnet-dues-year-usd-25000", "quantity": 1}]
    assert params["success_url"].endswith(f"{path}?paid=1") and params["cancel_url"].endswith(path)
    assert options["idempotency_key"].startswith(f"checkout-dues-{tenant.id}-{member_id}-")
    customer = params["customer"]
    # The member pays on Stripe's page; Stripe tells the organisation.
    body = {
        "id": "evt_checkout_1",
        "object": "event",
        "type": "checkout.session.completed",
        "created": int(time.time()),
        "data": {"object": {"id": "cs_test_1", "object": "checkout.session", "client_reference_id": str(member_id),
                            "customer": customer, "subscription": "sub_from_checkout"}},
    }  # fmt: skip
    payload = json.dumps(body).encode()
    delivered = client.post(
        "/c/may-first/stripe/webhook",
        data=payload,
        headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload, secret)},
    )
    assert delivered.status_code == 200, delivered.get_json()
    run_jobs(app)
    assert tuple(member_row(engine)) == (True, "sub_from_checkout")
    # Now subscribed: the pay link offers no second Checkout.
    again = visitor.post(f"{path}/checkout", data={"csrf_token": token})
    assert again.status_code == 409 and sum(len(fake.asked) for fake in fakes) == 1
