"""Subcontracts between co-ops (Quilted to Web Collective): the lifecycle, hours published
from the subcontractor's own timesheet, and who can see them (nobody but the two)."""

import pytest

from tests.conftest import run_jobs

TERMS = {
    "to": "web-collective",
    "scope": "Theme work for the Tenants Union site",
    "client": "Tenants Union",
    "rate": "95.00",
    "hour_cap": 40,
    "starts_on": "2026-01-05",
    "ends_on": "2026-12-31",
}


def offered(client, act, erik, **changes):
    act(erik.email)
    response = client.post("/c/quilted/api/v1/subcontracts", json={**TERMS, **changes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_offer_accept_hours_approve_invoice_paid(app, client, act, three):
    _, erik, _, web_admin, worker, _, _ = three
    made = offered(client, act, erik)
    assert made["status"] == "offered" and made["rate"] == "95.00" and made["hour_cap"] == "40.00"
    act(web_admin.email)
    accepted = client.post(f"/c/web-collective/api/v1/subcontracts/{made['id']}/accept")
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    act(worker.email)
    logged = client.post(
        f"/c/web-collective/api/v1/subcontracts/{made['id']}/hours", json={"worked_on": "2026-02-02", "hours": "7.5"}
    )
    assert logged.status_code == 201, logged.get_json()
    hours_id = logged.get_json()["id"]
    second = client.post(
        f"/c/web-collective/api/v1/subcontracts/{made['id']}/hours", json={"worked_on": "2026-02-03", "hours": 2}
    ).get_json()["id"]
    # In Web Collective's own schema: its timesheet.
    sheet = client.get(f"/c/web-collective/api/v1/subcontracts/{made['id']}/timesheet").get_json()["entries"]
    assert [(e["hours"], e["status"]) for e in sheet] == [("7.50", "submitted"), ("2.00", "submitted")]

    act(erik.email)
    shown = client.get(f"/c/quilted/api/v1/subcontracts/{made['id']}").get_json()
    assert [(h["hours"], h["status"]) for h in shown["hours"]] == [("7.50", "submitted"), ("2.00", "submitted")]
    assert shown["hours_counted"] == "9.50"
    approve = client.post(f"/c/quilted/api/v1/subcontracts/{made['id']}/hours/{hours_id}/approve")
    assert approve.status_code == 200 and approve.get_json()["status"] == "approved"
    query = client.post(
        f"/c/quilted/api/v1/subcontracts/{made['id']}/hours/{second}/query", json={"note": "Which ticket?"}
    )
    assert query.status_code == 200 and query.get_json()["status"] == "queried"
    # Quilted cannot read Web Collective's own timesheet.
    assert client.get(f"/c/quilted/api/v1/subcontracts/{made['id']}/timesheet").status_code == 403
    run_jobs(app)  # Web Collective's timesheet follows, inside Web Collective

    act(web_admin.email)
    sheet = client.get(f"/c/web-collective/api/v1/subcontracts/{made['id']}/timesheet").get_json()["entries"]
    assert [e["status"] for e in sheet] == ["approved", "queried"]
    invoiced = client.post(f"/c/web-collective/api/v1/subcontracts/{made['id']}/invoice")
    assert invoiced.status_code == 200, invoiced.get_json()
    assert invoiced.get_json()["invoice"] == "712.50"  # 7.5 h at 95.00
    act(erik.email)
    paid = client.post(f"/c/quilted/api/v1/subcontracts/{made['id']}/paid")
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    assert [s["id"] for s in client.get("/c/quilted/api/v1/subcontracts").get_json()["subcontracts"]] == [made["id"]]


def test_visibility_matrix_across_three_coops(app, client, act, three):
    """Both parties read the subcontract and its hours; a third co-op's admin learns nothing, on every route."""
    _, erik, _, web_admin, worker, _, design_admin = three
    made = offered(client, act, erik)
    act(web_admin.email)
    client.post(f"/c/web-collective/api/v1/subcontracts/{made['id']}/accept")
    act(worker.email)
    hours_id = client.post(
        f"/c/web-collective/api/v1/subcontracts/{made['id']}/hours", json={"worked_on": "2026-02-02", "hours": "3"}
    ).get_json()["id"]
    sid = made["id"]
    for who, slug in ((erik, "quilted"), (web_admin, "web-collective"), (worker, "web-collective")):
        act(who.email)
        assert client.get(f"/c/{slug}/api/v1/subcontracts/{sid}").status_code == 200
        assert [s["id"] for s in client.get(f"/c/{slug}/api/v1/subcontracts").get_json()["subcontracts"]] == [sid]
    act(design_admin.email)
    assert client.get("/c/design-action/api/v1/subcontracts").get_json()["subcontracts"] == []
    routes = [
        ("GET", f"/c/design-action/api/v1/subcontracts/{sid}", None),
        ("GET", f"/c/design-action/api/v1/subcontracts/{sid}/timesheet", None),
        ("POST", f"/c/design-action/api/v1/subcontracts/{sid}/accept", None),
        ("POST", f"/c/design-action/api/v1/subcontracts/{sid}/decline", {"reason": "x"}),
        ("POST", f"/c/design-action/api/v1/subcontracts/{sid}/hours", {"worked_on": "2026-02-02", "hours": "1"}),
        ("POST", f"/c/design-action/api/v1/subcontracts/{sid}/hours/{hours_id}/approve", None),
        ("POST", f"/c/design-action/api/v1/subcontracts/{sid}/hours/{hours_id}/query", {"note": "?"}),
        ("POST", f"/c/design-action/api/v1/subcontracts/{sid}/invoice", None),
        ("POST", f"/c/design-action/api/v1/subcontracts/{sid}/paid", None),
    ]
    for method, path, body in routes:
        response = client.open(path, method=method, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "Tenants Union" not in response.get_data(as_text=True)
        # Through the parties' own addresses too: not a member there.
        other = client.open(path.replace("design-action", "quilted"), method=method, json=body)
        assert other.status_code == 404
    act(erik.email)
    shown = client.get(f"/c/quilted/api/v1/subcontracts/{sid}").get_json()
    assert shown["status"] == "accepted" and [h["status"] for h in shown["hours"]] == ["submitted"]


def test_hours_over_the_cap_are_refused_and_nothing_changes(client, act, three):
    _, erik, _, web_admin, worker, _, _ = three
    made = offered(client, act, erik, hour_cap=10)
    act(web_admin.email)
    client.post(f"/c/web-collective/api/v1/subcontracts/{made['id']}/accept")
    act(worker.email)
    path = f"/c/web-collective/api/v1/subcontracts/{made['id']}/hours"
    assert client.post(path, json={"worked_on": "2026-02-02", "hours": "8"}).status_code == 201
    over = client.post(path, json={"worked_on": "2026-02-03", "hours": "2.5"})
    assert over.status_code == 422
    assert over.get_json()["error"]["code"] == "over_cap"
    assert "2.00 of the 10.00" in over.get_json()["error"]["fields"]["hours"]
    shown = client.get(f"/c/web-collective/api/v1/subcontracts/{made['id']}").get_json()
    assert shown["hours_counted"] == "8.00" and len(shown["hours"]) == 1
    sheet = client.get(f"/c/web-collective/api/v1/subcontracts/{made['id']}/timesheet").get_json()["entries"]
    assert len(sheet) == 1
    assert client.post(path, json={"worked_on": "2026-02-03", "hours": "2"}).status_code == 201  # exactly the cap


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"rate": "-95.00"}, "rate"),
        ({"rate": "95.001"}, "rate"),
        ({"rate": None, "fixed_price": None}, "rate"),
        ({"fixed_price": "1000.00"}, "rate"),
        ({"hour_cap": 0}, "hour_cap"),
        ({"hour_cap": -5}, "hour_cap"),
        ({"to": "quilted"}, "to"),
        ({"to": "nobody-here"}, "to"),
        ({"ends_on": "2025-01-01"}, "ends_on"),
        ({"scope": "  "}, "scope"),
    ],
)
def test_bad_subcontract_terms_are_refused_and_nothing_is_stored(client, act, three, changes, field):
    _, erik, _, web_admin, _, _, _ = three
    act(erik.email)
    response = client.post("/c/quilted/api/v1/subcontracts", json={**TERMS, **changes})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert client.get("/c/quilted/api/v1/subcontracts").get_json()["subcontracts"] == []
    act(web_admin.email)
    assert client.get("/c/web-collective/api/v1/subcontracts").get_json()["subcontracts"] == []


def test_only_the_right_party_and_role_moves_a_subcontract(client, act, three):
    _, erik, _, web_admin, worker, _, _ = three
    made = offered(client, act, erik)
    sid = made["id"]
    # The contractor cannot accept its own offer; a plain member of B cannot either.
    assert client.post(f"/c/quilted/api/v1/subcontracts/{sid}/accept").status_code == 403
    act(worker.email)
    refused = client.post(f"/c/web-collective/api/v1/subcontracts/{sid}/accept")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "role_required"
    hours = client.post(
        f"/c/web-collective/api/v1/subcontracts/{sid}/hours", json={"worked_on": "2026-02-02", "hours": 1}
    )
    assert hours.status_code == 409  # not accepted yet
    act(web_admin.email)
    assert client.get(f"/c/web-collective/api/v1/subcontracts/{sid}").get_json()["status"] == "offered"
    declined = client.post(f"/c/web-collective/api/v1/subcontracts/{sid}/decline", json={"reason": "Booked up"})
    assert declined.get_json()["status"] == "declined"
    assert client.post(f"/c/web-collective/api/v1/subcontracts/{sid}/accept").status_code == 409


def test_a_subcontract_may_come_from_a_referral_placed_with_the_contractor(client, act, tu):
    from tests.network.conftest import submit_request

    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={})
    offer_id = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers", json={"to": {"coop": "quilted"}}
    ).get_json()["id"]
    act(tu.erik.email)
    # Not placed with Quilted yet: refused, nothing stored.
    early = client.post("/c/quilted/api/v1/subcontracts", json={**TERMS, "request_id": request_id})
    assert early.status_code == 422 and "request_id" in early.get_json()["error"]["fields"]
    client.post(f"/api/v1/offers/{offer_id}/accept")
    made = client.post("/c/quilted/api/v1/subcontracts", json={**TERMS, "request_id": request_id})
    assert made.status_code == 201 and made.get_json()["request_id"] == request_id
    act(tu.web_admin.email)
    # Web Collective cannot pass off a request placed with Quilted as its own.
    stolen = client.post(
        "/c/web-collective/api/v1/subcontracts", json={**TERMS, "to": "quilted", "request_id": request_id}
    )
    assert stolen.status_code == 422
    assert [s["id"] for s in client.get("/c/web-collective/api/v1/subcontracts").get_json()["subcontracts"]] == [
        made.get_json()["id"]
    ]


def test_the_subcontract_pages_follow_it_from_offer_to_approved_hours(client, act, three):
    from tests.conftest import csrf_token

    _, erik, _, web_admin, _, _, design_admin = three
    act(erik.email)
    token = csrf_token(client, "/c/quilted/subcontracts/new")
    form = {**TERMS, "csrf_token": token, "hour_cap": "40"}
    made = client.post("/c/quilted/subcontracts/new", data=form)
    assert made.status_code == 302
    path = made.headers["Location"]
    sid = int(path.rstrip("/").rsplit("/", 1)[1])
    bad = client.post("/c/quilted/subcontracts/new", data={**form, "rate": "-1"})
    assert bad.status_code == 422 and "cannot be negative" in bad.get_data(as_text=True)
    act(web_admin.email)
    token = csrf_token(client, f"/c/web-collective/subcontracts/{sid}")
    client.post(f"/c/web-collective/subcontracts/{sid}/accept", data={"csrf_token": token})
    client.post(
        f"/c/web-collective/subcontracts/{sid}/hours",
        data={"csrf_token": token, "worked_on": "2026-02-02", "hours": "6", "note": "templates"},
    )
    over = client.post(
        f"/c/web-collective/subcontracts/{sid}/hours",
        data={"csrf_token": token, "worked_on": "2026-02-03", "hours": "35"},
        follow_redirects=True,
    )
    assert "Give more than 0 and at most 24 hours" in over.get_data(as_text=True)
    act(erik.email)
    page = client.get(f"/c/quilted/subcontracts/{sid}").get_data(as_text=True)
    assert "templates" in page and "Approve" in page
    hours_id = client.get(f"/c/quilted/api/v1/subcontracts/{sid}").get_json()["hours"][0]["id"]
    token = csrf_token(client, f"/c/quilted/subcontracts/{sid}")
    client.post(f"/c/quilted/subcontracts/{sid}/hours/{hours_id}/approve", data={"csrf_token": token})
    assert client.get(f"/c/quilted/api/v1/subcontracts/{sid}").get_json()["hours_approved"] == "6.00"
    act(design_admin.email)
    assert client.get(f"/c/design-action/subcontracts/{sid}").status_code == 404
