"""Invoices through the JSON API: Quilted bills a client's billable time at its sliding-scale
rate, numbers without gaps, sends through the outbox, is paid; overdue; PDF; bad input; isolation."""

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"


@pytest.fixture
def clients(coop, client):
    """The tenants' union at $40 an hour (sliding scale) and the food co-op at the full $150."""
    union = client.post(
        f"{API}/clients",
        json={"name": "Tenants' union", "hourly_rate": "40.00", "email": "books@union.example", "payment_days": 14},
    )
    food = client.post(f"{API}/clients", json={"name": "Regional food co-op", "hourly_rate": "150.00"})
    assert union.status_code == 201 and food.status_code == 201, union.get_json()
    assert union.get_json()["email"] == "books@union.example"
    return union.get_json()["id"], food.get_json()["id"]


def invoice(client, client_id, start=f"{YEAR}-03-01", end=f"{YEAR}-03-31", **more):
    return client.post(
        f"{API}/invoices", json={"client_id": client_id, "period_start": start, "period_end": end, **more}
    )


def test_an_invoice_bills_a_period_of_billable_time_at_the_clients_rate(coop, clients, client, app):
    union, food = clients
    _, _, members = coop
    colin = as_member(app, members[0])
    assert log(colin, client_id=union, minutes=150).status_code == 201  # 2.5 h
    assert log(colin, client_id=union, minutes=25, worked_on=f"{YEAR}-03-03").status_code == 201
    assert log(colin, client_id=union, minutes=60, kind="internal").status_code == 201  # the kind shows
    assert log(colin, client_id=union, minutes=600, billable=False).status_code == 201  # never billed
    assert log(colin, client_id=union, minutes=60, worked_on=f"{YEAR}-04-01").status_code == 201  # next month
    assert log(colin, client_id=food, minutes=60).status_code == 201  # another client

    made = invoice(client, union)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["number"] == 1 and body["status"] == "draft" and body["overdue"] is False
    assert body["minutes"] == 235 and body["hourly_rate"] == "40.00"
    # 175 minutes at $40 is $116.666... -> 116.67; an hour of internal work $40.00
    assert [(line["kind"], line["hours"], line["amount"]) for line in body["lines"]] == [
        ("client", "2.92", "116.67"),
        ("internal", "1.00", "40.00"),
    ]
    assert body["total"] == "156.67"
    assert body["due_on"] == (date.today() + timedelta(days=14)).isoformat()  # the client's terms

    # The same time is never billed twice; the food co-op's is its own invoice, numbered next.
    again = invoice(client, union)
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "nothing_to_invoice"
    second = invoice(client, food).get_json()
    assert second["number"] == 2 and second["total"] == "150.00"
    listed = client.get(f"{API}/invoices").get_json()["invoices"]
    assert [i["number"] for i in listed] == [2, 1]


def test_send_mails_the_client_then_paid_and_overdue(coop, clients, client, app, engine):
    union, food = clients
    log(client, client_id=union, minutes=120)
    log(client, client_id=food, minutes=60)
    first = invoice(client, union).get_json()
    sent = client.post(f"{API}/invoices/{first['id']}/send")
    assert sent.status_code == 200 and sent.get_json()["status"] == "sent"
    with engine.connect() as conn:
        mail = conn.execute(text("SELECT to_address, subject, body FROM t_quilted.outbox_messages")).all()
    assert len(mail) == 1 and mail[0][0] == "books@union.example"
    assert "Invoice 1" in mail[0][1] and "$80.00" in mail[0][2]
    assert client.post(f"{API}/invoices/{first['id']}/send").status_code == 409  # once

    no_mail = invoice(client, food).get_json()
    refused = client.post(f"{API}/invoices/{no_mail['id']}/send")
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "client_without_email"
    assert client.get(f"{API}/invoices/{no_mail['id']}").get_json()["status"] == "draft"
    assert client.post(f"{API}/invoices/{no_mail['id']}/paid", json={}).status_code == 409  # a draft is not paid

    # Overdue is computed: a sent invoice past its due date.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE t_quilted.invoices SET due_on = current_date - 1 WHERE id = :id"), {"id": first["id"]}
        )
    shown = client.get(f"{API}/invoices/{first['id']}").get_json()
    assert shown["status"] == "sent" and shown["overdue"] is True
    assert [i["number"] for i in client.get(f"{API}/invoices?status=overdue").get_json()["invoices"]] == [1]
    future = client.post(f"{API}/invoices/{first['id']}/paid", json={"paid_on": "2999-01-01"})
    assert future.status_code == 422 and "paid_on" in future.get_json()["error"]["fields"]
    paid = client.post(f"{API}/invoices/{first['id']}/paid", json={"paid_on": date.today().isoformat()})
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid" and paid.get_json()["overdue"] is False
    assert client.get(f"{API}/invoices?status=overdue").get_json()["invoices"] == []
    assert client.post(f"{API}/invoices/{first['id']}/paid", json={}).status_code == 409

    pdf = client.get(f"{API}/invoices/{first['id']}/invoice.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "invoice-1.pdf" in pdf.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"client_id": 999}, "client_id"),
        ({"client_id": "1"}, "client_id"),
        ({"period_start": "March"}, "period_start"),
        ({"period_end": f"{YEAR}-02-01"}, "period_end"),
        ({"due_on": "2000-01-01"}, "due_on"),
    ],
)
def test_bad_invoices_are_refused_and_nothing_is_written(coop, clients, client, engine, body, field):
    union, _ = clients
    log(client, client_id=union, minutes=120)
    values = {"client_id": union, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31", **body}
    response = client.post(f"{API}/invoices", json=values)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"], response.get_json()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.invoices")).scalar() == 0
        assert (
            conn.execute(text("SELECT count(*) FROM t_quilted.time_entries WHERE invoice_id IS NOT NULL")).scalar() == 0
        )
    # ... and the next good one is still number 1: a refused invoice takes no number.
    assert invoice(client, union).get_json()["number"] == 1


def test_members_who_are_not_officers_cannot_bill(coop, clients, client, app):
    union, _ = clients
    _, _, members = coop
    log(client, client_id=union, minutes=60)
    made = invoice(client, union).get_json()
    colin = as_member(app, members[0])
    assert invoice(colin, union).status_code == 403
    assert colin.get(f"{API}/invoices/{made['id']}").status_code == 403


def test_another_coops_member_gets_404_on_every_invoice_route(coop, clients, client, app, make_tenant):
    union, _ = clients
    log(client, client_id=union, minutes=60)
    made = invoice(client, union).get_json()
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    base = f"{API}/invoices"
    for method, path, body in [
        ("GET", base, None),
        ("POST", base, {"client_id": union, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}),
        ("GET", f"{base}/{made['id']}", None),
        ("POST", f"{base}/{made['id']}/send", None),
        ("POST", f"{base}/{made['id']}/paid", {}),
        ("GET", f"{base}/{made['id']}/invoice.pdf", None),
        ("GET", "/c/quilted/invoices", None),
        ("GET", f"/c/quilted/invoices/{made['id']}", None),
    ]:
        response = other.open(path, method=method, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
    assert client.get(f"{base}/{made['id']}").get_json()["status"] == "draft"


def test_the_invoice_pages_draft_send_and_mark_paid(coop, clients, client, engine):
    from tests.conftest import csrf_token

    union, _ = clients
    log(client, client_id=union, minutes=90)
    token = csrf_token(client, "/c/quilted/invoices")
    bad = client.post("/c/quilted/invoices", data={"csrf_token": token, "client_id": union})
    assert bad.status_code == 422 and "A date such as 2026-03-01." in bad.get_data(as_text=True)
    made = client.post(
        "/c/quilted/invoices",
        data={"csrf_token": token, "client_id": union, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"},
    )
    assert made.status_code == 302
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "<h1>Invoice 1</h1>" in page and "60.00" in page and "Send to the client" in page
    assert client.post("/c/quilted/invoices/1/send", data={"csrf_token": token}).status_code == 302
    page = client.get("/c/quilted/invoices/1").get_data(as_text=True)
    assert "Mark paid" in page
    client.post("/c/quilted/invoices/1/paid", data={"csrf_token": token, "paid_on": date.today().isoformat()})
    listing = client.get("/c/quilted/invoices").get_data(as_text=True)
    assert "Tenants&#39; union" in listing and "paid" in listing
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM t_quilted.invoices")).scalar() == "paid"
