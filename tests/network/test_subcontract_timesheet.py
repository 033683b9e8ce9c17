"""Subcontract hours taken from the subcontractor's own pay timesheet: Web Collective's
members log time for the client that stands for Quilted's subcontract; its admin publishes
it into the shared record, per person and day, only once; Quilted reads it there."""

import pytest

from tests.network.test_subcontracts import TERMS, offered


@pytest.fixture
def accepted(client, act, three):
    _, erik, _, web_admin, _, _, _ = three
    made = offered(client, act, erik, hour_cap=20)
    act(web_admin.email)
    assert client.post(f"/c/web-collective/api/v1/subcontracts/{made['id']}/accept").status_code == 200
    theirs = client.post(
        "/c/web-collective/api/v1/clients", json={"name": "Quilted (subcontract)", "hourly_rate": "95.00"}
    )
    other = client.post("/c/web-collective/api/v1/clients", json={"name": "Another client", "hourly_rate": "60.00"})
    assert theirs.status_code == other.status_code == 201
    return made["id"], theirs.get_json()["id"], other.get_json()["id"]


def log(client, account_id, worked_on, minutes, client_id):
    body = {"worked_on": worked_on, "minutes": minutes, "kind": "client", "billable": True, "client_id": client_id,
            "account_id": account_id}  # fmt: skip
    response = client.post("/c/web-collective/api/v1/time-entries", json=body)
    assert response.status_code == 201, response.get_json()


def test_the_timesheet_is_published_once_per_person_and_day(client, act, three, accepted):
    _, erik, _, web_admin, worker, _, _ = three
    subcontract, theirs, other = accepted
    act(web_admin.email)
    log(client, worker.id, "2026-02-02", 240, theirs)
    log(client, worker.id, "2026-02-02", 200, theirs)  # the same day: 7h20 in all
    log(client, web_admin.id, "2026-02-03", 90, theirs)
    log(client, worker.id, "2026-02-03", 300, other)  # another client's work: not this subcontract's
    log(client, worker.id, "2025-12-31", 60, theirs)  # before the subcontract started
    url = f"/c/web-collective/api/v1/subcontracts/{subcontract}/hours/from-timesheet"
    first = client.post(url, json={"client_id": theirs})
    assert first.status_code == 201, first.get_json()
    assert [(h["worked_on"], h["hours"]) for h in first.get_json()["hours"]] == [
        ("2026-02-02", "7.33"),
        ("2026-02-03", "1.50"),
    ]
    assert client.post(url, json={"client_id": theirs}).get_json() == {"hours": []}  # nothing new
    log(client, worker.id, "2026-02-02", 40, theirs)  # 8 hours that day now
    again = client.post(url, json={"client_id": theirs}).get_json()["hours"]
    assert [(h["worked_on"], h["hours"]) for h in again] == [("2026-02-02", "0.67")]
    # Quilted reads the hours in the shared record, never Web Collective's timesheet.
    act(erik.email)
    shown = client.get(f"/c/quilted/api/v1/subcontracts/{subcontract}").get_json()
    assert shown["hours_counted"] == "9.50"
    assert client.post(url.replace("web-collective", "quilted"), json={"client_id": theirs}).status_code == 403


def test_over_the_cap_publishes_nothing(client, act, three, accepted, engine):
    _, _, _, web_admin, worker, _, _ = three
    subcontract, theirs, _ = accepted
    act(web_admin.email)
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        log(client, worker.id, day, 8 * 60, theirs)  # 24 hours against a cap of 20
    refused = client.post(f"/c/web-collective/api/v1/subcontracts/{subcontract}/hours/from-timesheet",
                          json={"client_id": theirs})  # fmt: skip
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "over_cap"
    with engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT count(*) FROM subcontract_hours")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM t_web_collective.subcontract_time_entries")).scalar() == 0


@pytest.mark.parametrize("client_id", [None, "1", 1.0, True, 10**12])
def test_a_client_that_is_not_the_coops_own_is_refused(client, act, three, accepted, client_id):
    _, _, _, web_admin, _, _, _ = three
    subcontract, _, _ = accepted
    act(web_admin.email)
    refused = client.post(f"/c/web-collective/api/v1/subcontracts/{subcontract}/hours/from-timesheet",
                          json={"client_id": client_id})  # fmt: skip
    assert refused.status_code == 422 and "client_id" in refused.get_json()["error"]["fields"]


def test_a_plain_member_and_a_third_coop_cannot_publish(client, act, three, accepted):
    _, _, _, _, worker, _, design_admin = three
    subcontract, theirs, _ = accepted
    act(worker.email)
    url = f"/c/web-collective/api/v1/subcontracts/{subcontract}/hours/from-timesheet"
    assert client.post(url, json={"client_id": theirs}).status_code == 403
    act(design_admin.email)
    assert client.post(url, json={"client_id": theirs}).status_code == 404
    own = f"/c/design-action/api/v1/subcontracts/{subcontract}/hours/from-timesheet"
    assert client.post(own, json={"client_id": theirs}).status_code == 404


assert TERMS["starts_on"] == "2026-01-05"  # the dates above fall inside these terms


def test_the_subcontract_page_submits_the_timesheets_hours(client, act, three, accepted):
    from tests.conftest import csrf_token

    _, _, _, web_admin, worker, _, _ = three
    subcontract, theirs, _ = accepted
    act(web_admin.email)
    log(client, worker.id, "2026-04-06", 150, theirs)
    page = f"/c/web-collective/subcontracts/{subcontract}"
    shown = client.get(page).get_data(as_text=True)
    assert "Hours from our timesheet" in shown and "Quilted (subcontract)" in shown
    token = csrf_token(client, page)
    done = client.post(f"{page}/hours/from-timesheet", data={"csrf_token": token, "client_id": theirs})
    assert done.status_code == 302
    after = client.get(page).get_data(as_text=True)
    assert "The timesheet&#39;s new hours are submitted." in after and "2.50" in after
    act(worker.email)  # a plain member has no such form
    assert "Hours from our timesheet" not in client.get(page).get_data(as_text=True)
