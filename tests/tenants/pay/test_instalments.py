"""The cash part of each member's surplus allocation paid in dated instalments (Design Action
pays so to protect its cash flow): the schedule, officers recording payments, bad input and
another co-op, through the API and the split's page."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from coopnet.days import add_months
from coopnet.tenants.pay.instalments import schedule
from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"
TODAY = date.today().isoformat()
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@settings(deadline=None)
@given(
    cash=st.integers(min_value=0, max_value=10**12),
    count=st.integers(min_value=1, max_value=24),
    every=st.integers(min_value=1, max_value=12),
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
)
def test_a_schedule_sums_exactly_to_the_cash_with_no_empty_instalment(cash, count, every, first):
    parts = schedule(cash, count, first, every)
    assert sum(amount for _, _, amount in parts) == cash
    assert all(amount > 0 for _, _, amount in parts)
    assert len(parts) == (min(count, cash) if cash else 0)
    assert max((a for *_, a in parts), default=0) - min((a for *_, a in parts), default=0) <= 1
    days = [due for _, due, _ in parts]
    assert days == sorted(days) and (not days or days[0] == first)


def test_design_actions_three_instalments_two_months_apart():
    assert schedule(350_002, 3, date(2027, 1, 31), 2) == [
        (1, date(2027, 1, 31), 116_668),
        (2, date(2027, 3, 31), 116_667),
        (3, date(2027, 5, 31), 116_667),
    ]
    assert schedule(100, 1, date(2027, 1, 31), 1) == [(1, date(2027, 1, 31), 100)]
    assert schedule(2, 3, date(2027, 1, 31), 1) == [(1, date(2027, 1, 31), 1), (2, date(2027, 2, 28), 1)]


@pytest.fixture
def split(coop, client):
    """Quilted's last year split today: 20% cash in three instalments two months apart."""
    _, admin, members = coop
    for who, minutes in ((admin, 600), (members[0], 300), (members[1], 300)):
        assert log(client, account_id=who.id, minutes=minutes).status_code == 201
    policy = {"reserve_share": "0.25", "cash_share": "0.20", "cash_instalments": 3, "instalment_months": 2}
    assert client.put(f"{API}/surplus-policy", json=policy).status_code == 200
    made = client.post(f"{API}/surplus-allocations", json={"fiscal_year": YEAR, "surplus": "100000.01"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_each_members_cash_is_scheduled_after_the_year_ends(coop, client, split):
    _, _, members = coop
    # The year ended before today, so the first falls due today (the day of the split).
    due_days = [add_months(date.today(), months) for months in (0, 2, 4)]
    assert client.get(f"{API}/surplus-policy").get_json()["instalment_months"] == 2
    listed = client.get(f"{API}/surplus-allocations/{split['id']}/instalments").get_json()["instalments"]
    cash = {m["account_id"]: m["cash"] for m in split["members"]}
    assert cash[members[0].id] == "3750.00"
    for account_id, expected in cash.items():
        mine = [i for i in listed if i["account_id"] == account_id]
        assert [i["number"] for i in mine] == [1, 2, 3]
        assert [i["due_on"] for i in mine] == [d.isoformat() for d in due_days]
        assert sum(int(i["amount"].replace(".", "")) for i in mine) == int(expected.replace(".", ""))
    colins = [i["amount"] for i in listed if i["account_id"] == members[0].id]
    assert colins == ["1250.00", "1250.00", "1250.00"]
    assert {i["status"] for i in listed} == {"due"}
    assert all(i["paid_on"] is None for i in listed)


def test_officers_record_instalments_paid_and_members_cannot(coop, client, app, split, engine):
    _, _, members = coop
    listed = client.get(f"{API}/surplus-allocations/{split['id']}/instalments").get_json()["instalments"]
    first = next(i for i in listed if i["account_id"] == members[0].id and i["number"] == 1)
    url = f"{API}/surplus-allocations/{split['id']}/instalments/{first['id']}/payment"
    colin = as_member(app, members[0])
    assert colin.get(f"{API}/surplus-allocations/{split['id']}/instalments").status_code == 200
    assert colin.put(url, json={"paid_on": TODAY}).status_code == 403
    assert colin.get(f"{API}/surplus-instalments").status_code == 403
    paid = client.put(url, json={"paid_on": TODAY})
    assert paid.status_code == 200, paid.get_json()
    assert (paid.get_json()["status"], paid.get_json()["paid_on"]) == ("paid", TODAY)
    again = client.put(url, json={"paid_on": TODAY})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_paid"
    paid_list = client.get(f"{API}/surplus-instalments?status=paid").get_json()["instalments"]
    assert [i["id"] for i in paid_list] == [first["id"]]
    due = client.get(f"{API}/surplus-instalments?status=due").get_json()["instalments"]
    assert len(due) == len(listed) - 1
    assert client.get(f"{API}/surplus-instalments?status=overdue").get_json()["instalments"] == []
    assert colin.delete(url).status_code == 403
    undone = client.delete(url)
    assert undone.status_code == 200 and undone.get_json()["paid_on"] is None
    assert client.delete(url).get_json()["error"]["code"] == "not_paid"
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM t_quilted.surplus_instalments WHERE paid_on IS NOT NULL")).scalar()
            == 0
        )


@pytest.mark.parametrize(
    ("paid_on", "why"),
    [
        ((date.today() + timedelta(days=1)).isoformat(), "future"),
        ((date.today() - timedelta(days=1)).isoformat(), "before the split"),
        ("yesterday", "not a date"),
        ("", "empty"),
    ],
)
def test_a_bad_payment_day_is_refused_and_changes_nothing(coop, client, split, engine, paid_on, why):
    listed = client.get(f"{API}/surplus-allocations/{split['id']}/instalments").get_json()["instalments"]
    url = f"{API}/surplus-allocations/{split['id']}/instalments/{listed[0]['id']}/payment"
    response = client.put(url, json={"paid_on": paid_on})
    assert response.status_code == 422, why
    assert "paid_on" in response.get_json()["error"]["fields"]
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM t_quilted.surplus_instalments WHERE paid_on IS NOT NULL")).scalar()
            == 0
        )


def test_bad_schedules_and_filters(coop, client, split):
    for every in (0, 13, "2", True):
        response = client.put(f"{API}/surplus-policy", json={"reserve_share": "0.25", "instalment_months": every})
        assert response.status_code == 422 and "instalment_months" in response.get_json()["error"]["fields"]
    assert client.get(f"{API}/surplus-policy").get_json()["instalment_months"] == 2
    assert client.get(f"{API}/surplus-instalments?status=late").status_code == 422
    assert client.get(f"{API}/surplus-allocations/999999/instalments").status_code == 404
    missing = client.put(
        f"{API}/surplus-allocations/{split['id']}/instalments/999999/payment", json={"paid_on": "2026-01-01"}
    )
    assert missing.status_code == 404


def test_another_coop_cannot_see_or_pay_our_instalments(coop, client, app, split, make_tenant, engine):
    listed = client.get(f"{API}/surplus-allocations/{split['id']}/instalments").get_json()["instalments"]
    _, stranger_admin = make_tenant("design-action")
    stranger = as_member(app, stranger_admin)
    url = f"{API}/surplus-allocations/{split['id']}/instalments"
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{API}/surplus-instalments").status_code == 404
    assert stranger.put(f"{url}/{listed[0]['id']}/payment", json={"paid_on": TODAY}).status_code == 404
    # Their own co-op has no split, so our ids name nothing there either.
    theirs = f"/c/design-action/api/v1/surplus-allocations/{split['id']}/instalments"
    assert stranger.get(theirs).status_code == 404
    assert stranger.put(f"{theirs}/{listed[0]['id']}/payment", json={"paid_on": TODAY}).status_code == 404
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM t_quilted.surplus_instalments WHERE paid_on IS NOT NULL")).scalar()
            == 0
        )


def test_the_splits_page_records_a_payment(coop, client, app, split):
    _, _, members = coop
    page = client.get(f"/c/quilted/surplus/{split['id']}").get_data(as_text=True)
    assert "Cash instalments" in page and page.count("Record paid") == 3 * len(split["members"])
    listed = client.get(f"{API}/surplus-allocations/{split['id']}/instalments").get_json()["instalments"]
    target = listed[0]
    action = f"/c/quilted/surplus/{split['id']}/instalments/{target['id']}/paid"
    token = csrf_token(client, f"/c/quilted/surplus/{split['id']}")
    bad = client.post(action, data={"csrf_token": token, "paid_on": YESTERDAY}, follow_redirects=True)
    assert "Not before the split was made" in bad.get_data(as_text=True)
    done = client.post(action, data={"csrf_token": token, "paid_on": TODAY}, follow_redirects=True)
    assert "The instalment is recorded paid." in done.get_data(as_text=True)
    assert done.get_data(as_text=True).count("Record paid") == 3 * len(split["members"]) - 1
    colin = as_member(app, members[0])
    assert "Record paid" not in colin.get(f"/c/quilted/surplus/{split['id']}").get_data(as_text=True)
    own_token = csrf_token(colin, f"/c/quilted/surplus/{split['id']}")
    assert colin.post(action, data={"csrf_token": own_token, "paid_on": TODAY}).status_code == 403
    notice = colin.get(f"{API}/surplus-allocations/{split['id']}/notices/{members[0].id}")
    assert notice.status_code == 200 and notice.data.startswith(b"%PDF")


def test_an_instalment_past_its_day_is_overdue_until_paid(coop, client, split, engine):
    listed = client.get(f"{API}/surplus-allocations/{split['id']}/instalments").get_json()["instalments"]
    late = listed[0]
    with engine.begin() as conn:  # its day came and went
        conn.execute(
            text("UPDATE t_quilted.surplus_instalments SET due_on = :day WHERE id = :id"),
            {"day": date.today() - timedelta(days=3), "id": late["id"]},
        )
    overdue = client.get(f"{API}/surplus-instalments?status=overdue").get_json()["instalments"]
    assert [(i["id"], i["status"]) for i in overdue] == [(late["id"], "overdue")]
    due = client.get(f"{API}/surplus-instalments?status=due").get_json()["instalments"]
    assert late["id"] not in [i["id"] for i in due] and len(due) == len(listed) - 1
    page = client.get(f"/c/quilted/surplus/{split['id']}").get_data(as_text=True)
    assert "<strong>overdue</strong>" in page
    url = f"{API}/surplus-allocations/{split['id']}/instalments/{late['id']}/payment"
    assert client.put(url, json={"paid_on": TODAY}).get_json()["status"] == "paid"
    assert client.get(f"{API}/surplus-instalments?status=overdue").get_json()["instalments"] == []


def test_the_page_form_for_a_split_that_is_not_there_is_a_404(coop, client, split):
    listed = client.get(f"{API}/surplus-allocations/{split['id']}/instalments").get_json()["instalments"]
    token = csrf_token(client, f"/c/quilted/surplus/{split['id']}")
    missing = client.post(
        f"/c/quilted/surplus/999999/instalments/{listed[0]['id']}/paid", data={"csrf_token": token, "paid_on": TODAY}
    )
    assert missing.status_code == 404
