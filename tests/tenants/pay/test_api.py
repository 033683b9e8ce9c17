"""Pay through the JSON API: time, pay runs and locks, the surplus split, capital accounts, bad input."""

from datetime import date

import pytest
from sqlalchemy import text

YEAR = date.today().year - 1


def as_member(app, account):
    other = app.test_client()
    other.post("/api/v1/session", json={"email": account.email, "password": "correct horse battery"})
    return other


def log(client, **body):
    defaults = {
        "worked_on": f"{YEAR}-03-02",
        "minutes": 150,
        "kind": "client",
        "billable": True,
        "client_id": None,
        "note": "",
    }
    return client.post("/c/quilted/api/v1/time-entries", json={**defaults, **body})


def test_time_for_someone_else_only_by_officers(coop, client, app):
    _, admin, members = coop
    colin = as_member(app, members[0])
    assert log(colin).status_code == 201
    refused = log(colin, account_id=members[1].id)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "officer_required"
    assert log(client, account_id=members[1].id).status_code == 201  # the admin may
    entry = log(client, account_id=members[1].id, minutes=30).get_json()
    assert entry["entered_by"] == admin.id and entry["account_id"] == members[1].id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": -30}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"minutes": 1.5}, "minutes"),
        ({"worked_on": "last tuesday"}, "worked_on"),
        ({"kind": "astrology"}, "kind"),
        ({"client_id": 1}, "client_id"),
    ],
)
def test_bad_time_is_refused_and_nothing_is_logged(coop, client, body, field):
    response = log(client, **body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert (
        client.get(f"/c/quilted/api/v1/time-entries?from={YEAR}-01-01&to={YEAR}-12-31").get_json()["total_minutes"] == 0
    )


def test_more_than_24_hours_in_a_day_is_refused(coop, client):
    assert log(client, minutes=1200).status_code == 201
    assert log(client, minutes=300).status_code == 422


def test_a_client_of_another_coop_is_not_ours(coop, client, make_tenant, app):
    _, other_admin = make_tenant("design-action")
    other = as_member(app, other_admin)
    their_client = other.post("/c/design-action/api/v1/clients", json={"name": "Their client", "hourly_rate": "90.00"})
    assert their_client.status_code == 201
    response = log(client, client_id=their_client.get_json()["id"])
    assert response.status_code == 422 and "client_id" in response.get_json()["error"]["fields"]


def test_quilted_pay_run_at_25_and_15_then_the_period_locks(coop, client, app, engine):
    _, _, members = coop
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO t_quilted.member_records (account_id, status, since, class, entrance_fee_owed, "
                "entrance_fee_deferred) VALUES (:a, 'member', '2020-01-01', 'trainee', 0, false)"
            ),
            {"a": members[1].id},
        )
    assert client.post("/c/quilted/api/v1/work-kinds", json={"key": "web development"}).status_code == 201
    assert log(client, account_id=members[0].id, minutes=600, kind="internal").status_code == 201  # 10 hours at $25
    assert log(client, account_id=members[1].id, minutes=480).status_code == 201  # 8 hours as a trainee at $15
    client.post(
        "/c/quilted/api/v1/pay-policies",
        json={
            "effective_from": f"{YEAR}-03-15",
            "rates": {"member": "30.00", "trainee": "15.00"},
            "kind_multipliers": {"web development": "2"},
        },
    )
    web = log(client, account_id=members[0].id, minutes=60, worked_on=f"{YEAR}-03-20", kind="web development")
    assert web.status_code == 201  # twice the $30 rate in force from March 15: $60
    run = client.post(
        "/c/quilted/api/v1/pay-runs", json={"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    )
    assert run.status_code == 201, run.get_json()
    lines = {line["account_id"]: line for line in run.get_json()["lines"]}
    assert lines[members[0].id]["gross"] == "310.00" and lines[members[0].id]["minutes"] == 660
    assert lines[members[1].id]["gross"] == "120.00"
    run_id = run.get_json()["id"]
    csv = client.get(f"/c/quilted/api/v1/pay-runs/{run_id}/export.csv").get_data(as_text=True)
    assert "Colin Sagan,11.00,310.00" in csv
    assert client.post(f"/c/quilted/api/v1/pay-runs/{run_id}/finalise").get_json()["status"] == "final"
    locked = log(client, worked_on=f"{YEAR}-03-10")
    assert locked.status_code == 409 and locked.get_json()["error"]["code"] == "period_locked"
    again = client.post(
        "/c/quilted/api/v1/pay-runs", json={"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    )
    assert again.status_code == 409
    assert client.post(f"/c/quilted/api/v1/pay-runs/{run_id}/finalise").status_code == 409
    colin = as_member(app, members[0])
    assert colin.get(f"/c/quilted/api/v1/pay-runs/{run_id}").status_code == 403
    # The list: state and totals for every member, each member's line for officers only.
    listed = colin.get("/c/quilted/api/v1/pay-runs").get_json()["pay_runs"]
    assert listed == [
        {
            "id": run_id,
            "period_start": f"{YEAR}-03-01",
            "period_end": f"{YEAR}-03-31",
            "status": "final",
            "finalised_at": listed[0]["finalised_at"],
            "members": 2,
            "minutes": 1140,
            "gross": "430.00",
            "net": "430.00",
        }
    ]


def test_two_policy_versions_on_one_day_are_refused(coop, client):
    again = client.post(
        "/c/quilted/api/v1/pay-policies", json={"effective_from": f"{YEAR}-01-01", "rates": {"member": "26.00"}}
    )
    assert again.status_code == 409
    assert len(client.get("/c/quilted/api/v1/pay-policies").get_json()["versions"]) == 1


def test_the_surplus_split_and_capital_accounts(coop, client, app):
    _, admin, members = coop
    for who, minutes in ((admin, 600), (members[0], 300), (members[1], 300)):
        assert log(client, account_id=who.id, minutes=minutes).status_code == 201
    policy = client.put(
        "/c/quilted/api/v1/surplus-policy",
        json={
            "reserve_share": "0.25",
            "funds": [{"name": "Subsidised projects", "share": "0.05"}],
            "basis": "hours",
            "cash_share": "0.20",
        },
    )
    assert policy.status_code == 200, policy.get_json()
    assert client.get("/c/quilted/api/v1/surplus-policy").get_json()["funds"] == [
        {"name": "Subsidised projects", "share": "0.05"}
    ]
    made = client.post("/c/quilted/api/v1/surplus-allocations", json={"fiscal_year": YEAR, "surplus": "100000.01"})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["surplus"], body["reserve"], body["funds"]) == (
        "100000.01",
        "25000.00",
        [{"name": "Subsidised projects", "amount": "5000.00"}],
    )
    shares = {m["account_id"]: m for m in body["members"]}
    assert shares[admin.id]["allocation"] == "35000.01" and shares[admin.id]["hours"] == "10.00"
    assert shares[members[0].id]["allocation"] == "17500.00"
    assert shares[members[0].id]["cash"] == "3500.00" and shares[members[0].id]["retained"] == "14000.00"
    total = sum(int(m["allocation"].replace(".", "")) for m in body["members"]) + 2_500_000 + 500_000
    assert total == 10_000_001
    again = client.post("/c/quilted/api/v1/surplus-allocations", json={"fiscal_year": YEAR, "surplus": "1.00"})
    assert again.status_code == 409
    assert client.get("/c/quilted/api/v1/surplus-allocations").get_json()["allocations"] == [body]
    colin = as_member(app, members[0])
    statement = colin.get(f"/c/quilted/api/v1/capital-accounts/{members[0].id}").get_json()
    assert statement["balance"] == "14000.00" and statement["entries"][0]["kind"] == "allocation"
    assert colin.get(f"/c/quilted/api/v1/capital-accounts/{admin.id}").status_code == 403
    assert client.get(f"/c/quilted/api/v1/capital-accounts/{members[0].id}").status_code == 200
    payout = client.post(
        f"/c/quilted/api/v1/capital-accounts/{members[0].id}/entries",
        json={"kind": "redemption", "amount": "4000.00", "entry_on": f"{YEAR + 1}-01-15"},
    )
    assert payout.status_code == 201
    assert colin.get(f"/c/quilted/api/v1/capital-accounts/{members[0].id}").get_json()["balance"] == "10000.00"
    # Officers see every member's account and the reserve; the figures sum to what the ledger holds.
    overview = client.get("/c/quilted/capital/members")
    assert overview.status_code == 200
    page = overview.get_data(as_text=True)
    retained = {m["account_id"]: int(m["retained"].replace(".", "")) for m in body["members"]}
    expected_total = sum(retained.values()) - 400_000 + 2_500_000
    assert f"{expected_total / 100:,.2f}" in page  # the total row: members' balances and the reserve
    assert "25,000.00" in page and "10,000.00" in page  # the reserve, and Colin after his redemption
    assert page.count("<rect") == 2 * len(body["members"])  # hours and allocation, a bar each a member
    assert colin.get("/c/quilted/capital/members").status_code == 403
    # Each member's written notice of allocation: their own, or anyone's for officers.
    notice = f"/c/quilted/api/v1/surplus-allocations/{body['id']}/notices"
    own = colin.get(f"{notice}/{members[0].id}")
    assert own.status_code == 200 and own.data.startswith(b"%PDF") and own.mimetype == "application/pdf"
    assert colin.get(f"{notice}/{admin.id}").status_code == 403
    assert client.get(f"{notice}/{members[0].id}").data.startswith(b"%PDF")
    assert client.get(f"{notice}/999999").status_code == 404
    shown = colin.get(f"/c/quilted/surplus/{body['id']}").get_data(as_text=True)
    assert shown.count("notice (PDF)") == 1  # Colin's own line only
    assert "/capital/members" in client.get("/c/quilted/capital").get_data(as_text=True)
    assert "/capital/members" not in colin.get("/c/quilted/capital").get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reserve_share": "0.80", "funds": [{"name": "Reinvestment", "share": "0.30"}]}, "reserve_share"),
        ({"reserve_share": 0.25}, "reserve_share"),
        ({"reserve_share": "1.5"}, "reserve_share"),
        ({"reserve_share": "0.25", "basis": "vibes"}, "basis"),
        ({"reserve_share": "0.25", "fiscal_year_start": "02-29"}, "fiscal_year_start"),  # no year starts there
    ],
)
def test_bad_surplus_policies_change_nothing(coop, client, body, field):
    response = client.put("/c/quilted/api/v1/surplus-policy", json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert client.get("/c/quilted/api/v1/surplus-policy").status_code == 404


@pytest.mark.parametrize(("surplus", "status"), [(0.1, 422), ("10.005", 422), ("-5.00", 422), ("lots", 422)])
def test_bad_surplus_amounts(coop, client, surplus, status):
    log(client, minutes=60)
    client.put("/c/quilted/api/v1/surplus-policy", json={"reserve_share": "0.25"})
    response = client.post("/c/quilted/api/v1/surplus-allocations", json={"fiscal_year": YEAR, "surplus": surplus})
    assert response.status_code == status and "surplus" in response.get_json()["error"]["fields"]


def test_a_year_with_no_hours_cannot_be_split(coop, client):
    client.put("/c/quilted/api/v1/surplus-policy", json={"reserve_share": "0.25"})
    response = client.post("/c/quilted/api/v1/surplus-allocations", json={"fiscal_year": YEAR - 5, "surplus": "100.00"})
    assert response.status_code == 422 and "fiscal_year" in response.get_json()["error"]["fields"]


def test_the_timesheet_and_capital_pages(coop, client):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/c/quilted/time")
    logged = client.post(
        "/c/quilted/time",
        data={
            "csrf_token": token,
            "worked_on": date.today().isoformat(),
            "minutes": "90",
            "kind": "internal",
            "note": "Bookkeeping",
        },
    )
    assert logged.status_code == 302
    page = client.get("/c/quilted/time").get_data(as_text=True)
    assert "Bookkeeping" in page and "1.50" in page
    bad = client.post(
        "/c/quilted/time",
        data={"csrf_token": token, "worked_on": date.today().isoformat(), "minutes": "0", "kind": "internal"},
    )
    assert bad.status_code == 422
    assert "Your capital account" in client.get("/c/quilted/capital").get_data(as_text=True)


def test_reading_the_kinds_of_work_writes_nothing(coop, client, engine):
    listed = client.get("/c/quilted/api/v1/work-kinds")
    assert [k["key"] for k in listed.get_json()["kinds"]] == ["client", "internal"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.work_kinds")).scalar() == 0
    assert log(client, kind="internal").status_code == 201  # logging time stores them
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.work_kinds")).scalar() == 2
