"""Corrections after a pay run is finalised: recorded with who, when and why, paid in the next run."""

from datetime import date

import pytest

from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"


def run(client, start, end):
    made = client.post(f"{API}/pay-runs", json={"period_start": start, "period_end": end})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


@pytest.fixture
def march_final(coop, client):
    _, _, members = coop
    log(client, account_id=members[0].id, minutes=600, kind="internal")  # 10 hours at $25
    march = run(client, f"{YEAR}-03-01", f"{YEAR}-03-31")
    assert client.post(f"{API}/pay-runs/{march['id']}/finalise").status_code == 200
    return march


def test_a_correction_is_paid_in_the_next_run_and_the_final_run_never_changes(coop, client, march_final):
    admin, members = coop[1], coop[2]
    missed = client.post(
        f"{API}/pay-adjustments",
        json={
            "account_id": members[1].id,
            "corrects_run_id": march_final["id"],
            "amount": "50.00",
            "reason": "Two hours of March support were logged late.",
        },
    )
    assert missed.status_code == 201, missed.get_json()
    body = missed.get_json()
    assert body["recorded_by"] == admin.id and body["reason"].startswith("Two hours") and body["recorded_at"]
    taken_back = client.post(
        f"{API}/pay-adjustments",
        json={
            "account_id": members[0].id,
            "corrects_run_id": march_final["id"],
            "amount": "-25.00",
            "reason": "An hour was counted twice.",
        },
    )
    assert taken_back.status_code == 201

    log(client, account_id=members[0].id, minutes=120, worked_on=f"{YEAR}-04-02", kind="internal")
    april = run(client, f"{YEAR}-04-01", f"{YEAR}-04-30")
    lines = {line["account_id"]: line for line in april["lines"]}
    assert lines[members[0].id]["gross"] == "50.00" and lines[members[0].id]["adjustment"] == "-25.00"
    assert lines[members[0].id]["net"] == "25.00"
    # Alex logged nothing in April: a line for the correction alone.
    assert lines[members[1].id]["gross"] == "0.00" and lines[members[1].id]["net"] == "50.00"
    # Computing April again does not pay the corrections twice.
    again = run(client, f"{YEAR}-04-01", f"{YEAR}-04-30")
    assert sorted(line["adjustment"] for line in again["lines"]) == ["-25.00", "50.00"]
    listed = client.get(f"{API}/pay-adjustments").get_json()["adjustments"]
    assert {a["paid_in_run_id"] for a in listed} == {again["id"]}
    # March, final, is untouched.
    march = client.get(f"{API}/pay-runs/{march_final['id']}").get_json()
    assert march == {**march_final, "status": "final", "finalised_at": march["finalised_at"]}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"amount": 12.5}, 422, "amount"),
        ({"amount": "10.005"}, 422, "amount"),
        ({"amount": "0.00"}, 422, "amount"),
        ({"reason": "  "}, 422, "reason"),
        ({"account_id": 99999}, 422, "account_id"),
        ({"corrects_run_id": 99999}, 422, "corrects_run_id"),
    ],
)
def test_bad_adjustments_change_nothing(coop, client, march_final, change, status, field):
    members = coop[2]
    body = {"account_id": members[0].id, "corrects_run_id": march_final["id"], "amount": "5.00", "reason": "Late"}
    refused = client.post(f"{API}/pay-adjustments", json={**body, **change})
    assert refused.status_code == status and field in refused.get_json()["error"]["fields"]
    assert client.get(f"{API}/pay-adjustments").get_json()["adjustments"] == []


def test_only_finalised_runs_are_adjusted_and_only_by_officers(coop, client, app, march_final):
    members = coop[2]
    log(client, account_id=members[0].id, minutes=60, worked_on=f"{YEAR}-04-02")
    draft = run(client, f"{YEAR}-04-01", f"{YEAR}-04-30")
    body = {"account_id": members[0].id, "corrects_run_id": draft["id"], "amount": "5.00", "reason": "Late"}
    refused = client.post(f"{API}/pay-adjustments", json=body)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "run_not_final"
    colin = as_member(app, members[0])
    body["corrects_run_id"] = march_final["id"]
    assert colin.post(f"{API}/pay-adjustments", json=body).status_code == 403
    assert colin.get(f"{API}/pay-adjustments").status_code == 403


def test_the_adjustments_page(coop, client, march_final):
    from tests.conftest import csrf_token

    members = coop[2]
    token = csrf_token(client, "/c/quilted/pay-adjustments")
    form = {"csrf_token": token, "account_id": members[0].id, "corrects_run_id": march_final["id"], "reason": "Late"}
    bad = client.post("/c/quilted/pay-adjustments", data={**form, "amount": "ten"})
    assert bad.status_code == 422 and "1234.50" in bad.get_data(as_text=True)
    done = client.post("/c/quilted/pay-adjustments", data={**form, "amount": "12.50"})
    assert done.status_code == 302
    page = client.get("/c/quilted/pay-adjustments").get_data(as_text=True)
    assert "Colin Sagan" in page and "12.50" in page and "Late" in page
