"""Joining a network: a consultant invited by email who has no account signs up through the
mailed link (page and API); a forwarded, spent or foreign link is refused; when the network's
rulebook decides admissions, accepting opens a proposal and the vote admits or refuses."""

import re

from sqlalchemy import text

from coopnet.extensions import db as _db
from tests.conftest import PASSWORD, csrf_token, run_jobs
from tests.network.test_referrals import outbox


def _invite(client, act, tu, email):
    act(tu.coordinator.email)
    response = client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"email": email})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _mailed_token(app, tu, email):
    run_jobs(app)
    bodies = [body for to, _subject, body in outbox(app, tu.slug) if to == email]
    assert bodies, f"no mail to {email}"
    return re.search(r"/network/join/([A-Za-z0-9_-]+)", bodies[-1]).group(1)


def _account_count(app, email):
    with app.app_context():
        return _db.session.execute(text("SELECT count(*) FROM accounts WHERE email = :e"), {"e": email}).scalar()


def test_a_consultant_without_an_account_signs_up_through_the_mailed_link(app, client, act, tu):
    _invite(client, act, tu, "dana@consultants.example")
    token = _mailed_token(app, tu, "dana@consultants.example")
    client.delete("/api/v1/session")
    page = f"/c/{tu.slug}/network/join/{token}"
    shown = client.get(page)
    assert shown.status_code == 200 and "dana@consultants.example" in shown.get_data(as_text=True)
    # A password too short: the reason next to the field, no account made, the link still works.
    short = client.post(page, data={"csrf_token": csrf_token(client, page), "name": "Dana", "password": "short"})
    assert short.status_code == 422 and "field-error" in short.get_data(as_text=True)
    assert _account_count(app, "dana@consultants.example") == 0
    joined = client.post(page, data={"csrf_token": csrf_token(client, page), "name": "Dana", "password": PASSWORD})
    assert joined.status_code == 302
    # Signed in, a consultant of the network: her own page, her listing, the directory once published.
    mine = client.get("/api/v1/network-memberships").get_json()["memberships"]
    assert [(m["network"], m["party"]) for m in mine] == [(tu.slug, "you")]
    home = client.get(f"/c/{tu.slug}/network")
    assert home.status_code == 200 and "Edit your listing" in home.get_data(as_text=True)
    listing = f"/c/{tu.slug}/network/listing/{mine[0]['id']}"
    saved = client.post(
        listing,
        data={
            "csrf_token": csrf_token(client, listing),
            "skills": ["python", "database"],
            "region": "Detroit",
            "taking_work": "y",
            "public_fields": ["skills", "region"],
        },
    )
    assert saved.status_code == 302
    found = client.get(f"/c/{tu.slug}/api/v1/directory?skill=python").get_json()["members"]
    assert [(m["name"], m["region"]) for m in found] == [("Dana", "Detroit")]
    # The link is spent.
    client.delete("/api/v1/session")
    assert client.get(page).status_code == 409


def test_the_api_signs_up_and_joins_with_the_token(app, client, act, tu):
    _invite(client, act, tu, "eli@consultants.example")
    token = _mailed_token(app, tu, "eli@consultants.example")
    client.delete("/api/v1/session")
    url = f"/c/{tu.slug}/api/v1/network/join"
    bad = client.post(url, json={"token": token, "name": "Eli", "password": "x"})
    assert bad.status_code == 422 and "password" in bad.get_json()["error"]["fields"]
    assert _account_count(app, "eli@consultants.example") == 0
    joined = client.post(url, json={"token": token, "name": "Eli", "password": PASSWORD})
    assert joined.status_code == 200, joined.get_json()
    assert joined.get_json()["admission"] == "joined" and joined.get_json()["id"] is not None
    again = client.post(url, json={"token": token, "name": "Eli", "password": PASSWORD})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invitation_used"


def test_a_bad_forwarded_or_foreign_link_is_refused_and_changes_nothing(app, client, act, tu, make_tenant):
    _invite(client, act, tu, "fay@consultants.example")
    token = _mailed_token(app, tu, "fay@consultants.example")
    # A guessed token, and a real one used at another network's address: 404, nothing named.
    other, _admin = make_tenant("other-net", name="Other Network", kind="network")
    client.delete("/api/v1/session")
    for url in (f"/c/{tu.slug}/api/v1/network/join", f"/c/{other.slug}/api/v1/network/join"):
        tried = client.post(url, json={"token": "guess" if "tech" in url else token, "name": "X", "password": PASSWORD})
        assert tried.status_code == 404
    assert client.get(f"/c/{other.slug}/network/join/{token}").status_code == 404
    # Someone else, logged in, with the forwarded link: 403; the link stays for Fay.
    act(tu.ben.email)
    forwarded = client.post(f"/c/{tu.slug}/api/v1/network/join", json={"token": token})
    assert forwarded.status_code == 403 and forwarded.get_json()["error"]["code"] == "invitation_for_another_address"
    # An address with an account already must log in rather than sign up again.
    _invite(client, act, tu, tu.colin.email)
    colin_token = _mailed_token(app, tu, tu.colin.email)
    client.delete("/api/v1/session")
    taken = client.post(
        f"/c/{tu.slug}/api/v1/network/join", json={"token": colin_token, "name": "Colin", "password": PASSWORD}
    )
    assert taken.status_code == 409 and taken.get_json()["error"]["code"] == "account_exists"
    act(tu.coordinator.email)
    statuses = {
        i["email"]: i["status"]
        for i in client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"]
        if i["email"]
    }
    assert statuses["fay@consultants.example"] == "pending" and statuses[tu.colin.email] == "pending"
    assert _account_count(app, "fay@consultants.example") == 0


def _network_votes(client, act, tu, proposal_id, stance):
    for who in (tu.coordinator, tu.grouper, tu.ana, tu.ben):
        act(who.email)
        taken = client.put(f"/c/{tu.slug}/api/v1/proposals/{proposal_id}/position", json={"stance": stance})
        assert taken.status_code == 200, taken.get_json()
    act(tu.coordinator.email)
    return client.post(f"/c/{tu.slug}/api/v1/proposals/{proposal_id}/close").get_json()


def test_the_network_s_rulebook_decides_who_joins(app, client, act, tu, make_tenant):
    _, inkworks_admin = make_tenant("inkworks", name="Inkworks")
    _, other_admin = make_tenant("electric-embers", name="Electric Embers")
    act(tu.coordinator.email)
    refused = client.put(f"/c/{tu.slug}/api/v1/network/settings", json={"admission": "rulebook"})
    assert refused.status_code == 422 and "admission" in refused.get_json()["error"]["fields"]
    assert client.post(f"/c/{tu.slug}/api/v1/rulebook/adopt", json={"preset": "quilted"}).status_code == 201
    settings = client.put(f"/c/{tu.slug}/api/v1/network/settings", json={"admission": "rulebook"})
    assert settings.status_code == 200 and settings.get_json()["admission"] == "rulebook"
    invited = {}
    for slug in ("inkworks", "electric-embers"):
        invited[slug] = client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"coop": slug}).get_json()["id"]
    # Inkworks accepts: not a member yet, the network votes.
    act(inkworks_admin.email)
    asked = client.post(f"/api/v1/network-invitations/{invited['inkworks']}/accept")
    assert asked.status_code == 200 and asked.get_json()["admission"] == "proposed"
    assert client.get("/api/v1/network-memberships").get_json()["memberships"] == []
    run_jobs(app)
    act(tu.coordinator.email)
    rows = {i["coop"]: i for i in client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"]}
    assert rows["inkworks"]["status"] == "proposed" and rows["inkworks"]["proposal_id"]
    closed = _network_votes(client, act, tu, rows["inkworks"]["proposal_id"], "agree")
    assert closed["outcome"] == "passed"
    act(inkworks_admin.email)
    assert [m["network"] for m in client.get("/api/v1/network-memberships").get_json()["memberships"]] == [tu.slug]
    # Electric Embers accepts, and the network does not agree: refused, not a member.
    act(other_admin.email)
    client.post(f"/api/v1/network-invitations/{invited['electric-embers']}/accept")
    run_jobs(app)
    act(tu.coordinator.email)
    rows = {i["coop"]: i for i in client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"]}
    closed = _network_votes(client, act, tu, rows["electric-embers"]["proposal_id"], "disagree")
    assert closed["outcome"] != "passed"
    rows = {i["coop"]: i for i in client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"]}
    assert rows["electric-embers"]["status"] == "refused" and rows["inkworks"]["status"] == "accepted"
    act(other_admin.email)
    assert client.get("/api/v1/network-memberships").get_json()["memberships"] == []
    again = client.post(f"/api/v1/network-invitations/{invited['electric-embers']}/accept")
    assert again.status_code == 409


def test_one_link_used_twice_at_once_signs_up_one_account(app, client, act, tu):
    import threading

    _invite(client, act, tu, "fay@consultants.example")
    token = _mailed_token(app, tu, "fay@consultants.example")
    url = f"/c/{tu.slug}/api/v1/network/join"
    results = []

    def join():
        results.append(app.test_client().post(url, json={"token": token, "name": "Fay", "password": PASSWORD}))

    threads = [threading.Thread(target=join) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in results) == [200, 409, 409, 409]
    assert _account_count(app, "fay@consultants.example") == 1


def test_a_co_op_suspended_after_its_invitation_cannot_join(app, client, act, tu, make_tenant):
    _, admin = make_tenant("late-coop")
    act(tu.coordinator.email)
    invited = client.post(f"/c/{tu.slug}/api/v1/network/invitations", json={"coop": "late-coop"})
    assert invited.status_code == 201, invited.get_json()
    assert app.test_cli_runner().invoke(args=["tenants", "suspend", "late-coop"]).exit_code == 0
    act(admin.email)
    refused = client.post(f"/api/v1/network-invitations/{invited.get_json()['id']}/accept")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "tenant_suspended"
    # Nothing was written: the invitation is still pending, and the co-op is no member.
    act(tu.coordinator.email)
    listed = client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"]
    assert [i["status"] for i in listed if i["coop"] == "late-coop"] == ["pending"]
    assert app.test_cli_runner().invoke(args=["tenants", "resume", "late-coop"]).exit_code == 0
    act(admin.email)
    accept = f"/api/v1/network-invitations/{invited.get_json()['id']}/accept"
    assert client.post(accept).status_code == 200
    # Suspended again, an invitation already used is still "used", not "suspended".
    assert app.test_cli_runner().invoke(args=["tenants", "suspend", "late-coop"]).exit_code == 0
    again = client.post(accept)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invitation_used"


def test_a_coordinator_revokes_an_invitation_nobody_has_used(app, client, act, tu, make_tenant):
    invitation_id = _invite(client, act, tu, "dana@consultants.example")
    token = _mailed_token(app, tu, "dana@consultants.example")
    invitations = f"/c/{tu.slug}/api/v1/network/invitations"

    # Someone outside the network, a coordinator of another kind, another network's admin: refused.
    act(tu.colin.email)
    assert client.delete(f"{invitations}/{invitation_id}").status_code == 404
    act(tu.grouper.email)
    assert client.delete(f"{invitations}/{invitation_id}").status_code == 403
    _, other_admin = make_tenant("other-network", kind="network")
    act(other_admin.email)
    assert client.delete(f"/c/other-network/api/v1/network/invitations/{invitation_id}").status_code == 404

    act(tu.coordinator.email)
    assert client.delete(f"{invitations}/{invitation_id}").status_code == 204
    listed = {i["id"]: i["status"] for i in client.get(invitations).get_json()["invitations"]}
    assert listed[invitation_id] == "revoked"
    again = client.delete(f"{invitations}/{invitation_id}")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invitation_not_pending"
    # An accepted one cannot be taken back either.
    accepted = next(i for i, status in listed.items() if status == "accepted")
    assert client.delete(f"{invitations}/{accepted}").status_code == 409

    # The mailed link is gone, with or without an account.
    client.delete("/api/v1/session")
    gone = client.post(f"/c/{tu.slug}/api/v1/network/join", json={"token": token, "name": "Dana", "password": PASSWORD})
    assert gone.status_code == 410 and gone.get_json()["error"]["code"] == "invitation_revoked"
    assert _account_count(app, "dana@consultants.example") == 0


def test_the_members_page_revokes_a_pending_invitation(app, client, act, tu):
    invitation_id = _invite(client, act, tu, "eve@consultants.example")
    page = f"/c/{tu.slug}/network/members"
    action = f"/c/{tu.slug}/network/invitations/{invitation_id}/revoke"
    assert action in client.get(page).get_data(as_text=True)
    revoked = client.post(action, data={"csrf_token": csrf_token(client, page)})
    assert revoked.status_code == 302
    listed = client.get(f"/c/{tu.slug}/api/v1/network/invitations").get_json()["invitations"]
    assert [i["status"] for i in listed if i["id"] == invitation_id] == ["revoked"]
    assert action not in client.get(page).get_data(as_text=True)
