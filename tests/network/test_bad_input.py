"""Bad input the issue lists: each gets a clear error and changes nothing."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from coopnet.extensions import db as _db
from coopnet.network.models import ClientRequest, NetworkMember, Offer, RequestEvent
from tests.conftest import csrf_token
from tests.network.conftest import CLIENT_REQUEST, submit_request


def count(app, model):
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"contact_name": ""}, "contact_name"),
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"organisation": "  "}, "organisation"),
        ({"need": ""}, "need"),
        ({"skills": ["juggling"]}, "skills"),
        ({"deadline": "2001-01-01"}, "deadline"),
        ({"urgency": "yesterday"}, "urgency"),
    ],
)
def test_a_request_with_missing_or_invalid_fields_is_refused(app, client, tu, changes, field):
    response = client.post(f"/c/{tu.slug}/api/v1/requests", json={**CLIENT_REQUEST, **changes})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert count(app, ClientRequest) == 0


def test_the_honeypot_filled_is_refused(app, client, tu):
    response = client.post(f"/c/{tu.slug}/api/v1/requests", json={**CLIENT_REQUEST, "website": "http://spam.example"})
    assert response.status_code == 422
    assert "website" in response.get_json()["error"]["fields"]
    assert count(app, ClientRequest) == 0


def test_a_flood_from_one_address_is_stopped(app, client, tu, monkeypatch):
    monkeypatch.setitem(app.config, "NETWORK_REQUEST_LIMIT", "3 per hour")
    for _ in range(3):
        submit_request(client, tu.slug)
    flood = client.post(f"/c/{tu.slug}/api/v1/requests", json=CLIENT_REQUEST)
    assert flood.status_code == 429
    assert flood.get_json()["error"]["code"] == "too_many_requests"
    assert count(app, ClientRequest) == 3
    # The form shares the limit.
    token = csrf_token(client, f"/c/{tu.slug}/request-work")
    assert client.post(f"/c/{tu.slug}/request-work", data={"csrf_token": token}).status_code == 429


def _offered(client, act, tu, to=None, respond_by=None):
    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={})
    body = {"to": to or {"coop": "quilted"}}
    if respond_by:
        body["respond_by"] = respond_by
    response = client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/offers", json=body)
    assert response.status_code == 201, response.get_json()
    return request_id, response.get_json()["id"]


def _offer_state(app, offer_id):
    with app.app_context():
        found = _db.session.get(Offer, offer_id)
        request = _db.session.get(ClientRequest, found.request_id)
        return found.status, request.status, request.placed_member_id


def test_a_member_accepting_an_offer_not_made_to_them_gets_404(app, client, act, tu):
    _, offer_id = _offered(client, act, tu)
    for who in (tu.web_admin, tu.ana, tu.coordinator):
        act(who.email)
        assert client.post(f"/api/v1/offers/{offer_id}/accept").status_code == 404
        assert client.post(f"/api/v1/offers/{offer_id}/decline", json={"reason": "no"}).status_code == 404
        assert client.get(f"/api/v1/offers/{offer_id}").status_code == 404
    assert _offer_state(app, offer_id) == ("open", "offered", None)


def test_accepting_after_the_deadline_is_refused(app, client, act, tu):
    _, offer_id = _offered(client, act, tu, respond_by=(datetime.now(timezone.utc) + timedelta(hours=1)).isoformat())
    with app.app_context():
        _db.session.get(Offer, offer_id).respond_by = datetime.now(timezone.utc) - timedelta(seconds=1)
        _db.session.commit()
    act(tu.erik.email)
    late = client.post(f"/api/v1/offers/{offer_id}/accept")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "offer_expired"
    assert _offer_state(app, offer_id) == ("open", "offered", None)


def test_declining_needs_a_reason(app, client, act, tu):
    _, offer_id = _offered(client, act, tu)
    act(tu.erik.email)
    response = client.post(f"/api/v1/offers/{offer_id}/decline", json={"reason": " "})
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]
    assert _offer_state(app, offer_id) == ("open", "offered", None)


def test_coordinator_actions_by_a_non_coordinator_are_forbidden(app, client, act, tu, add_member):
    request_id = submit_request(client, tu.slug)
    before = count(app, RequestEvent)
    act(tu.ana.email)  # a consultant, a person of the network, not a coordinator
    for method, path, body in (
        ("POST", f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", {}),
        ("POST", f"/c/{tu.slug}/api/v1/requests/{request_id}/questions", {"question": "?"}),
        ("GET", f"/c/{tu.slug}/api/v1/requests/{request_id}/matches", None),
        ("POST", f"/c/{tu.slug}/api/v1/requests/{request_id}/offers", {"to": {"coop": "quilted"}}),
        (
            "POST",
            f"/c/{tu.slug}/api/v1/requests/{request_id}/refer-out",
            {"referrals": [{"name": "a", "contact": "b"}]},
        ),
        ("POST", f"/c/{tu.slug}/api/v1/requests/{request_id}/close", {}),
        ("GET", f"/c/{tu.slug}/api/v1/requests", None),
        ("POST", f"/c/{tu.slug}/api/v1/network/invitations", {"coop": "quilted"}),
        ("GET", f"/c/{tu.slug}/api/v1/network/fees", None),
        ("PUT", f"/c/{tu.slug}/api/v1/network/settings", {"overhead_per_hour": "5.00"}),
        ("GET", f"/c/{tu.slug}/api/v1/network/reports", None),
    ):
        response = client.open(path, method=method, json=body)
        assert response.status_code == 403, (path, response.status_code)
        assert response.get_json()["error"]["code"] == "coordinator_required"
    # A request not offered to her is not even visible.
    assert client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").status_code == 404
    # The consultant-group coordinator may offer but not triage (the new-client coordinator's step).
    act(tu.grouper.email)
    assert client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={}).status_code == 403
    assert count(app, RequestEvent) == before
    with app.app_context():
        assert _db.session.get(ClientRequest, request_id).status == "new"


def test_a_member_reads_only_the_published_fields_of_another(client, act, tu):
    for other in (tu.erik, tu.ben):  # a member co-op's admin, another consultant
        act(other.email)
        seen = client.get(f"/c/{tu.slug}/api/v1/directory/{tu.ids['ana']}")
        assert seen.status_code == 200
        assert seen.get_json()["skills"] == ["drupal", "web-development"]
        assert "rates" not in seen.get_json() and "region" not in seen.get_json()
    act(tu.ana.email)
    own = client.get(f"/c/{tu.slug}/api/v1/directory/{tu.ids['ana']}").get_json()
    assert own["rates"] == "$90/h, sliding scale" and own["region"] == "Chicago"
    act(tu.coordinator.email)
    assert client.get(f"/c/{tu.slug}/api/v1/directory/{tu.ids['ana']}").get_json()["rates"] == "$90/h, sliding scale"
    client.delete("/api/v1/session")
    public = client.get(f"/c/{tu.slug}/api/v1/directory/{tu.ids['ana']}").get_json()
    assert "rates" not in public and "region" not in public


def test_a_coop_cannot_join_a_network_it_was_not_invited_to(app, client, act, tu, make_tenant):
    _, outsider_admin = make_tenant("inkworks", name="Inkworks")
    act(tu.coordinator.email)
    invitation_id = client.post(
        f"/c/{tu.slug}/api/v1/network/invitations", json={"email": "new@consultant.example"}
    ).get_json()["id"]
    pending_coop = client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"coop": "inkworks"}).get_json()["id"]
    members_before = count(app, NetworkMember)
    # Design Action's admin tries the invitations meant for a person and for Inkworks.
    act(tu.design_admin.email)
    assert client.post(f"/api/v1/network-invitations/{invitation_id}/accept").status_code == 404
    assert client.post(f"/api/v1/network-invitations/{pending_coop}/accept").status_code == 404
    act(outsider_admin.email)
    assert client.post(f"/api/v1/network-invitations/{invitation_id}/accept").status_code == 404
    assert count(app, NetworkMember) == members_before
    # Inkworks' own admin may; and only once.
    assert client.post(f"/api/v1/network-invitations/{pending_coop}/accept").status_code == 200
    assert client.post(f"/api/v1/network-invitations/{pending_coop}/accept").status_code == 409
    assert count(app, NetworkMember) == members_before + 1


def test_inviting_a_member_twice_or_a_network_as_a_coop_is_refused(app, client, act, tu):
    act(tu.coordinator.email)
    again = client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"coop": "quilted"})
    assert again.status_code == 409
    itself = client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"coop": tu.slug})
    assert itself.status_code == 422
    both = client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"coop": "quilted", "email": "a@b.org"})
    assert both.status_code == 422
    act(tu.ana.email)  # a person of the network, not its community coordinator
    assert client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"email": "x@y.org"}).status_code == 403


def test_a_bad_listing_changes_nothing(client, act, tu):
    act(tu.ana.email)
    path = f"/api/v1/network-memberships/{tu.ids['ana']}/listing"
    before = client.get(path).get_json()
    bad = client.put(path, json={"skills": ["juggling"], "time_zone": "Mars/Olympus", "region": "Oslo"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"skills", "time_zone"}
    assert client.get(path).get_json() == before
    # Only the co-op's admins change a co-op's listing.
    act(tu.colin.email)
    refused = client.put(f"/api/v1/network-memberships/{tu.ids['quilted']}/listing", json={"region": "Tacoma"})
    assert refused.status_code == 403
