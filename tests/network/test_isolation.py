"""Shared network records are seen only by the parties they name: every route tried
by a third party with real records, and each co-op's own data stays its own."""

import re

from tests.network.conftest import submit_request


def _platform_rules(app):
    names = ("network-invitations", "network-memberships", "offers", "referrals")
    return [
        r
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and r.arguments and any(f"/api/v1/{n}/" in r.rule for n in names)
    ]


def _state(client, act, tu):
    """An offer to Quilted (accepted, with billed hours), one to Ana still open, a pending invitation."""
    placed = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    client.put(f"/c/{tu.slug}/api/v1/network/settings", json={"overhead_per_hour": "5.00"})
    client.post(f"/c/{tu.slug}/api/v1/requests/{placed}/triage", json={})
    to_quilted = client.post(f"/c/{tu.slug}/api/v1/requests/{placed}/offers", json={"to": {"coop": "quilted"}})
    to_quilted = to_quilted.get_json()["id"]
    invitation = client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"email": "newcomer@example.org"})
    open_one = submit_request(client, tu.slug, organisation="Second client")
    act(tu.coordinator.email)
    client.post(f"/c/{tu.slug}/api/v1/requests/{open_one}/triage", json={})
    to_ana = client.post(f"/c/{tu.slug}/api/v1/requests/{open_one}/offers", json={"to": {"account_id": tu.ana.id}})
    act(tu.erik.email)
    assert client.post(f"/api/v1/offers/{to_quilted}/accept").status_code == 200
    billed = client.post(f"/api/v1/referrals/{placed}/billed-hours", json={"hours": "10", "worked_on": "2026-03-02"})
    assert billed.status_code == 201 and billed.get_json()["amount"] == "50.00"
    return {
        "invitation_id": invitation.get_json()["id"],
        "member_id": tu.ids["quilted"],
        "offer_id": to_quilted,
        "request_id": placed,
        "open_offer": to_ana.get_json()["id"],
    }


def test_every_party_route_answers_404_to_a_third_party(app, client, act, tu, make_tenant):
    records = _state(client, act, tu)
    _, stranger = make_tenant("inkworks", name="Inkworks")
    rules = _platform_rules(app)
    assert len(rules) >= 7
    # Design Action is in the network, but no party to these; Inkworks is not in it at all.
    for who in (tu.design_admin, stranger, tu.ben):
        act(who.email)
        for rule in rules:
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(records[m.group(1)]), rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method, json={} if method != "GET" else None)
                assert response.status_code == 404, (who.email, method, path, response.status_code)
                assert "rosa@tenants.example" not in response.get_data(as_text=True)
        assert client.get("/api/v1/offers").get_json()["offers"] == []
    # Nothing moved: Quilted's placement and hours stand, Ana's offer is open.
    act(tu.coordinator.email)
    shown = client.get(f"/c/{tu.slug}/api/v1/requests/{records['request_id']}").get_json()
    assert shown["status"] == "placed" and shown["placed_with"] == "Quilted"
    assert client.get(f"/c/{tu.slug}/api/v1/network/fees").get_json()["owed"] == "50.00"
    act(tu.ana.email)
    assert [o["status"] for o in client.get("/api/v1/offers").get_json()["offers"]] == ["open"]


def test_every_network_route_refuses_an_outsider(app, client, act, tu, make_tenant):
    records = _state(client, act, tu)
    _, stranger = make_tenant("inkworks", name="Inkworks")
    act(stranger.email)
    samples = {
        "request_id": records["request_id"],
        "member_id": tu.ids["ana"],
        "coordinator_id": 1,
        "fee_id": 1,
        "invitation_id": records["invitation_id"],
        "offer_id": records["offer_id"],
        "subcontract_id": 1,
        "hours_id": 1,
    }
    public = {"network_api.search_directory", "network_api.directory_entry", "network_api.submit_request"}
    public |= {"network.directory_page", "network.request_form"}
    public |= {"network_api.join", "network.join"}  # a mailed link's token decides: tried in test_invitations
    walked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("network.", "network_api.")) or rule.endpoint in public:
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(samples.get(m.group(1), tu.slug)), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, json={} if method not in ("GET", "DELETE") else None)
            assert response.status_code in (400, 404), (method, path, response.status_code)
            assert "rosa@tenants.example" not in response.get_data(as_text=True)
            walked += 1
    assert walked >= 30
    # The public directory shows published fields only, and the client's request to nobody.
    page = client.get(f"/c/{tu.slug}/api/v1/directory").get_json()
    assert {m["name"] for m in page["members"]} == {
        "Quilted",
        "Web Collective",
        "Design Action",
        "Ana Consultant",
        "Ben Consultant",
    }
    assert all("rates" not in m for m in page["members"])


def test_each_coops_own_data_stays_its_own_while_in_a_network(client, act, tu):
    # Quilted invites someone; fellow network members and the network's coordinator see nothing of it.
    act(tu.erik.email)
    assert client.post("/c/quilted/api/v1/invitations", json={"email": "michelle@quilted.example"}).status_code == 201
    for who in (tu.design_admin, tu.coordinator, tu.ana):
        act(who.email)
        for path in ("/c/quilted/api/v1/members", "/c/quilted/api/v1/invitations", "/c/quilted/network"):
            response = client.get(path)
            assert response.status_code == 404, (who.email, path)
            assert "michelle@quilted.example" not in response.get_data(as_text=True)
    # And the network's own space is not a co-op's: a member co-op's admin is no person of it.
    act(tu.design_admin.email)
    assert client.get(f"/c/{tu.slug}/api/v1/requests").status_code == 404


def test_a_coop_address_has_no_network_routes_and_a_network_no_subcontracts(client, act, tu):
    act(tu.erik.email)
    assert client.get("/c/quilted/api/v1/directory").status_code == 404
    assert client.post("/c/quilted/api/v1/requests", json={"organisation": "x"}).status_code == 404
    assert client.get("/c/quilted/api/v1/network/reports").status_code == 404
    act(tu.coordinator.email)
    assert client.get(f"/c/{tu.slug}/api/v1/subcontracts").status_code == 404
    client.delete("/api/v1/session")
    assert client.get("/c/nobody-here/api/v1/directory").status_code == 404
    assert client.post("/c/nobody-here/api/v1/requests", json={}).status_code == 404


def test_leaving_keeps_past_referrals_readable_to_their_parties(client, act, tu):
    records = _state(client, act, tu)
    act(tu.erik.email)
    left = client.post(f"/api/v1/network-memberships/{tu.ids['quilted']}/leave")
    assert left.status_code == 200 and left.get_json()["left_at"] is not None
    assert client.get(f"/api/v1/offers/{records['offer_id']}").get_json()["request"]["client"]["email"] == (
        "rosa@tenants.example"
    )
    act(tu.coordinator.email)
    page = client.get(f"/c/{tu.slug}/api/v1/directory").get_json()
    assert "Quilted" not in {m["name"] for m in page["members"]}
    assert client.get(f"/c/{tu.slug}/api/v1/requests/{records['request_id']}").get_json()["placed_with"] == "Quilted"
