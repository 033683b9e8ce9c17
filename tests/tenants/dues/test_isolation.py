"""Two dues-collecting organisations: neither's officers reach the other's register,
payments, receipts, tickets or webhook, and an event about one's customer signed for
the other is refused."""

import json
import re

from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.dues.conftest import SCHEDULE, sign


def test_every_dues_route_refuses_an_officer_of_another_organisation(app, client, login, make_tenant, engine):
    _, target_admin = make_tenant("may-first", name="May First Secret Name", kind="membership_org")
    _, outsider = make_tenant("other-org", kind="membership_org")
    login(target_admin.email)
    assert client.put("/c/may-first/api/v1/dues/settings", json={"support_queue": True}).status_code == 200
    assert client.put("/c/may-first/api/v1/dues/schedule", json=SCHEDULE).status_code == 200
    member = client.post(
        "/c/may-first/api/v1/dues/members",
        json={"name": "Secret Member Org", "email": "secret@member.example", "kind": "organization"},
    ).get_json()
    assert (
        client.post(
            f"/c/may-first/api/v1/dues/members/{member['id']}/payments", json={"amount": "250.00", "method": "check"}
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/c/may-first/api/v1/dues/support/tickets", json={"subject": "Secret ticket", "body": "x", "public": False}
        ).status_code
        == 201
    )
    client.delete("/api/v1/session")
    login(outsider.email)
    token = csrf_token(client, "/account")
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith(("dues.", "dues_api."))]
    assert len(rules) >= 20
    for rule in rules:
        path = re.sub(
            r"<(?:[a-z]+:)?([a-z_]+)>",
            lambda m: {"slug": "may-first", "token": "forged"}.get(m.group(1), "1"),
            rule.rule,
        )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method in ("POST", "PUT") and "/api/" in path:
                kwargs = {
                    "json": {"amount": "1.00", "method": "check", "body": "x", "subject": "x", "period": "annual"}
                }
            elif method == "POST":
                kwargs = {"data": {"csrf_token": token, "amount": "1.00", "method": "check", "body": "x"}}
            else:
                kwargs = {}
            response = client.open(path, method=method, **kwargs)
            body = response.get_data(as_text=True)
            if rule.endpoint == "dues.public_queue":  # public by design: it lists public tickets only
                assert response.status_code == 200
            else:
                assert response.status_code in (403, 404), (method, path, response.status_code)
            secrets = ["Secret Member Org", "secret@member.example", "Secret ticket"]
            if rule.endpoint != "dues.public_queue":  # the organisation publishes its queue under its name
                secrets.append("May First Secret Name")
            for secret in secrets:
                assert secret not in body, (method, path)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_may_first.dues_payments")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM t_may_first.support_answers")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM t_other_org.dues_members")).scalar() == 0


def test_an_event_naming_another_organisations_customer_is_refused(app, client, login, make_tenant, engine):
    secrets = {}
    for slug in ("may-first", "other-org"):
        _, admin = make_tenant(slug, kind="membership_org")
        login(admin.email)
        secrets[slug] = f"whsec_{slug.replace('-', '')}secret"
        assert (
            client.put(f"/c/{slug}/api/v1/dues/settings", json={"stripe_webhook_secret": secrets[slug]}).status_code
            == 200
        )
        client.put(f"/c/{slug}/api/v1/dues/schedule", json=SCHEDULE)
        client.post(f"/c/{slug}/api/v1/dues/members", json={"name": "M", "email": "m@x.example", "kind": "individual"})
        with engine.begin() as conn:
            conn.execute(text(f"UPDATE t_{slug.replace('-', '_')}.dues_members SET stripe_customer_id = :c"),
                         {"c": f"cus_{slug.replace('-', '')}"})  # fmt: skip
        client.delete("/api/v1/session")
    event = {
        "id": "evt_cross",
        "type": "invoice.payment_succeeded",
        "data": {"object": {"id": "in_cross", "customer": "cus_otherorg", "amount_paid": 5000, "currency": "usd"}},
    }
    payload = json.dumps(event).encode()
    response = client.post(
        "/c/may-first/stripe/webhook",
        data=payload,
        headers={"Stripe-Signature": sign(payload, secrets["may-first"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "unknown_customer"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM stripe_events")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM t_other_org.dues_payments")).scalar() == 0
