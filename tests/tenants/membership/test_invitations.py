"""Inviting co-founders by link: single use, expiring, delivered through the outbox by a worker."""

import re
from datetime import timedelta

from sqlalchemy import update

from coopnet.database import bind_tenant
from coopnet.extensions import db as _db
from coopnet.tenants.membership.models import Invitation
from tests.conftest import PASSWORD, counts, csrf_token, run_jobs


def invite(client, slug, email, role="member"):
    response = client.post(f"/c/{slug}/api/v1/invitations", json={"email": email, "role": role})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def link_in_outbox(client, slug):
    messages = client.get(f"/c/{slug}/api/v1/outbox").get_json()["messages"]
    match = re.search(r"/c/[a-z0-9-]+/join/([A-Za-z0-9_-]+)", messages[0]["body"])
    return messages[0], match.group(1)


def test_invitation_mail_is_held_in_the_outbox_by_the_worker(app, client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    created = invite(client, "quilted", "michelle@quilted.example", "candidate")
    assert created["state"] == "pending" and created["role"] == "candidate"
    message, _token = link_in_outbox(client, "quilted")
    assert message["status"] == "queued"
    run_jobs(app)
    message, _ = link_in_outbox(client, "quilted")
    assert message["status"] == "held"  # no MAIL_SERVER: kept for an admin to read
    assert message["to"] == "michelle@quilted.example"
    assert "invites you to join Quilted" in message["subject"]
    page = client.get("/c/quilted/outbox").get_data(as_text=True)
    assert "michelle@quilted.example" in page


def test_new_person_joins_through_the_link_once(app, client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    invite(client, "quilted", "michelle@quilted.example", "candidate")
    _, token = link_in_outbox(client, "quilted")
    client.delete("/api/v1/session")
    newcomer = app.test_client()
    join_url = f"/c/quilted/join/{token}"
    page = newcomer.get(join_url)
    assert page.status_code == 200
    assert "michelle@quilted.example" in page.get_data(as_text=True)
    response = newcomer.post(
        join_url, data={"csrf_token": csrf_token(newcomer, join_url), "name": "Michelle Moon Lee", "password": PASSWORD}
    )
    assert response.status_code == 302
    me = newcomer.get("/c/quilted/api/v1/").get_json()
    assert me["role"] == "candidate"
    # Used: a second person with the same link gets a clear error, and nothing changes.
    other = app.test_client()
    again = other.get(join_url)
    assert again.status_code == 409
    assert "already been used" in again.get_data(as_text=True)
    login(admin.email)
    members = client.get("/c/quilted/api/v1/members").get_json()["members"]
    assert sorted(m["email"] for m in members) == ["admin@quilted.example", "michelle@quilted.example"]


def test_existing_account_accepts_through_the_api(app, client, login, make_tenant):
    _, quilted_admin = make_tenant("quilted")
    _, underground_admin = make_tenant("tech-underground")
    login(underground_admin.email)
    invite(client, "tech-underground", quilted_admin.email)
    _, token = link_in_outbox(client, "tech-underground")
    client.delete("/api/v1/session")
    login(quilted_admin.email)
    response = client.post("/c/tech-underground/api/v1/invitations/accept", json={"token": token})
    assert response.status_code == 200
    assert response.get_json()["role"] == "member"
    roles = {m["tenant"]["slug"]: m["role"] for m in client.get("/api/v1/account").get_json()["memberships"]}
    assert roles == {"quilted": "admin", "tech-underground": "member"}
    reused = client.post("/c/tech-underground/api/v1/invitations/accept", json={"token": token})
    assert reused.status_code == 409


def test_expired_invitation_is_refused_and_changes_nothing(app, client, login, make_tenant, make_account, engine):
    _, admin = make_tenant("quilted")
    login(admin.email)
    invite(client, "quilted", "late@quilted.example")
    _, token = link_in_outbox(client, "quilted")
    with app.app_context():
        bind_tenant(_db.session, "quilted")
        _db.session.execute(update(Invitation).values(expires_at=Invitation.created_at - timedelta(seconds=1)))
        _db.session.commit()
    late = make_account("late@quilted.example")
    client.delete("/api/v1/session")
    login(late.email)
    before = counts(engine)
    response = client.post("/c/quilted/api/v1/invitations/accept", json={"token": token})
    assert response.status_code == 410
    assert response.get_json()["error"]["code"] == "invitation_expired"
    page = app.test_client().get(f"/c/quilted/join/{token}")
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)
    assert counts(engine) == before


def test_reinviting_replaces_the_old_link(client, login, make_tenant, make_account):
    _, admin = make_tenant("quilted")
    login(admin.email)
    invite(client, "quilted", "kyle@quilted.example")
    _, first = link_in_outbox(client, "quilted")
    invite(client, "quilted", "Kyle@Quilted.example")
    _, second = link_in_outbox(client, "quilted")
    assert first != second
    states = sorted(i["state"] for i in client.get("/c/quilted/api/v1/invitations").get_json()["invitations"])
    assert states == ["pending", "revoked"]
    kyle = make_account("kyle@quilted.example")
    client.delete("/api/v1/session")
    login(kyle.email)
    assert client.post("/c/quilted/api/v1/invitations/accept", json={"token": first}).status_code == 410
    assert client.post("/c/quilted/api/v1/invitations/accept", json={"token": second}).status_code == 200


def test_bad_invitations_are_refused(client, login, make_tenant, make_account, add_member):
    tenant, admin = make_tenant("quilted")
    colin = make_account("colin@quilted.example")
    add_member(tenant, colin)
    login(admin.email)
    cases = [
        ({"email": "not an email"}, 422, "email"),
        ({"email": ""}, 422, "email"),
        ({"email": "x@example.org", "role": "overlord"}, 422, "role"),
        ({"role": "member"}, 422, "email"),
        ({"email": "COLIN@quilted.example"}, 409, "email"),
    ]
    for body, status, field in cases:
        response = client.post("/c/quilted/api/v1/invitations", json=body)
        assert response.status_code == status, body
        assert field in response.get_json()["error"]["fields"], body
    assert client.get("/c/quilted/api/v1/invitations").get_json()["invitations"] == []
    assert client.get("/c/quilted/api/v1/outbox").get_json()["messages"] == []


def test_unknown_token_is_404(client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    response = client.post("/c/quilted/api/v1/invitations/accept", json={"token": "made-up"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "invitation_not_found"


def test_a_token_from_one_tenant_does_not_open_another(app, client, login, make_tenant, make_account):
    _, quilted_admin = make_tenant("quilted")
    make_tenant("design-action")
    login(quilted_admin.email)
    invite(client, "quilted", "michelle@quilted.example")
    _, token = link_in_outbox(client, "quilted")
    michelle = make_account("michelle@quilted.example")
    client.delete("/api/v1/session")
    login(michelle.email)
    response = client.post("/c/design-action/api/v1/invitations/accept", json={"token": token})
    assert response.status_code == 404
    assert client.get("/c/design-action/api/v1/").status_code == 404


def test_invite_form_shows_errors_next_to_the_field(client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    response = client.post(
        "/c/quilted/members",
        data={"csrf_token": csrf_token(client, "/c/quilted/members"), "email": "nope", "role": "member"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "There is a problem" in page


def test_withdrawn_invitation_cannot_be_used(app, client, login, make_tenant, make_account):
    _, admin = make_tenant("quilted")
    login(admin.email)
    created = invite(client, "quilted", "kyle@quilted.example")
    _, token = link_in_outbox(client, "quilted")
    assert client.delete(f"/c/quilted/api/v1/invitations/{created['id']}").status_code == 204
    kyle = make_account("kyle@quilted.example")
    client.delete("/api/v1/session")
    login(kyle.email)
    response = client.post("/c/quilted/api/v1/invitations/accept", json={"token": token})
    assert response.status_code == 410
    assert response.get_json()["error"]["code"] == "invitation_revoked"
