"""Issue 6, vulnerability 6: invitations are limited per co-op, per account, and more
tightly in a co-op's first week; names in invitation mail are one plain line."""

import pytest
from sqlalchemy import text

from tests.conftest import PASSWORD, csrf_token, platform_mail


def burst(client, slug, count, prefix="guest"):
    return [
        client.post(f"/c/{slug}/api/v1/invitations", json={"email": f"{prefix}{i}@example.org"}).status_code
        for i in range(count)
    ]


def sent(client, slug):
    invitations = client.get(f"/c/{slug}/api/v1/invitations").get_json()["invitations"]
    return len(invitations), len(client.get(f"/c/{slug}/api/v1/outbox").get_json()["messages"])


def age(engine, slug, days):
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE tenants SET created_at = now() - make_interval(days => :days) WHERE slug = :slug"),
            {"days": days, "slug": slug},
        )


def test_a_co_op_in_its_first_week_sends_ten_invitations_a_day(client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)

    statuses = burst(client, "quilted", 30)

    assert statuses == [201] * 10 + [429] * 20
    response = client.post("/c/quilted/api/v1/invitations", json={"email": "one-more@example.org"})
    assert response.get_json()["error"]["code"] == "too_many_invitations"
    assert "first 7 days" in response.get_json()["error"]["message"]
    assert sent(client, "quilted") == (10, 10)


def test_an_older_co_op_sends_twenty_an_hour(client, engine, login, make_tenant):
    _, admin = make_tenant("quilted")
    age(engine, "quilted", 8)
    login(admin.email)
    assert burst(client, "quilted", 25) == [201] * 20 + [429] * 5
    assert sent(client, "quilted") == (20, 20)


def test_one_account_is_limited_across_its_co_ops(app, client, engine, login, make_tenant, add_member, monkeypatch):
    monkeypatch.setitem(app.config, "INVITATIONS_PER_ACCOUNT_LIMIT", "3 per hour")
    _, admin = make_tenant("quilted")
    other, _ = make_tenant("design-action")
    add_member(other, admin, "admin")
    login(admin.email)
    assert burst(client, "quilted", 2) == [201, 201]
    assert burst(client, "design-action", 2, prefix="other") == [201, 429]
    assert sent(client, "design-action") == (1, 1)


def test_the_members_page_shows_the_limit(client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    burst(client, "quilted", 10)
    url = "/c/quilted/members"
    response = client.post(
        url, data={"csrf_token": csrf_token(client, url), "email": "x@example.org", "role": "member"}
    )
    assert response.status_code == 429
    assert "10 invitations a day" in response.get_data(as_text=True)
    assert sent(client, "quilted") == (10, 10)


NAMES_WITH_LINE_BREAKS = ["Quilted\r\nBcc: everyone@example.org", "Quilted\nSecond line", "Quilted\u2028x", "Q\x07"]


@pytest.mark.parametrize("name", NAMES_WITH_LINE_BREAKS)
def test_line_breaks_in_names_are_refused_at_input(client, engine, name):
    founder = {"name": name, "email": "erik@quilted.example", "password": PASSWORD}
    response = client.post("/api/v1/signup", json={"name": name, "slug": "quilted", "founder": founder})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert "one line" in fields["name"] and "one line" in fields["founder.name"]
    assert platform_mail(engine) == []


def test_line_breaks_in_a_token_name_or_a_joining_name_are_refused(app, client, login, make_tenant, make_account):
    login(make_account().email)
    assert client.post("/api/v1/tokens", json={"name": "ci\r\nx"}).status_code == 422
    from tests.tenants.membership.test_invitations import invite, link_in_outbox

    _, admin = make_tenant("quilted")
    client.delete("/api/v1/session")
    login(admin.email)
    invite(client, "quilted", "newcomer@example.org")
    _, token = link_in_outbox(client, "quilted")
    visitor = app.test_client()
    url = f"/c/quilted/join/{token}"
    form = {"csrf_token": csrf_token(visitor, url), "name": "New\r\nBcc: x@example.org", "password": PASSWORD}
    response = visitor.post(url, data=form)
    assert response.status_code == 422
    assert "one line" in response.get_data(as_text=True)


def test_names_in_invitation_mail_are_plain_text_on_one_line(client, engine, login, make_tenant):
    _, admin = make_tenant("quilted", name="<b>Quilted</b> & co")
    with engine.begin() as conn:  # a name stored before line breaks were refused
        conn.execute(text("UPDATE accounts SET name = 'Erik\r\nBcc: all@example.org' WHERE id = :id"), {"id": admin.id})
    login(admin.email)
    client.post("/c/quilted/api/v1/invitations", json={"email": "michelle@example.org"})
    [message] = client.get("/c/quilted/api/v1/outbox").get_json()["messages"]
    assert message["subject"] == "Erik Bcc: all@example.org invites you to join <b>Quilted</b> & co on coopnet"
    assert message["body"].startswith("Erik Bcc: all@example.org has invited you to join <b>Quilted</b> & co as")
