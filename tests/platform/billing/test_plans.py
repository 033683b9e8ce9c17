"""Against localstripe: a co-op pays for its plan by card; a declined card warns it, the
clock moved past the grace period limits it to reading, and paying lifts that; the
operator comps a tenant and reads revenue by month."""

from datetime import date, timedelta

import time_machine
from sqlalchemy import text

from coopnet.extensions import db as _db
from tests.conftest import platform_mail, run_jobs
from tests.platform.billing.conftest import PLATFORM_KEY, card, platform_events
from tests.tenants.dues.conftest import stripe_client

DECLINED = "4000000000000341"


def billing(api, slug, headers=None):
    response = api.get(f"/c/{slug}/api/v1/billing", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def subscriptions_of(base, customer):
    return stripe_client(base, PLATFORM_KEY).v1.subscriptions.list(params={"customer": customer, "status": "all"}).data


def customer_of(engine, tenant_id):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT stripe_customer_id FROM platform_subscriptions WHERE tenant_id = :t"), {"t": tenant_id}
        ).scalar()


def sweep(app):
    from coopnet.platform.billing.jobs import billing_sweep
    from coopnet.worker.queues import enqueue_platform

    with app.app_context():
        enqueue_platform(billing_sweep)
    run_jobs(app)


def test_a_coop_starts_free_and_pays_for_a_larger_plan_by_card(
    app, client, engine, login, make_tenant, platform_stripe
):
    tenant, admin = make_tenant("quilted")
    login(admin.email)
    start = billing(client, "quilted")
    assert (start["plan"]["code"], start["standing"], start["people"], start["amount"]) == ("free", "good", 1, "0.00")
    assert [(p["code"], p["amount"], p["people"]) for p in start["plans"]] == [
        ("free", "0.00", 10), ("cooperative", "20.00", 50), ("federation", "60.00", None)
    ]  # fmt: skip
    refused = client.put("/c/quilted/api/v1/billing/plan", json={"plan": "cooperative"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "payment_method_required"
    carded = client.post("/c/quilted/api/v1/billing/payment-method", json={"payment_method": card(platform_stripe)})
    assert carded.status_code == 200 and carded.get_json()["has_payment_method"] is True
    chosen = client.put("/c/quilted/api/v1/billing/plan", json={"plan": "cooperative"})
    assert chosen.status_code == 200, chosen.get_json()
    found = chosen.get_json()
    assert (found["plan"]["code"], found["amount"], found["currency"], found["standing"]) == (
        "cooperative", "20.00", "usd", "good"
    )  # fmt: skip
    assert [(p["amount"], p["plan"]) for p in found["payments"]] == [("20.00", "cooperative")]
    assert found["paid_through"] is not None and found["paid_through"] > date.today().isoformat()
    customer = customer_of(engine, tenant.id)
    [subscription] = subscriptions_of(platform_stripe, customer)
    assert subscription.status == "active" and subscription["items"]["data"][0]["plan"]["amount"] == 2000
    # Stripe's webhooks for it arrive and change nothing more: the invoice is counted once.
    platform_events(engine, ["invoice.payment_succeeded", "customer.subscription.created"])
    run_jobs(app)
    after = billing(client, "quilted")
    assert after["standing"] == "good" and len(after["payments"]) == 1
    # Choosing it again changes nothing and charges nothing.
    assert client.put("/c/quilted/api/v1/billing/plan", json={"plan": "cooperative"}).status_code == 200
    assert len(subscriptions_of(platform_stripe, customer)) == 1
    page = client.get("/c/quilted/billing")
    assert page.status_code == 200
    assert "Co-op" in page.get_data(as_text=True) and "$20.00" in page.get_data(as_text=True)
    # Back to free: the subscription is cancelled at Stripe.
    free = client.put("/c/quilted/api/v1/billing/plan", json={"plan": "free"}).get_json()
    assert (free["plan"]["code"], free["amount"], free["standing"]) == ("free", "0.00", "good")
    assert [s.status for s in subscriptions_of(platform_stripe, customer)] == ["canceled"]
    # The operator's revenue: this month holds the one payment.
    output = app.test_cli_runner().invoke(args=["billing", "revenue", "--months", "1"]).output
    assert f"{date.today():%Y-%m}" in output and "20.00" in output


def test_a_declined_card_warns_the_coop_then_past_grace_it_is_read_only_until_it_pays(
    app, engine, make_tenant, platform_stripe, token_for
):
    _tenant, admin = make_tenant("electric-embers")
    headers = token_for(admin.email)
    api = app.test_client()  # the token only: a moved clock would end a log-in session
    slug = "electric-embers"
    assert api.post(
        f"/c/{slug}/api/v1/billing/payment-method", json={"payment_method": card(platform_stripe, DECLINED)},
        headers=headers,
    ).status_code == 200  # fmt: skip
    chosen = api.put(f"/c/{slug}/api/v1/billing/plan", json={"plan": "cooperative"}, headers=headers)
    assert chosen.status_code == 200, chosen.get_json()
    found = chosen.get_json()
    unpaid_since = date.today()
    grace_ends = unpaid_since + timedelta(days=14)
    assert (found["plan"]["code"], found["standing"], found["reason"]) == ("cooperative", "warned", "payment_failed")
    assert found["unpaid_since"] == unpaid_since.isoformat() and found["grace_ends"] == grace_ends.isoformat()
    assert found["payments"] == []
    [warning] = [m for m in platform_mail(engine, admin.email) if "unpaid" in m["subject"]]
    assert f"/c/{slug}/billing" in warning["body"] and "Nothing is deleted" in warning["body"]
    platform_events(engine, ["customer.subscription.created"])
    run_jobs(app)  # the incomplete subscription's event: still warned, and no second mail
    assert billing(api, slug, headers)["standing"] == "warned"
    assert len([m for m in platform_mail(engine, admin.email) if "unpaid" in m["subject"]]) == 1
    # Warned: every member sees the banner; writing still works.
    home = api.get(f"/c/{slug}/api/v1/", headers=headers)
    assert home.status_code == 200
    assert api.put(f"/c/{slug}/api/v1/language", json={"locale": "es"}, headers=headers).status_code == 200

    with time_machine.travel(grace_ends + timedelta(hours=12), tick=False):
        sweep(app)
        assert billing(api, slug, headers)["standing"] == "warned"  # the last day of grace
        assert api.put(f"/c/{slug}/api/v1/language", json={"locale": "en"}, headers=headers).status_code == 200
    with time_machine.travel(grace_ends + timedelta(days=1, hours=12), tick=False):
        sweep(app)
        limited = billing(api, slug, headers)  # reading goes on
        assert limited["standing"] == "limited" and limited["plan"]["code"] == "cooperative"
        refused = api.put(f"/c/{slug}/api/v1/language", json={"locale": "ru"}, headers=headers)
        assert refused.status_code == 402 and refused.get_json()["error"]["code"] == "plan_unpaid"
        assert api.get(f"/c/{slug}/api/v1/language", headers=headers).get_json()["locale"] == "en"
        with engine.connect() as conn:  # never deleted
            assert conn.execute(text("SELECT status FROM tenants WHERE slug = :s"), {"s": slug}).scalar() == "active"
        [read_only] = [m for m in platform_mail(engine, admin.email) if "read-only" in m["subject"]]
        assert f"/c/{slug}/billing" in read_only["body"]
        sweep(app)  # a second day: no second mail
        assert len([m for m in platform_mail(engine, admin.email) if "read-only" in m["subject"]]) == 1

    # Paying is not a write it refuses: a good card pays the open invoice at once.
    paid = api.post(
        f"/c/{slug}/api/v1/billing/payment-method", json={"payment_method": card(platform_stripe)}, headers=headers
    )
    assert paid.status_code == 200, paid.get_json()
    assert paid.get_json()["standing"] == "good" and paid.get_json()["grace_ends"] is None
    assert [p["amount"] for p in paid.get_json()["payments"]] == ["20.00"]
    assert api.put(f"/c/{slug}/api/v1/language", json={"locale": "en"}, headers=headers).status_code == 200
    platform_events(engine, ["invoice.payment_succeeded"])
    run_jobs(app)
    assert len(billing(api, slug, headers)["payments"]) == 1


def test_the_banner_shows_on_every_page_of_a_warned_coop(app, client, login, make_tenant, add_member, make_account,
                                                          platform_stripe):  # fmt: skip
    tenant, admin = make_tenant("gaia-host")
    member = make_account()
    add_member(tenant, member)
    login(admin.email)
    client.post("/c/gaia-host/api/v1/billing/payment-method", json={"payment_method": card(platform_stripe, DECLINED)})
    assert client.put("/c/gaia-host/api/v1/billing/plan", json={"plan": "cooperative"}).get_json()["standing"] == (
        "warned"
    )
    admin_page = client.get("/c/gaia-host/").get_data(as_text=True)
    assert "plan with the platform is unpaid" in admin_page and "/c/gaia-host/billing" in admin_page
    other = app.test_client()
    login(member.email, who=other)
    member_page = other.get("/c/gaia-host/").get_data(as_text=True)
    assert "plan with the platform is unpaid" in member_page and "/c/gaia-host/billing" not in member_page
    assert other.get("/c/gaia-host/billing").status_code == 403  # admins only
    assert other.get("/c/gaia-host/api/v1/billing").status_code == 403


def test_the_operator_comps_a_limited_coop_and_it_writes_again(
    app, client, engine, login, make_tenant, platform_stripe
):
    tenant, admin = make_tenant("tech-underground")
    login(admin.email)
    client.post(
        "/c/tech-underground/api/v1/billing/payment-method", json={"payment_method": card(platform_stripe, DECLINED)}
    )
    client.put("/c/tech-underground/api/v1/billing/plan", json={"plan": "cooperative"})
    with app.app_context():
        _db.session.execute(
            text("UPDATE platform_subscriptions SET standing = 'limited', unpaid_since = :d WHERE tenant_id = :t"),
            {"d": date.today() - timedelta(days=30), "t": tenant.id},
        )
        _db.session.commit()
    assert client.put("/c/tech-underground/api/v1/language", json={"locale": "es"}).status_code == 402
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["billing", "comp", "tech-underground", "--plan", "federation"])
    assert missing.exit_code != 0  # a comp says why
    result = runner.invoke(
        args=["billing", "comp", "tech-underground", "--plan", "federation", "--reason", "founding member network"]
    )
    assert result.exit_code == 0, result.output
    found = billing(client, "tech-underground")
    assert (found["plan"]["code"], found["amount"], found["comped"], found["standing"]) == (
        "federation", "0.00", True, "good"
    )  # fmt: skip
    assert client.put("/c/tech-underground/api/v1/language", json={"locale": "es"}).status_code == 200
    # The declined subscription is cancelled: nothing is charged while comped.
    assert [s.status for s in subscriptions_of(platform_stripe, customer_of(engine, tenant.id))] == ["canceled"]
    refused = client.put("/c/tech-underground/api/v1/billing/plan", json={"plan": "free"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "comped"
    listing = runner.invoke(args=["billing", "list"]).output
    assert "tech-underground" in listing and "comped" in listing
    # A comp with an end: the day after it, the sweep puts the co-op back on the free plan.
    until = date.today() + timedelta(days=5)
    runner.invoke(args=["billing", "comp", "tech-underground", "--reason", "trial", "--until", until.isoformat()])
    with time_machine.travel(until + timedelta(days=1, hours=12), tick=False):
        sweep(app)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT plan, comped, standing FROM platform_subscriptions WHERE tenant_id = :t"), {"t": tenant.id}
        ).one()
    assert tuple(row) == ("free", False, "good")


def test_a_new_card_is_kept_when_stripe_cannot_be_reached_to_pay_the_open_invoice(
    app, engine, make_tenant, platform_stripe, token_for, monkeypatch
):
    """The card is attached at Stripe before the open invoice is paid: if Stripe then
    stops answering, the customer and card stay recorded (no second customer on the next
    try) and the tenant stays warned until Stripe's own retry is paid."""
    import stripe

    from coopnet.platform.billing import stripe_gateway

    tenant, admin = make_tenant("electric-embers")
    headers = token_for(admin.email)
    api = app.test_client()
    slug = "electric-embers"
    declined = {"payment_method": card(platform_stripe, DECLINED)}
    assert api.post(f"/c/{slug}/api/v1/billing/payment-method", json=declined, headers=headers).status_code == 200
    assert api.put(f"/c/{slug}/api/v1/billing/plan", json={"plan": "cooperative"}, headers=headers).status_code == 200
    customer = customer_of(engine, tenant.id)

    def unreachable(*args, **kwargs):
        raise stripe.APIConnectionError("connection refused")

    monkeypatch.setattr(stripe_gateway, "retry_invoice", unreachable)
    good = {"payment_method": card(platform_stripe)}
    answer = api.post(f"/c/{slug}/api/v1/billing/payment-method", json=good, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    found = billing(api, slug, headers)
    assert found["has_payment_method"] is True and found["standing"] == "warned"
    assert customer_of(engine, tenant.id) == customer
