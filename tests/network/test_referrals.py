"""The Tech Underground flow: a request from the public form, triage, ranked offers,
decline, offer again, accept; and the path where nobody can take it."""

from datetime import datetime, timedelta, timezone

from coopnet.extensions import db as _db
from tests.conftest import run_jobs
from tests.network.conftest import submit_request


def outbox(app, slug):
    from coopnet.database import tenant_scope
    from coopnet.tenants.outbox.services import list_messages

    with app.app_context():
        with tenant_scope(_db.session, slug):
            return [(m.to_address, m.subject, m.body) for m in list_messages(_db.session)]


def later(hours=48):
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).isoformat()


def test_request_triage_offer_decline_offer_accept(app, client, act, tu):
    request_id = submit_request(client, tu.slug)
    run_jobs(app)
    assert any(
        to == "rosa@tenants.example" and "received your request" in subject for to, subject, _ in outbox(app, tu.slug)
    )

    act(tu.coordinator.email)
    seen = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()
    assert seen["status"] == "new"
    assert seen["client"] == {"organisation": "Tenants Union", "contact_name": "Rosa", "email": "rosa@tenants.example"}
    triaged = client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={"note": "Good fit"})
    assert triaged.status_code == 200 and triaged.get_json()["status"] == "triaged"

    act(tu.grouper.email)
    ranked = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}/matches").get_json()
    names = [m["member"]["name"] for m in ranked]
    # Quilted matches both skills; Ana one; Web Collective matches neither; Ben and Design Action none.
    assert names == ["Quilted", "Ana Consultant"]
    assert ranked[0]["score"] > ranked[1]["score"]
    assert "matches civicrm, drupal" in ranked[0]["reasons"]
    assert "never offered work through the network" in ranked[0]["reasons"]

    first = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers",
        json={"to": {"coop": "quilted"}, "respond_by": later()},
    )
    assert first.status_code == 201, first.get_json()
    offer_id = first.get_json()["id"]
    assert client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()["status"] == "offered"

    act(tu.colin.email)  # a member of Quilted may answer for it
    mine = client.get("/api/v1/offers").get_json()["offers"]
    assert [o["id"] for o in mine] == [offer_id]
    assert "email" not in mine[0]["request"]["client"]  # no contact before accepting
    declined = client.post(f"/api/v1/offers/{offer_id}/decline", json={"reason": "Full until March"})
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"

    act(tu.grouper.email)
    after = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()
    assert after["status"] == "triaged"
    ranked = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}/matches").get_json()
    assert [m["member"]["name"] for m in ranked] == ["Ana Consultant"]  # who declined is not offered again
    second = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers",
        json={"to": {"account_id": tu.ana.id}, "respond_by": later()},
    )
    assert second.status_code == 201

    act(tu.ana.email)
    accepted = client.post(f"/api/v1/offers/{second.get_json()['id']}/accept")
    assert accepted.status_code == 200, accepted.get_json()
    shown = accepted.get_json()
    assert shown["status"] == "accepted"
    assert shown["request"]["client"]["email"] == "rosa@tenants.example"  # revealed once placed
    # Ana is a person of the network too: she reads the request with the contact, and only her own steps.
    as_provider = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()
    assert as_provider["status"] == "placed" and as_provider["client"]["email"] == "rosa@tenants.example"
    assert {e["member"] for e in as_provider["timeline"]} <= {None, "Ana Consultant"}

    act(tu.coordinator.email)
    final = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()
    assert final["placed_with"] == "Ana Consultant"
    assert [e["kind"] for e in final["timeline"]] == ["received", "triaged", "offered", "declined", "offered", "placed"]
    assert [e["note"] for e in final["timeline"] if e["kind"] == "declined"] == ["Full until March"]
    run_jobs(app)
    mail = outbox(app, tu.slug)
    assert any(to == "rosa@tenants.example" and "found someone" in subject for to, subject, _ in mail)
    assert any(to == "erik@quilted.example" and "Work offered" in subject for to, subject, _ in mail)


def test_nobody_takes_it_and_the_client_gets_outside_referrals(app, client, act, tu):
    request_id = submit_request(client, tu.slug, skills=["video"], need="A documentary about our strike.")
    act(tu.coordinator.email)
    client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={})
    assert client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}/matches").get_json() == []
    referred = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/refer-out",
        json={"referrals": [{"name": "Film Co-op", "contact": "hello@filmcoop.example", "note": "Labour films"}]},
    )
    assert referred.status_code == 200, referred.get_json()
    body = referred.get_json()
    assert body["status"] == "referred_out"
    assert body["outside_referrals"] == [
        {"name": "Film Co-op", "contact": "hello@filmcoop.example", "note": "Labour films"}
    ]
    run_jobs(app)
    sent = [(s, b) for to, s, b in outbox(app, tu.slug) if to == "rosa@tenants.example" and "Referrals" in s]
    assert len(sent) == 1 and "Film Co-op (hello@filmcoop.example): Labour films" in sent[0][1]
    again = client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/refer-out", json={"referrals": []})
    assert again.status_code == 409


def test_an_offer_nobody_answers_expires_at_its_deadline_in_the_worker(app, client, act, tu):
    from coopnet.network import jobs, referrals

    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={})
    offer_id = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers",
        json={"to": {"coop": "quilted"}, "respond_by": later(1)},
    ).get_json()["id"]
    # Move the deadline into the past, as time passing would; the queued job then runs now.
    with app.app_context():
        from coopnet.network.models import Offer

        _db.session.get(Offer, offer_id).respond_by = datetime.now(timezone.utc) - timedelta(minutes=1)
        _db.session.commit()
    act(tu.erik.email)
    late = client.post(f"/api/v1/offers/{offer_id}/accept")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "offer_expired"
    with app.app_context():
        assert referrals.due_offers(_db.session) == [offer_id]
        assert jobs.sweep_offers() == [offer_id]  # the sweep catches what a lost job missed
        _db.session.commit()
        assert jobs.sweep_offers() == []  # and is idempotent
    act(tu.coordinator.email)
    shown = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()
    assert shown["status"] == "triaged"
    assert shown["offers"][0]["status"] == "expired"
    assert shown["timeline"][-1]["kind"] == "expired"


def test_the_deadline_job_expires_the_offer_in_a_real_worker(app, client, act, tu):
    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={})
    soon = (datetime.now(timezone.utc) + timedelta(seconds=1)).isoformat()
    offer_id = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers", json={"to": {"coop": "quilted"}, "respond_by": soon}
    ).get_json()["id"]
    import time

    time.sleep(1.5)
    run_jobs(app)
    shown = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}").get_json()
    assert [(o["id"], o["status"]) for o in shown["offers"]] == [(offer_id, "expired")]


def test_offers_are_shared_fairly_among_equally_matched_members(app, client, act, tu):
    """Over many requests, nobody is offered work twice while an equally matched member waits."""
    # Quilted, Web Collective and Ana all list web-development; each request wants only that.
    offered = []
    for n in range(9):
        request_id = submit_request(client, tu.slug, skills=["web-development"], organisation=f"Client {n}")
        act(tu.coordinator.email)
        client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={})
        top = client.get(f"/c/{tu.slug}/api/v1/requests/{request_id}/matches").get_json()[0]["member"]
        to = {"coop": top["party"]} if top["kind"] == "coop" else {"account_id": top["party"]}
        assert client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/offers", json={"to": to}).status_code == 201
        offered.append(top["name"])
    for round_start in range(0, 9, 3):
        assert sorted(offered[round_start : round_start + 3]) == ["Ana Consultant", "Quilted", "Web Collective"]


def test_reports_count_requests_responses_and_work_per_member(app, client, act, tu):
    placed = submit_request(client, tu.slug)
    submit_request(client, tu.slug, organisation="Other")
    act(tu.coordinator.email)
    client.post(f"/c/{tu.slug}/api/v1/requests/{placed}/triage", json={})
    offer_id = client.post(
        f"/c/{tu.slug}/api/v1/requests/{placed}/offers", json={"to": {"coop": "quilted"}}
    ).get_json()["id"]
    act(tu.erik.email)
    assert client.post(f"/api/v1/offers/{offer_id}/accept").status_code == 200
    act(tu.coordinator.email)
    report = client.get(f"/c/{tu.slug}/api/v1/network/reports").get_json()
    assert sum(m["requests"] for m in report["requests_by_month"]) == 2
    assert report["share_placed"] == "1.00"
    assert report["median_hours_to_first_response"] == "0.0"
    assert report["by_member"] == [{"member": "Quilted", "offered": 1, "accepted": 1}]


def test_coordinators_get_the_network_s_mail_in_their_own_language(app, client, act, tu):
    act("clients@techunderground.example")
    assert client.put("/api/v1/account/language", json={"locale": "ru"}).status_code == 200

    submit_request(client, tu.slug)
    run_jobs(app)

    subjects = {to: subject for to, subject, _ in outbox(app, tu.slug)}
    assert subjects["clients@techunderground.example"] == "Новый запрос клиента от Tenants Union"
    assert subjects["rosa@tenants.example"] == "Tech Underground received your request"  # the client: the network's
