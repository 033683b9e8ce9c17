"""Clients: the page lists them with their sliding-scale rates; officers add them and change a
rate or contact; a changed rate leaves invoices already made alone; bad input changes nothing."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"


@pytest.fixture
def union(coop, client):
    made = client.post(
        f"{API}/clients", json={"name": "Tenants' union", "hourly_rate": "40.00", "email": "books@union.example"}
    )
    assert made.status_code == 201
    return made.get_json()["id"]


def test_an_officer_changes_a_rate_and_contact_and_old_invoices_keep_theirs(coop, client, union):
    log(client, client_id=union, minutes=60)
    first = client.post(
        f"{API}/invoices", json={"client_id": union, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    ).get_json()
    changed = client.put(f"{API}/clients/{union}", json={"hourly_rate": "60.00", "email": "treasurer@union.example"})
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert (body["name"], body["hourly_rate"], body["email"], body["payment_days"]) == (
        "Tenants' union",
        "60.00",
        "treasurer@union.example",
        30,
    )
    assert client.get(f"{API}/clients/{union}").get_json() == body
    assert client.get(f"{API}/invoices/{first['id']}").get_json()["total"] == "40.00"
    log(client, client_id=union, minutes=60, worked_on=f"{YEAR}-04-02")
    second = client.post(
        f"{API}/invoices", json={"client_id": union, "period_start": f"{YEAR}-04-01", "period_end": f"{YEAR}-04-30"}
    )
    assert second.get_json()["total"] == "60.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hourly_rate": "150.01"}, "hourly_rate"),
        ({"hourly_rate": 40.5}, "hourly_rate"),
        ({"hourly_rate": "40.005"}, "hourly_rate"),
        ({"hourly_rate": "-1.00"}, "hourly_rate"),
        ({"name": "  "}, "name"),
        ({"email": "not an address"}, "email"),
        ({"payment_days": 400}, "payment_days"),
        ({"payment_days": "30"}, "payment_days"),
    ],
)
def test_a_bad_change_changes_nothing(coop, client, union, body, field):
    refused = client.put(f"{API}/clients/{union}", json=body)
    assert refused.status_code == 422 and field in refused.get_json()["error"]["fields"], refused.get_json()
    kept = client.get(f"{API}/clients/{union}").get_json()
    assert (kept["name"], kept["hourly_rate"], kept["email"]) == ("Tenants' union", "40.00", "books@union.example")


def test_members_see_clients_but_only_officers_change_them(coop, client, app, union):
    colin = as_member(app, coop[2][0])
    assert colin.get(f"{API}/clients/{union}").status_code == 200
    assert colin.put(f"{API}/clients/{union}", json={"hourly_rate": "0.00"}).status_code == 403
    page = colin.get("/c/quilted/clients").get_data(as_text=True)
    assert "Tenants&#39; union" in page and "Add a client" not in page
    assert colin.get(f"/c/quilted/clients/{union}").status_code == 403
    assert client.get(f"{API}/clients/{union}").get_json()["hourly_rate"] == "40.00"


def test_another_coops_member_gets_404(coop, client, app, union, make_tenant, engine):
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    token = csrf_token(other, "/account")
    for method, path, kwargs in [
        ("GET", f"{API}/clients/{union}", {}),
        ("PUT", f"{API}/clients/{union}", {"json": {"hourly_rate": "0.00"}}),
        ("GET", "/c/quilted/clients", {}),
        ("POST", f"/c/quilted/clients/{union}", {"data": {"csrf_token": token, "name": "x", "hourly_rate": "0"}}),
    ]:
        response = other.open(path, method=method, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "union" not in response.get_data(as_text=True)
    # Their own client with the same id is theirs alone.
    theirs = other.post("/c/design-action/api/v1/clients", json={"name": "Their client", "hourly_rate": "90.00"})
    assert (
        other.put(f"/c/design-action/api/v1/clients/{theirs.get_json()['id']}", json={"name": "Renamed"}).status_code
        == 200
    )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, hourly_rate FROM t_quilted.clients")).all() == [("Tenants' union", 4000)]


def test_the_clients_pages_add_and_change(coop, client, union):
    token = csrf_token(client, "/c/quilted/clients")
    bad = client.post("/c/quilted/clients", data={"csrf_token": token, "name": "", "hourly_rate": "200"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Name the client." in html and "0.00 to 150.00" in html
    added = client.post(
        "/c/quilted/clients",
        data={"csrf_token": token, "name": "Community radio", "hourly_rate": "35.00", "payment_days": "14"},
    )
    assert added.status_code == 302
    assert [c["name"] for c in client.get(f"{API}/clients").get_json()["clients"]] == [
        "Community radio",
        "Tenants' union",
    ]
    form = client.get(f"/c/quilted/clients/{union}").get_data(as_text=True)
    assert 'value="40.00"' in form and "books@union.example" in form
    refused = client.post(
        f"/c/quilted/clients/{union}", data={"csrf_token": token, "name": "Tenants' union", "hourly_rate": "ten"}
    )
    assert refused.status_code == 422 and "1234.50" in refused.get_data(as_text=True)
    saved = client.post(
        f"/c/quilted/clients/{union}",
        data={"csrf_token": token, "name": "Tenants' union", "hourly_rate": "20.00", "email": "", "payment_days": "30"},
    )
    assert saved.status_code == 302
    assert client.get(f"{API}/clients/{union}").get_json()["hourly_rate"] == "20.00"
    assert "20.00" in client.get("/c/quilted/clients").get_data(as_text=True)
