"""The report of subsidised work: billable hours at the full $150 less the rate charged (the
invoice's for invoiced time, else the client's), per client and in total, to the cent."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"
PERIOD = f"from={YEAR}-01-01&to={YEAR}-12-31"


def add_client(client, name, rate):
    made = client.post(f"{API}/clients", json={"name": name, "hourly_rate": rate})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


@pytest.fixture
def quilted_clients(coop, client, engine):
    """The tenants' union invoiced at $40 and then moved to $60, the food co-op at the full $150,
    community radio at $35."""
    union = add_client(client, "Tenants' union", "40.00")
    food = add_client(client, "Regional food co-op", "150.00")
    radio = add_client(client, "Community radio", "35.00")
    log(client, client_id=union, minutes=150)  # invoiced at $40
    made = client.post(
        f"{API}/invoices", json={"client_id": union, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    )
    assert made.status_code == 201
    with engine.begin() as conn:
        conn.execute(text("UPDATE t_quilted.clients SET hourly_rate = 6000 WHERE id = :id"), {"id": union})
    log(client, client_id=union, minutes=90, worked_on=f"{YEAR}-04-01")  # not invoiced: $60 today
    log(client, client_id=union, minutes=600, worked_on=f"{YEAR}-04-02", billable=False)  # not billable
    log(client, client_id=food, minutes=60, worked_on=f"{YEAR}-04-03")
    log(client, client_id=radio, minutes=25, worked_on=f"{YEAR}-04-03")
    log(client, client_id=radio, minutes=60, worked_on=f"{YEAR + 1}-01-02")  # another year
    return union, food, radio


def test_value_given_per_client_and_in_total(coop, client, quilted_clients):
    union, food, radio = quilted_clients
    report = client.get(f"{API}/subsidised-work?{PERIOD}")
    assert report.status_code == 200, report.get_json()
    body = report.get_json()
    assert body["full_rate"] == "150.00" and body["from"] == f"{YEAR}-01-01"
    rows = [(c["client_id"], c["hours"], c["full_value"], c["charged"], c["given"]) for c in body["clients"]]
    assert rows == [
        (radio, "0.42", "62.50", "14.58", "47.92"),  # 25 min at $35: 14.583... -> 14.58
        (food, "1.00", "150.00", "150.00", "0.00"),
        (union, "4.00", "600.00", "190.00", "410.00"),  # 2.5 h at $40 invoiced, 1.5 h at $60
    ]
    assert body["total"] == {
        "minutes": 325,
        "hours": "5.42",
        "full_value": "812.50",
        "charged": "354.58",
        "given": "457.92",
    }


def test_the_page_shows_the_same_figures(coop, client, quilted_clients):
    page = client.get(f"/c/quilted/subsidised-work?{PERIOD}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Subsidised work</h1>" in html and "Tenants&#39; union" in html
    assert "410.00" in html and "457.92" in html and "812.50" in html


@pytest.mark.parametrize(
    ("query", "field"), [("from=March", "from"), ("to=2026-13-01", "to"), (f"from={YEAR}-05-01&to={YEAR}-04-01", "to")]
)
def test_a_bad_period_is_refused(coop, client, query, field):
    response = client.get(f"{API}/subsidised-work?{query}")
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    page = client.get(f"/c/quilted/subsidised-work?{query}")
    assert page.status_code == 422 and "There is a problem" in page.get_data(as_text=True)


def test_only_officers_and_only_this_coop(coop, client, app, quilted_clients, make_tenant):
    colin = as_member(app, coop[2][0])
    assert colin.get(f"{API}/subsidised-work").status_code == 403
    assert colin.get("/c/quilted/subsidised-work").status_code == 403
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    for path in (f"{API}/subsidised-work?{PERIOD}", f"/c/quilted/subsidised-work?{PERIOD}"):
        response = other.get(path)
        assert response.status_code == 404 and "union" not in response.get_data(as_text=True)
    # Their own report knows nothing of Quilted's clients.
    assert other.get("/c/design-action/api/v1/subsidised-work").get_json()["clients"] == []
