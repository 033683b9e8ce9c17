"""Only a co-op's own admins see or change its plan; a co-op grown past the free plan
is warned by the daily sweep; paid plans need the platform's Stripe keys; the
operator's revenue by month."""

from datetime import date

import pytest
from sqlalchemy import text

from coopnet.extensions import db as _db
from coopnet.platform.billing import revenue
from tests.conftest import platform_mail, run_jobs


def test_another_coops_admin_can_neither_see_nor_change_the_plan(app, client, login, make_tenant, add_member,
                                                                  make_account, engine):  # fmt: skip
    quilted, _ = make_tenant("quilted")
    _, outsider = make_tenant("design-action")
    login(outsider.email)
    for method, path, body in [
        ("get", "/c/quilted/api/v1/billing", None),
        ("put", "/c/quilted/api/v1/billing/plan", {"plan": "federation"}),
        ("post", "/c/quilted/api/v1/billing/payment-method", {"payment_method": "pm_card_visa"}),
        ("get", "/c/quilted/billing", None),
    ]:
        response = getattr(client, method)(path, json=body) if body else getattr(client, method)(path)
        assert response.status_code == 404, (method, path, response.status_code)
    page = client.post("/c/quilted/billing/plan", data={"plan": "free"})
    assert page.status_code in (400, 404)  # no CSRF token from a page it cannot see
    member = make_account()
    add_member(quilted, member)
    other = app.test_client()
    login(member.email, who=other)
    assert other.get("/c/quilted/api/v1/billing").status_code == 403
    assert other.put("/c/quilted/api/v1/billing/plan", json={"plan": "federation"}).status_code == 403
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM platform_subscriptions")).scalar() == 0


def test_paid_plans_need_the_platforms_stripe_keys_and_unknown_plans_are_refused(app, client, login, make_tenant,
                                                                                 monkeypatch):  # fmt: skip
    monkeypatch.setitem(app.config, "PLATFORM_STRIPE_SECRET_KEY", None)
    _, admin = make_tenant("quilted")
    login(admin.email)
    assert client.get("/c/quilted/api/v1/billing").get_json()["billing_configured"] is False
    unset = client.put("/c/quilted/api/v1/billing/plan", json={"plan": "cooperative"})
    assert unset.status_code == 409 and unset.get_json()["error"]["code"] == "billing_not_configured"
    unknown = client.put("/c/quilted/api/v1/billing/plan", json={"plan": "platinum"})
    assert unknown.status_code == 422 and "plan" in unknown.get_json()["error"]["fields"]
    card = client.post("/c/quilted/api/v1/billing/payment-method", json={"payment_method": "card_4242"})
    assert card.status_code == 422 and "payment_method" in card.get_json()["error"]["fields"]
    assert client.get("/c/quilted/api/v1/billing").get_json()["plan"]["code"] == "free"


def test_a_coop_grown_past_the_free_plan_is_warned_by_the_daily_sweep(app, client, login, make_tenant, add_member,
                                                                      make_account, engine):  # fmt: skip
    from coopnet.platform.billing.jobs import billing_sweep
    from coopnet.worker.queues import enqueue_platform

    tenant, admin = make_tenant("web-collective")
    small, _ = make_tenant("small-coop")
    for i in range(10):
        add_member(tenant, make_account(f"worker{i}@web.example"))
    with app.app_context():
        enqueue_platform(billing_sweep)
    run_jobs(app)
    login(admin.email)
    found = client.get("/c/web-collective/api/v1/billing").get_json()
    assert (found["people"], found["standing"], found["reason"]) == (11, "warned", "over_plan")
    assert [p["covers_you"] for p in found["plans"]] == [False, True, True]
    assert any("more people than its plan covers" in m["body"] for m in platform_mail(engine, admin.email))
    refused = client.put("/c/web-collective/api/v1/billing/plan", json={"plan": "free"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "plan_too_small"
    with engine.connect() as conn:  # the small co-op is untouched
        assert conn.execute(
            text("SELECT count(*) FROM platform_subscriptions WHERE tenant_id = :t"), {"t": small.id}
        ).scalar() == 0  # fmt: skip


PAYMENTS = [  # (slug, amount, currency, paid on)
    ("quilted", 2000, "usd", date(2026, 9, 1)),
    ("quilted", 2000, "usd", date(2026, 10, 1)),
    ("gaia-host", 6000, "usd", date(2026, 10, 20)),
    ("euro-coop", 2000, "eur", date(2026, 11, 3)),
    ("quilted", 2000, "usd", date(2026, 11, 1)),
    ("quilted", 2000, "usd", date(2026, 6, 1)),  # before the window
]


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (1, [("2026-11", "eur", 2000, 1, 1), ("2026-11", "usd", 2000, 1, 1)]),
        (
            3,
            [
                ("2026-09", "eur", 0, 0, 0),
                ("2026-09", "usd", 2000, 1, 1),
                ("2026-10", "eur", 0, 0, 0),
                ("2026-10", "usd", 8000, 2, 2),
                ("2026-11", "eur", 2000, 1, 1),
                ("2026-11", "usd", 2000, 1, 1),
            ],
        ),
    ],
)
def test_revenue_by_month_per_currency_with_empty_months(app, db, months, expected):
    with app.app_context():
        for i, (slug, amount, currency, day) in enumerate(PAYMENTS):
            _db.session.execute(
                text(
                    "INSERT INTO platform_payments (tenant_slug, plan, amount, currency, stripe_invoice_id, paid_on,"
                    " created_at) VALUES (:s, 'cooperative', :a, :c, :i, :d, now())"
                ),
                {"s": slug, "a": amount, "c": currency, "i": f"in_{i}", "d": day},
            )
        _db.session.commit()
        rows = revenue.by_month(_db.session, date(2026, 11, 26), months)
    assert [(r["month"], r["currency"], r["amount"], r["payments"], r["tenants"]) for r in rows] == expected


@pytest.mark.parametrize(
    ("invoice", "expected"),
    [
        ({"status_transitions": {"paid_at": 1793491199}}, date(2026, 10, 31)),  # 23:59:59 UTC, Oct 31
        ({"status_transitions": {"paid_at": None}}, None),
        ({"status_transitions": {"paid_at": "1793491199"}}, None),
        ({"status_transitions": {"paid_at": True}}, None),
        ({"status_transitions": {"paid_at": 10**20}}, None),
        ({}, None),
    ],
)
def test_revenue_counts_a_payment_on_the_day_stripe_says_it_was_paid(invoice, expected):
    from coopnet.platform.billing.services import paid_on

    assert paid_on(invoice) == expected
