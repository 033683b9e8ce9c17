"""Issue 6, vulnerability 2: an invitation is taken only by the verified account of the invited address."""

import pytest

from tests.conftest import counts, csrf_token
from tests.tenants.membership.test_invitations import invite, link_in_outbox


def invitation_states(client, admin_email, login, slug="quilted"):
    client.delete("/api/v1/session")
    login(admin_email)
    return [i["state"] for i in client.get(f"/c/{slug}/api/v1/invitations").get_json()["invitations"]]


@pytest.fixture
def admin_invitation(client, login, make_tenant):
    """An admin invitation to michelle@quilted.example, and its token; nobody logged in."""
    _, admin = make_tenant("quilted")
    login(admin.email)
    invite(client, "quilted", "michelle@quilted.example", "admin")
    _, token = link_in_outbox(client, "quilted")
    client.delete("/api/v1/session")
    return admin, token


def test_a_forwarded_link_does_not_make_another_account_an_admin(client, engine, login, make_account, admin_invitation):
    admin, token = admin_invitation
    eve = make_account("eve@elsewhere.example")
    login(eve.email)
    before = counts(engine)

    response = client.post("/c/quilted/api/v1/invitations/accept", json={"token": token})

    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "invitation_for_another_address"
    assert "michelle@quilted.example" in error["message"]
    assert client.get("/c/quilted/api/v1/").status_code == 404  # not a member
    assert counts(engine) == before
    assert invitation_states(client, admin.email, login) == ["pending"]


def test_the_join_page_refuses_another_account_and_offers_no_button(
    app, client, engine, login, make_account, admin_invitation
):
    admin, token = admin_invitation
    login(make_account("eve@elsewhere.example").email)
    url = f"/c/quilted/join/{token}"

    page = client.get(url)
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "This invitation was sent to michelle@quilted.example" in text
    assert "Join as" not in text
    before = counts(engine)
    response = client.post(url, data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 403
    assert counts(engine) == before
    assert invitation_states(client, admin.email, login) == ["pending"]


def test_an_unverified_account_with_the_invited_address_cannot_accept(
    client, engine, login, make_account, admin_invitation
):
    admin, token = admin_invitation
    squatter = make_account("michelle@quilted.example", verified=False)
    login(squatter.email)

    response = client.post("/c/quilted/api/v1/invitations/accept", json={"token": token})

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "email_unverified"
    assert client.get("/c/quilted/api/v1/").status_code == 404
    assert invitation_states(client, admin.email, login) == ["pending"]


def test_the_invited_verified_account_accepts_in_any_case(client, login, make_account, admin_invitation):
    _, token = admin_invitation
    login(make_account("Michelle@Quilted.example").email)
    response = client.post("/c/quilted/api/v1/invitations/accept", json={"token": token})
    assert response.status_code == 200
    assert response.get_json()["role"] == "admin"


def test_a_new_person_joining_through_the_link_has_a_verified_address(app, engine, admin_invitation):
    _, token = admin_invitation
    newcomer = app.test_client()
    url = f"/c/quilted/join/{token}"
    response = newcomer.post(
        url, data={"csrf_token": csrf_token(newcomer, url), "name": "Michelle", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    with engine.connect() as conn:
        verified = conn.exec_driver_sql(
            "SELECT email_verified_at FROM accounts WHERE email = 'michelle@quilted.example'"
        ).scalar()
    assert verified is not None
