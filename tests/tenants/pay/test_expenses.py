"""The co-op's expenses and a fiscal year's net surplus from the books: invoices paid in the year,
less the gross pay of final pay runs ending in it, less its expenses. A split without a surplus
uses that figure; a net of zero or less leaves nothing to split and writes nothing."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"


def expense(client, **body):
    defaults = {"spent_on": f"{YEAR}-03-15", "amount": "30.00", "description": "Office rent", "category": "rent"}
    return client.post(f"{API}/expenses", json={**defaults, **body})


def stored(engine, schema="t_quilted"):
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT spent_on, amount, description FROM {schema}.expenses ORDER BY id")).all()


@pytest.fixture
def books(coop, client, engine):
    """Quilted's year: Colin's 10 billable hours at the union's $40 (invoiced, paid in April: $400.00),
    paid at $25 in March's final run (gross $250.00), and $50.50 of expenses; the next year's
    payment, expense and run are not this year's."""
    _, _admin, (colin, _alex) = coop
    union = client.post(
        f"{API}/clients", json={"name": "Tenants' union", "hourly_rate": "40.00", "email": "books@union.example"}
    ).get_json()["id"]
    assert log(client, account_id=colin.id, client_id=union, minutes=600).status_code == 201
    invoice = client.post(
        f"{API}/invoices", json={"client_id": union, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    ).get_json()
    assert invoice["total"] == "400.00"
    with engine.begin() as conn:  # made last April, as the story has it (an invoice is issued today)
        conn.execute(text("UPDATE t_quilted.invoices SET issued_on = :day"), {"day": date(YEAR, 4, 1)})
    assert client.post(f"{API}/invoices/{invoice['id']}/send").status_code == 200
    assert client.post(f"{API}/invoices/{invoice['id']}/paid", json={"paid_on": f"{YEAR}-04-10"}).status_code == 200
    run = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"})
    assert client.post(f"{API}/pay-runs/{run.get_json()['id']}/finalise").get_json()["status"] == "final"
    assert expense(client).status_code == 201
    assert expense(client, amount="20.50", spent_on=f"{YEAR}-12-31", category="software").status_code == 201
    assert expense(client, amount="999.00", spent_on=f"{YEAR + 1}-01-01").status_code == 201
    client.put(f"{API}/surplus-policy", json={"reserve_share": "0.25", "cash_share": "0.20"})
    return union


def test_the_net_surplus_is_income_less_gross_pay_less_expenses(coop, client, app, books):
    net = client.get(f"{API}/surplus-allocations/net?fiscal_year={YEAR}")
    assert net.status_code == 200, net.get_json()
    assert net.get_json() == {
        "fiscal_year": YEAR,
        "income": "400.00",
        "pay": "250.00",
        "expenses": "50.50",
        "net": "99.50",
    }
    # Members read the figure; the next year has only its own expense.
    colin = as_member(app, coop[2][0])
    following = colin.get(f"{API}/surplus-allocations/net?fiscal_year={YEAR + 1}").get_json()
    assert (following["income"], following["pay"], following["expenses"], following["net"]) == (
        "0.00",
        "0.00",
        "999.00",
        "-999.00",
    )
    for bad in ("", "twenty", "26", "1800", f"{YEAR}.5"):
        refused = client.get(f"{API}/surplus-allocations/net?fiscal_year={bad}")
        assert refused.status_code == 422 and "fiscal_year" in refused.get_json()["error"]["fields"], bad
    # A fiscal year starting April 1: March's expense falls in the year before.
    client.put(f"{API}/surplus-policy", json={"reserve_share": "0.25", "fiscal_year_start": "04-01"})
    april = client.get(f"{API}/surplus-allocations/net?fiscal_year={YEAR}").get_json()
    assert (april["income"], april["pay"], april["expenses"]) == ("400.00", "0.00", "1019.50")


def test_a_split_without_a_surplus_uses_the_computed_net(coop, client, engine, books):
    made = client.post(f"{API}/surplus-allocations", json={"fiscal_year": YEAR})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["surplus"], body["reserve"]) == ("99.50", "24.87")
    assert sum(int(m["allocation"].replace(".", "")) for m in body["members"]) == 9950 - 2487
    # The year is settled: its expenses neither come nor go; the next year's still may.
    spent = [e["id"] for e in client.get(f"{API}/expenses?fiscal_year={YEAR}").get_json()["expenses"]]
    late = client.delete(f"{API}/expenses/{spent[0]}")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "year_split"
    assert expense(client, spent_on=f"{YEAR}-06-01").status_code == 409
    assert len(stored(engine)) == 3
    following = client.get(f"{API}/expenses?fiscal_year={YEAR + 1}").get_json()["expenses"]
    assert client.delete(f"{API}/expenses/{following[0]['id']}").status_code == 204
    assert len(stored(engine)) == 2


def test_a_net_of_zero_or_less_is_refused_and_nothing_is_written(coop, client, engine, books):
    assert expense(client, amount="99.50", spent_on=f"{YEAR}-06-30").status_code == 201  # net 0.00
    refused = client.post(f"{API}/surplus-allocations", json={"fiscal_year": YEAR, "surplus": None})
    assert refused.status_code == 422, refused.get_json()
    error = refused.get_json()["error"]
    assert error["code"] == "no_surplus" and "surplus" in error["fields"] and "nothing to split" in error["message"]
    assert expense(client, amount="0.01", spent_on=f"{YEAR}-07-01").status_code == 201  # net -0.01
    assert client.post(f"{API}/surplus-allocations", json={"fiscal_year": YEAR}).status_code == 422
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.surplus_allocations")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM t_quilted.capital_entries")).scalar() == 0
    # A surplus given is split as before, whatever the books say.
    given = client.post(f"{API}/surplus-allocations", json={"fiscal_year": YEAR, "surplus": "100000.01"})
    assert given.status_code == 201 and given.get_json()["surplus"] == "100000.01"


def test_expenses_are_listed_by_fiscal_year_with_their_total(coop, client, app, books):
    listed = client.get(f"{API}/expenses?fiscal_year={YEAR}").get_json()
    assert listed["fiscal_year"] == YEAR and listed["total"] == "50.50"
    assert [(e["spent_on"], e["amount"], e["category"]) for e in listed["expenses"]] == [
        (f"{YEAR}-12-31", "20.50", "software"),
        (f"{YEAR}-03-15", "30.00", "rent"),
    ]
    everything = as_member(app, coop[2][0]).get(f"{API}/expenses").get_json()
    assert everything["fiscal_year"] is None and everything["total"] == "1049.50"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"amount": 10.5}, "amount"),
        ({"amount": 0.1}, "amount"),
        ({"amount": "10.005"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": None}, "amount"),
        ({"spent_on": "2026-02-30"}, "spent_on"),
        ({"spent_on": "9999-12-31"}, "spent_on"),  # beyond the years the books cover
        ({"spent_on": "0001-01-01"}, "spent_on"),
        ({"spent_on": "20250302"}, "spent_on"),  # other ISO forms are not days we take
        ({"spent_on": "2025-W10-1"}, "spent_on"),
        ({"description": "  "}, "description"),
        ({"description": "x" * 501}, "description"),
        ({"category": "x" * 101}, "category"),
    ],
)
def test_a_bad_expense_is_refused_naming_the_field_and_writes_nothing(coop, client, engine, body, field):
    refused = expense(client, **body)
    assert refused.status_code == 422, refused.get_json()
    assert field in refused.get_json()["error"]["fields"]
    assert stored(engine) == []


def test_only_officers_record_and_remove_expenses(coop, client, app, engine):
    kept = expense(client).get_json()
    colin = as_member(app, coop[2][0])
    assert expense(colin, description="Mine").status_code == 403
    assert colin.delete(f"{API}/expenses/{kept['id']}").status_code == 403
    assert client.delete(f"{API}/expenses/999999").status_code == 404
    assert stored(engine) == [(date(YEAR, 3, 15), 3000, "Office rent")]
    assert client.delete(f"{API}/expenses/{kept['id']}").status_code == 204
    assert stored(engine) == []


def test_another_coops_user_cannot_read_or_write_this_coops_expenses(coop, client, app, engine, make_tenant):
    kept = expense(client).get_json()
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    for method, path, body in [
        ("GET", f"{API}/expenses", None),
        ("POST", f"{API}/expenses", {"spent_on": f"{YEAR}-03-01", "amount": "1.00", "description": "x"}),
        ("DELETE", f"{API}/expenses/{kept['id']}", None),
        ("GET", f"{API}/surplus-allocations/net?fiscal_year={YEAR}", None),
        ("GET", "/c/quilted/expenses", None),
    ]:
        response = other.open(path, method=method, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "Office rent" not in response.get_data(as_text=True)
    # Their own expenses are theirs alone, and removing theirs leaves this co-op's.
    theirs_api = "/c/design-action/api/v1/expenses"
    body = {"spent_on": f"{YEAR}-03-01", "amount": "12.00", "description": "Their rent"}
    theirs = other.post(theirs_api, json=body).get_json()
    assert [e["description"] for e in other.get(theirs_api).get_json()["expenses"]] == ["Their rent"]
    assert other.delete(f"{theirs_api}/{theirs['id']}").status_code == 204
    assert stored(engine) == [(date(YEAR, 3, 15), 3000, "Office rent")]


def test_only_paid_invoices_and_final_runs_ending_in_the_year_count(coop, client, books):
    _, _admin, (colin, _alex) = coop
    union = books
    (march,) = client.get(f"{API}/pay-runs").get_json()["pay_runs"]
    # April: time, a draft run and a sent invoice the client has not paid yet: none of it counts.
    assert log(client, account_id=colin.id, client_id=union, minutes=120, worked_on=f"{YEAR}-04-02").status_code == 201
    draft = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-04-01", "period_end": f"{YEAR}-04-30"})
    assert draft.status_code == 201 and draft.get_json()["status"] == "draft"
    unpaid = client.post(
        f"{API}/invoices", json={"client_id": union, "period_start": f"{YEAR}-04-01", "period_end": f"{YEAR}-04-30"}
    ).get_json()
    assert client.post(f"{API}/invoices/{unpaid['id']}/send").status_code == 200
    # A correction of March paid in May's final run counts in the year; January's run is the next year's.
    fixed = client.post(
        f"{API}/pay-adjustments",
        json={"account_id": colin.id, "corrects_run_id": march["id"], "amount": "10.00", "reason": "Missed hour"},
    )
    assert fixed.status_code == 201, fixed.get_json()
    may = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-05-01", "period_end": f"{YEAR}-05-31"})
    assert client.post(f"{API}/pay-runs/{may.get_json()['id']}/finalise").status_code == 200
    assert log(client, account_id=colin.id, minutes=60, worked_on=f"{YEAR + 1}-01-05").status_code == 201
    january = client.post(
        f"{API}/pay-runs", json={"period_start": f"{YEAR + 1}-01-01", "period_end": f"{YEAR + 1}-01-31"}
    )
    assert client.post(f"{API}/pay-runs/{january.get_json()['id']}/finalise").status_code == 200
    net = client.get(f"{API}/surplus-allocations/net?fiscal_year={YEAR}").get_json()
    assert (net["income"], net["pay"], net["expenses"], net["net"]) == ("400.00", "260.00", "50.50", "89.50")
    following = client.get(f"{API}/surplus-allocations/net?fiscal_year={YEAR + 1}").get_json()
    assert following["pay"] == "25.00"


def test_a_split_year_takes_no_client_payment_and_no_final_pay_run(coop, client, engine, books):
    _, _admin, (colin, _alex) = coop
    union = books
    assert log(client, account_id=colin.id, client_id=union, minutes=120, worked_on=f"{YEAR}-06-02").status_code == 201
    june = client.post(
        f"{API}/invoices", json={"client_id": union, "period_start": f"{YEAR}-06-01", "period_end": f"{YEAR}-06-30"}
    ).get_json()
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE t_quilted.invoices SET issued_on = :day WHERE id = :id"),
            {"day": date(YEAR, 7, 1), "id": june["id"]},
        )
    assert client.post(f"{API}/invoices/{june['id']}/send").status_code == 200
    run = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-06-01", "period_end": f"{YEAR}-06-30"})
    assert client.post(f"{API}/surplus-allocations", json={"fiscal_year": YEAR}).status_code == 201
    late_payment = client.post(f"{API}/invoices/{june['id']}/paid", json={"paid_on": f"{YEAR}-07-20"})
    assert late_payment.status_code == 409 and late_payment.get_json()["error"]["code"] == "year_split"
    late_run = client.post(f"{API}/pay-runs/{run.get_json()['id']}/finalise")
    assert late_run.status_code == 409 and late_run.get_json()["error"]["code"] == "year_split"
    # Paid in the next year, it is the next year's income.
    assert client.post(f"{API}/invoices/{june['id']}/paid", json={"paid_on": f"{YEAR + 1}-01-03"}).status_code == 200
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.pay_runs WHERE status = 'final'")).scalar() == 1


def test_a_surplus_of_zero_is_refused(coop, client, engine, books):
    for zero in ("0.00", "0", 0):
        refused = client.post(f"{API}/surplus-allocations", json={"fiscal_year": YEAR, "surplus": zero})
        assert refused.status_code == 422 and "surplus" in refused.get_json()["error"]["fields"], zero
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.surplus_allocations")).scalar() == 0
