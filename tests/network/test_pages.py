"""The network's pages beside its JSON: coordinators' members, invitations, roles, fees,
settings and reports; a member's listing, leaving and billed hours; asking a client and
closing a request. Bad input shows its reason and changes nothing; a party not named
on a record gets a 404."""

from tests.conftest import csrf_token
from tests.network.conftest import submit_request


def _post(client, page, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_coordinators_invite_and_give_roles_from_the_members_page(client, act, tu):
    act(tu.coordinator.email)
    page = f"/c/{tu.slug}/network/members"
    shown = client.get(page).get_data(as_text=True)
    assert "Quilted" in shown and "Ana Consultant" in shown and "Consultant-group coordinator" in shown
    # Both a co-op and an email, or a network as a co-op: the reason on the page, nothing sent.
    both = _post(client, page, page, coop="quilted", email="a@b.org")
    assert both.status_code == 422 and "Give a co-op&#39;s address or an email, not both." in both.get_data(
        as_text=True
    )
    network = _post(client, page, page, coop=tu.slug)
    assert network.status_code == 422 and "No co-op called" in network.get_data(as_text=True)
    assert client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"][-1]["email"] == (
        "ben@consultants.example"
    )
    assert _post(client, page, page, email="gil@consultants.example").status_code == 302
    assert "gil@consultants.example" in client.get(page).get_data(as_text=True)
    given = _post(
        client, page, f"/c/{tu.slug}/network/coordinators", account_id=str(tu.grouper.id), role="records_keeper"
    )
    assert given.status_code == 302
    roles = client.get(f"/c/{tu.slug}/api/v1/network/coordinators").get_json()["coordinators"]
    assert sorted(c["role"] for c in roles) == ["consultant_group", "records_keeper"]
    # The consultant-group coordinator is no admin: giving roles is refused, nothing changes.
    act(tu.grouper.email)
    refused = _post(client, page, f"/c/{tu.slug}/network/coordinators", account_id=str(tu.grouper.id), role="community")
    assert refused.status_code == 403
    assert len(client.get(f"/c/{tu.slug}/api/v1/network/coordinators").get_json()["coordinators"]) == 2


def test_the_fee_page_settles_and_the_settings_refuse_bad_values(client, act, tu):
    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    fees = f"/c/{tu.slug}/network/fees"
    bad = _post(client, fees, f"/c/{tu.slug}/network/settings", overhead_per_hour="-2", currency="US", offer_hours="0")
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "cannot be negative" in body and "three-letter" in body
    assert client.get(f"/c/{tu.slug}/api/v1/network/settings").get_json()["overhead_per_hour"] == "0.00"
    saved = _post(
        client, fees, f"/c/{tu.slug}/network/settings", overhead_per_hour="5.00", currency="USD", offer_hours="48"
    )
    assert saved.status_code == 302
    client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={})
    offer_id = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers", json={"to": {"coop": "quilted"}}
    ).get_json()["id"]
    act(tu.erik.email)
    client.post(f"/api/v1/offers/{offer_id}/accept")
    # Quilted reports billed hours from its Network page; bad hours change nothing.
    home = "/c/quilted/network"
    assert "Report hours to the network" in client.get(home).get_data(as_text=True)
    url = f"/c/quilted/network/referrals/{request_id}/billed-hours"
    assert _post(client, home, url, worked_on="2026-03-02", hours="-3").status_code == 302
    assert _post(client, home, url, worked_on="2026-03-02", hours="8").status_code == 302
    act(tu.coordinator.email)
    ledger = client.get(f"/c/{tu.slug}/api/v1/network/fees").get_json()
    assert [f["hours"] for f in ledger["fees"]] == ["8.00"] and ledger["owed"] == "40.00"
    page = client.get(fees).get_data(as_text=True)
    assert "Quilted" in page and "40.00" in page
    settled = _post(client, fees, f"/c/{tu.slug}/network/fees/{ledger['fees'][0]['id']}/settle")
    assert settled.status_code == 302
    assert client.get(f"/c/{tu.slug}/api/v1/network/fees").get_json()["settled"] == "40.00"
    # The fee pages are the coordinators': a consultant of the network gets a 403.
    act(tu.ana.email)
    assert client.get(fees).status_code == 403
    assert client.get(f"/c/{tu.slug}/network/reports").status_code == 403


def test_reports_draw_requests_a_month(client, act, tu):
    submit_request(client, tu.slug)
    submit_request(client, tu.slug, organisation="Food co-op")
    act(tu.coordinator.email)
    page = client.get(f"/c/{tu.slug}/network/reports").get_data(as_text=True)
    assert '<svg role="img" aria-label="Client requests a month"' in page
    assert "<title>" in page and ": 2</title>" in page


def test_a_coop_edits_its_listing_and_nobody_else_can(client, act, tu):
    member_id = tu.ids["quilted"]
    page = f"/c/quilted/network/listing/{member_id}"
    act(tu.erik.email)
    assert "Websites for movements" in client.get(page).get_data(as_text=True)
    bad = _post(client, page, page, skills=["drupal"], time_zone="Mars/Olympus", public_fields=["skills"])
    assert bad.status_code == 422 and "time zone name" in bad.get_data(as_text=True)
    assert client.get(f"/api/v1/network-memberships/{member_id}/listing").get_json()["time_zone"] == ""
    good = _post(client, page, page, skills=["drupal", "php"], region="Seattle", public_fields=["skills", "region"])
    assert good.status_code == 302
    assert client.get(f"/api/v1/network-memberships/{member_id}/listing").get_json()["skills"] == ["drupal", "php"]
    # A plain member of Quilted sees it but may not change it.
    act(tu.colin.email)
    assert client.get(page).status_code == 200
    assert _post(client, page, page, skills=["seo"]).status_code == 403
    # Another member co-op, at its own address or Quilted's, and the network's coordinator: 404.
    act(tu.design_admin.email)
    assert client.get(f"/c/design-action/network/listing/{member_id}").status_code == 404
    assert client.get(page).status_code == 404
    act(tu.coordinator.email)
    assert client.get(f"/c/{tu.slug}/network/listing/{member_id}").status_code == 404
    act(tu.erik.email)
    assert client.get(f"/api/v1/network-memberships/{member_id}/listing").get_json()["skills"] == ["drupal", "php"]


def test_a_consultant_manages_their_own_part_in_the_network_space(client, act, tu):
    act(tu.ana.email)
    home = client.get(f"/c/{tu.slug}/network").get_data(as_text=True)
    assert "You in Tech Underground" in home and "Edit your listing" in home
    page = f"/c/{tu.slug}/network/listing/{tu.ids['ana']}"
    assert client.get(page).status_code == 200
    # Ben's listing is not hers.
    assert client.get(f"/c/{tu.slug}/network/listing/{tu.ids['ben']}").status_code == 404
    left = _post(client, page, f"/c/{tu.slug}/network/listing/{tu.ids['ana']}/leave")
    assert left.status_code == 302
    names = {m["name"] for m in client.get(f"/c/{tu.slug}/api/v1/directory").get_json()["members"]}
    assert "Ana Consultant" not in names


def test_the_coordinator_asks_the_client_and_closes_a_request_from_its_page(app, client, act, tu):
    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    page = f"/c/{tu.slug}/requests/{request_id}"
    empty = _post(client, page, f"{page}/question", question="")
    assert empty.status_code == 302
    asked = _post(client, page, f"{page}/question", question="What is your budget?")
    assert asked.status_code == 302
    closed = _post(client, page, f"{page}/close", note="The client found someone")
    assert closed.status_code == 302
    shown = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()
    assert shown["status"] == "closed"
    assert [e["kind"] for e in shown["timeline"]] == ["received", "question", "closed"]
    # A consultant cannot close or ask: the request is not theirs to see.
    other = submit_request(client, tu.slug, organisation="Second")
    act(tu.ana.email)
    token = csrf_token(client, f"/c/{tu.slug}/network")
    assert client.post(f"/c/{tu.slug}/requests/{other}/close", data={"csrf_token": token}).status_code == 302
    act(tu.coordinator.email)
    assert client.get(f"/c/{tu.slug}/api/v1/requests/{other}").get_json()["status"] == "new"
