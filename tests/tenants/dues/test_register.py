"""The register and its rules through the API: dues from the schedule, the bad inputs
the issue lists (each refused with nothing changed), officer-recorded payments, paying
twice for a period, reminders two weeks before renewal, receipts, CSV, support queue."""

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import text

from tests.conftest import csrf_token, run_jobs
from tests.tenants.dues.conftest import SCHEDULE, card, stripe_client, wait_for_events


@pytest.fixture
def org(client, login, make_tenant):
    tenant, admin = make_tenant("may-first", kind="membership_org")
    login(admin.email)
    assert client.put("/c/may-first/api/v1/dues/settings", json={"support_queue": True}).status_code == 200
    assert client.put("/c/may-first/api/v1/dues/schedule", json=SCHEDULE).status_code == 200
    return tenant, admin


def add(client, **overrides):
    body = {"name": "Palante", "email": "p@palante.example", "kind": "organization", **overrides}
    return client.post("/c/may-first/api/v1/dues/members", json=body)


def snapshot(engine):
    with engine.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT count(*) FROM t_may_first.{table}")).scalar()
            for table in ("dues_members", "dues_payments", "dues_charges", "outbox_messages")
        } | {"schedule": conn.execute(text("SELECT bands::text, minimum FROM t_may_first.dues_schedules")).one()}


@pytest.mark.parametrize(
    ("kind", "income", "plan", "amount", "votes"),
    [
        ("organization", None, "annual", "250.00", 2),  # the organisation tier
        ("individual", None, "annual", "50.00", 1),  # the individual tier
        ("organization", "50000.00", "annual", "100.00", 2),  # the band's upper bound is inclusive
        ("organization", "50000.01", "annual", "250.00", 2),
        ("individual", "9000000.00", "annual", "500.00", 1),  # above every bound: the open band
        ("organization", "120000.00", "monthly", "20.83", 2),  # 1/12 of 250.00, to the cent
    ],
)
def test_dues_follow_the_schedule(client, org, kind, income, plan, amount, votes):
    response = add(client, kind=kind, declared_income=income, plan=plan)
    assert response.status_code == 201
    created = response.get_json()
    assert created["amount"] == amount and created["standing"] == "grace"
    assert client.get(f"/c/may-first/api/v1/dues/members/{created['id']}").get_json()["votes"] == votes


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ({**SCHEDULE, "sliding_scale": [{"income_up_to": None, "amount": "20.00"}]}, "bands.0.amount"),
        ({**SCHEDULE, "tiers": {"individual": "10.00"}}, "tiers.individual"),
        ({**SCHEDULE, "minimum": "-5.00"}, "minimum"),
        ({**SCHEDULE, "tiers": {"individual": "50.005"}}, "tiers.individual"),
        ({**SCHEDULE, "tiers": {"individual": "-50.00"}}, "tiers.individual"),
        ({**SCHEDULE, "period": "weekly"}, "period"),
    ],
    ids=["band-under-minimum", "tier-under-minimum", "negative-minimum", "fractional-cent", "negative", "period"],
)
def test_a_schedule_under_the_minimum_or_with_bad_amounts_is_refused(client, engine, org, schedule, field):
    before = snapshot(engine)
    response = client.put("/c/may-first/api/v1/dues/schedule", json=schedule)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"declared_income": "-100.00"}, "declared_income"),
        ({"declared_income": "1000.001"}, "declared_income"),
        ({"amount": "10.00"}, "amount"),  # paying less than the sliding scale's minimum
        ({"kind": "cooperative"}, "kind"),
        ({"plan": "weekly"}, "plan"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_a_member_with_bad_details_is_refused_and_nothing_is_added(client, engine, org, overrides, field):
    before = snapshot(engine)
    response = add(client, **overrides)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert snapshot(engine) == before


def test_an_officer_records_a_check_a_second_payment_for_the_period_is_refused(client, engine, org):
    member_id = add(client).get_json()["id"]
    bad = client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payments", json={"amount": "-1.00", "method": "check"}
    )
    assert bad.status_code == 422
    paid = client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payments",
        json={"amount": "250.00", "method": "check", "reference": "check 1044"},
    )
    assert paid.status_code == 201
    found = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
    assert found["standing"] == "current" and found["grace_ends"] is None
    start = date.today()
    assert found["payments"][0]["period_start"] == start.isoformat()
    before = snapshot(engine)
    twice = client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payments",
        json={"amount": "250.00", "method": "transfer", "period_start": start.isoformat()},
    )
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_paid"
    assert snapshot(engine) == before
    # The receipt: as a PDF for the officer, and by the signed link in the member's mail.
    pdf = client.get(f"/c/may-first/dues/payments/{paid.get_json()['id']}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    with engine.connect() as conn:
        body = conn.execute(
            text("SELECT body FROM t_may_first.outbox_messages WHERE subject LIKE '%receipt%'")
        ).scalar()
    link = body.split("Your receipt (PDF): ")[1].split()[0]
    client.delete("/api/v1/session")
    assert client.get(link.split("127.0.0.1:5000")[1]).data.startswith(b"%PDF")
    assert client.get("/c/may-first/dues/receipts/forged").status_code == 404


def test_a_card_payment_for_a_period_already_paid_by_check_is_refunded_and_counted_once(
    app, client, engine, dues_org, stripe_base
):
    tenant, _admin, _ = dues_org("may-first")
    member_id = add(client).get_json()["id"]
    assert (
        client.post(
            f"/c/may-first/api/v1/dues/members/{member_id}/payments", json={"amount": "250.00", "method": "check"}
        ).status_code
        == 201
    )
    # The check is recorded for this period; a card bills the same period (it was already due).
    with engine.begin() as conn:
        conn.execute(text("UPDATE t_may_first.dues_members SET renews_on = current_date"))
    client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payment-method", json={"payment_method": card(stripe_base)}
    )
    run_jobs(app)
    wait_for_events(engine, tenant.id, ["invoice.payment_succeeded"])
    run_jobs(app)
    payments = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()["payments"]
    assert sorted((p["method"], p["status"]) for p in payments) == [("card", "refunded"), ("check", "paid")]
    collected = client.get("/c/may-first/api/v1/dues/collected").get_json()
    assert sum(int(m["amount"].replace(".", "")) for m in collected["by_month"]) == 25000
    customer = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
    with engine.connect() as conn:
        cus = conn.execute(text("SELECT stripe_customer_id FROM t_may_first.dues_members")).scalar()
    refunds = stripe_client(stripe_base, "sk_test_mayfirst").v1.refunds.list().data
    assert customer["standing"] == "current" and cus and len(refunds) >= 1


def test_wrong_stripe_keys_and_a_declined_card_are_refused_and_change_nothing(client, engine, dues_org, stripe_base):
    dues_org("may-first")
    before = client.get("/c/may-first/api/v1/dues/settings").get_json()
    for key, status in (("rk_live_notakeyforthis", 422), ("pk_test_publishablekey", 422), ("sk", 422)):
        response = client.put("/c/may-first/api/v1/dues/settings", json={"stripe_secret_key": key})
        assert response.status_code == status and "stripe_secret_key" in response.get_json()["error"]["fields"]
    assert client.get("/c/may-first/api/v1/dues/settings").get_json() == before
    assert before["stripe_secret_key"] == "sk_test_…irst" and "whsec_" in before["stripe_webhook_secret"]
    member_id = add(client).get_json()["id"]
    declined = client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payment-method",
        json={"payment_method": card(stripe_base, "4000000000000002")},
    )
    assert declined.status_code == 402 and declined.get_json()["error"]["code"] == "card_declined"
    found = client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()
    assert found["has_payment_method"] is False and found["payment_pending"] is False
    with engine.connect() as conn:
        assert conn.execute(text("SELECT stripe_customer_id FROM t_may_first.dues_members")).scalar() is None


def test_a_reminder_goes_out_two_weeks_before_renewal_once(app, client, engine, org):
    tenant, _ = org
    renewal = date.today() + timedelta(days=20)
    member_id = add(client, renews_on=renewal.isoformat()).get_json()["id"]
    assert client.get(f"/c/may-first/api/v1/dues/members/{member_id}").get_json()["standing"] == "current"
    from coopnet.tenants.dues.jobs import sweep
    from coopnet.worker.queues import enqueue_for_tenant

    def sweep_on(day):
        with time_machine.travel(day, tick=False):
            with app.app_context():
                enqueue_for_tenant(tenant, sweep)
            run_jobs(app)

    def reminders():
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT body FROM t_may_first.outbox_messages WHERE subject LIKE '%renew on%'"))
                .scalars()
                .all()
            )

    sweep_on(renewal - timedelta(days=15))
    assert reminders() == []
    sweep_on(renewal - timedelta(days=14))
    sweep_on(renewal - timedelta(days=13))
    sent = reminders()
    assert len(sent) == 1 and "/c/may-first/dues/pay/" in sent[0]
    sweep_on(renewal + timedelta(days=1))  # the renewal date passed unpaid: grace
    with engine.connect() as conn:
        row = conn.execute(text("SELECT standing, grace_ends FROM t_may_first.dues_members")).one()
    assert row == ("grace", renewal + timedelta(days=60))


def test_dashboard_chart_and_csv(client, org):
    member_id = add(client, name="=HYPERLINK(1)").get_json()["id"]
    client.post(
        f"/c/may-first/api/v1/dues/members/{member_id}/payments", json={"amount": "250.00", "method": "transfer"}
    )
    page = client.get("/c/may-first/dues")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "$250.00" in html and "Stripe is not connected" in html
    csv = client.get("/c/may-first/dues/export.csv")
    assert csv.mimetype == "text/csv"
    assert "'=HYPERLINK(1)" in csv.get_data(as_text=True) and ",current," in csv.get_data(as_text=True)
    collected = client.get("/c/may-first/api/v1/dues/collected").get_json()
    assert collected["by_month"][-1]["amount"] == "250.00" and collected["counts"]["current"] == 1


def test_any_member_answers_the_support_queue_and_public_tickets_are_readable_by_anyone(
    client, login, make_account, add_member, org
):
    tenant, _ = org
    asker, answerer = make_account(name="Asker"), make_account(name="Answerer")
    add_member(tenant, asker)
    add_member(tenant, answerer)
    client.delete("/api/v1/session")
    login(asker.email)
    public = client.post(
        "/c/may-first/api/v1/dues/support/tickets",
        json={"subject": "DNS help", "body": "Our MX is wrong", "public": True},
    ).get_json()
    private = client.post(
        "/c/may-first/api/v1/dues/support/tickets", json={"subject": "Billing", "body": "private", "public": False}
    ).get_json()
    assert client.get("/c/may-first/api/v1/dues/members").status_code == 403  # not an officer
    client.delete("/api/v1/session")
    login(answerer.email)
    token = csrf_token(client, f"/c/may-first/support/{public['id']}")
    response = client.post(f"/c/may-first/support/{public['id']}", data={"csrf_token": token, "body": "Set it to mx1."})
    assert response.status_code == 302
    client.delete("/api/v1/session")
    readable = client.get(f"/c/may-first/support/public/{public['id']}")
    assert readable.status_code == 200 and "Set it to mx1." in readable.get_data(as_text=True)
    assert client.get(f"/c/may-first/support/public/{private['id']}").status_code == 404
    assert "Billing" not in client.get("/c/may-first/support/public").get_data(as_text=True)


def test_the_dashboard_chart_speaks_the_organisations_language(app, client, org):
    tenant, _ = org
    with app.app_context():
        from coopnet.extensions import db
        from coopnet.platform.language import set_tenant_locale

        set_tenant_locale(db.session, tenant.id, "es")
        db.session.commit()
    html = client.get("/c/may-first/dues").get_data(as_text=True)
    assert "Cuotas recaudadas por mes" in html and "Dues collected by month" not in html
    assert ">nov<" in html or ">dic<" in html or ">ene<" in html  # Spanish month names on the axis


def test_our_reasons_for_a_failed_payment_are_in_the_readers_language(app):
    from coopnet.tenants.dues.notices import _said

    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        assert _said("the card was declined again") == "la tarjeta fue rechazada de nuevo"
        assert _said("Your card has insufficient funds.") == "Your card has insufficient funds."  # Stripe's own
