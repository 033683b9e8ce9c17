"""The network as an outsider attacks it: each test is a problem found, pinned down so it
stays fixed (a 500 from a crafted address, an expired or orphaned invitation that still
admits someone, a consultant who left but keeps what only members have)."""

from sqlalchemy import text

from coopnet.extensions import db as _db
from tests.conftest import PASSWORD, csrf_token, run_jobs
from tests.network.conftest import submit_request
from tests.network.test_invitations import _invite, _mailed_token, _network_votes


def _sql(app, statement, **params):
    with app.app_context():
        rows = _db.session.execute(text(statement), params)
        found = rows.all() if rows.returns_rows else None
        _db.session.commit()
        return found


def test_the_public_directory_reads_any_page_number_without_a_500(client, tu):
    # "²" is a digit to str.isdigit() but not to int(): it was a 500 for anyone.
    for page in ("²", "0", "-1", "abc", "99999"):
        shown = client.get(f"/c/{tu.slug}/directory?page={page}")
        assert shown.status_code == 200, page
    assert "Quilted" in client.get(f"/c/{tu.slug}/directory?page=²").get_data(as_text=True)


def test_an_expired_email_invitation_cannot_be_accepted_by_its_id_either(app, client, act, tu, make_account):
    dana = make_account("dana@consultants.example", name="Dana")
    invitation_id = _invite(client, act, tu, dana.email)
    _sql(app, "UPDATE network_invitations SET expires_at = now() - interval '1 day' WHERE id = :i", i=invitation_id)
    act(dana.email)
    late = client.post(f"/api/v1/network-invitations/{invitation_id}/accept")
    assert late.status_code == 410 and late.get_json()["error"]["code"] == "invitation_expired"
    assert client.get("/api/v1/network-memberships").get_json()["memberships"] == []
    assert _sql(app, "SELECT status FROM network_invitations WHERE id = :i", i=invitation_id) == [("pending",)]


def test_a_consultant_who_leaves_keeps_no_coordinator_role_nor_the_network_s_space(app, client, act, tu):
    act(tu.coordinator.email)
    given = client.post(
        f"/c/{tu.slug}/api/v1/network/coordinators", json={"account_id": tu.ana.id, "role": "new_client"}
    )
    assert given.status_code == 201
    request_id = submit_request(client, tu.slug)
    act(tu.ana.email)
    assert client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()["client"]["email"]
    assert client.post(f"/api/v1/network-memberships/{tu.ids['ana']}/leave").status_code == 200
    # Gone from the network: no client's contact, no request board, no members page.
    assert client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").status_code == 404
    assert client.get(f"/c/{tu.slug}/api/v1/requests").status_code == 404
    assert client.get(f"/c/{tu.slug}/network/members").status_code == 404
    assert _sql(app, "SELECT count(*) FROM network_coordinators WHERE account_id = :a", a=tu.ana.id) == [(0,)]
    # Her past membership is still hers to read.
    mine = client.get("/api/v1/network-memberships").get_json()["memberships"]
    assert [(m["network"], m["left_at"] is not None) for m in mine] == [(tu.slug, True)]


def test_a_vote_closing_after_the_invited_person_deleted_their_account_admits_nobody(app, client, act, tu):
    act(tu.coordinator.email)
    assert client.post(f"/c/{tu.slug}/api/v1/rulebook/adopt", json={"preset": "quilted"}).status_code == 201
    assert client.put(f"/c/{tu.slug}/api/v1/network/settings", json={"admission": "rulebook"}).status_code == 200
    _invite(client, act, tu, tu.colin.email)
    token = _mailed_token(app, tu, tu.colin.email)
    act(tu.colin.email)
    asked = client.post(f"/c/{tu.slug}/api/v1/network/join", json={"token": token})
    assert asked.status_code == 200 and asked.get_json()["admission"] == "proposed"
    run_jobs(app)
    act(tu.coordinator.email)
    proposal_id = next(
        i["proposal_id"]
        for i in client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"]
        if i["status"] == "proposed"
    )
    act(tu.colin.email)
    assert client.post("/api/v1/account/deletion", json={"password": PASSWORD}).status_code == 204
    closed = _network_votes(client, act, tu, proposal_id, "agree")
    assert closed["outcome"] == "passed"
    # The deleted account is not brought back as a member of the network or of its space.
    assert _sql(app, "SELECT count(*) FROM network_members WHERE account_id = :a", a=tu.colin.id) == [(0,)]
    assert _sql(
        app, "SELECT count(*) FROM memberships WHERE account_id = :a AND tenant_id = :n", a=tu.colin.id, n=tu.network.id
    ) == [(0,)]
    statuses = [i["status"] for i in client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"]]
    assert "proposed" not in statuses and "refused" in statuses


def test_coordinator_pages_answer_crafted_ids_with_a_field_error_not_a_500(client, act, tu):
    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    assert client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={"note": ""}).status_code == 200
    page = f"/c/{tu.slug}/requests/{request_id}"
    for to in ("account:²", "account:" + "9" * 30):
        tried = client.post(f"{page}/offer", data={"csrf_token": csrf_token(client, page), "to": to})
        assert tried.status_code == 302, to
    assert client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()["offers"] == []
    members = f"/c/{tu.slug}/network/members"
    given = client.post(
        f"/c/{tu.slug}/network/coordinators",
        data={"csrf_token": csrf_token(client, members), "account_id": "9" * 30, "role": "new_client"},
    )
    assert given.status_code == 422
    assert len(client.get(f"/c/{tu.slug}/api/v1/network/coordinators").get_json()["coordinators"]) == 1


def test_a_member_who_declined_no_longer_follows_the_request(app, client, act, tu):
    """Quilted declines; the request goes to Ana and is placed with her. Quilted's members
    still see their own offer, but not whom it went to, nor the coordinators' steps."""
    from tests.network.test_referrals import later

    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={"note": "Good fit"})
    act(tu.grouper.email)
    first = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers", json={"to": {"coop": "quilted"}, "respond_by": later()}
    ).get_json()["id"]
    act(tu.colin.email)
    client.post(f"/api/v1/offers/{first}/decline", json={"reason": "Full until March"})
    act(tu.grouper.email)
    second = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers",
        json={"to": {"account_id": tu.ana.id}, "respond_by": later()},
    ).get_json()["id"]
    act(tu.ana.email)
    assert client.post(f"/api/v1/offers/{second}/accept").status_code == 200
    act(tu.colin.email)
    [mine] = client.get("/api/v1/offers").get_json()["offers"]
    seen = mine["request"]
    assert mine["status"] == "declined" and seen["placed_with"] is None and seen["outside_referrals"] == []
    assert {e["member"] for e in seen["timeline"]} == {"Quilted"}
    assert "email" not in seen["client"]
    act(tu.ana.email)  # the provider it was placed with sees whom and every step of the request's own
    theirs = client.get("/api/v1/offers").get_json()["offers"][0]["request"]
    assert theirs["placed_with"] == "Ana Consultant" and "triaged" in [e["kind"] for e in theirs["timeline"]]
