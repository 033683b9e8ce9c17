"""Quilted with its rulebook, register and probation policy, for the membership tests."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest


def months_ago(months, days=0):
    today = date.today()
    year, month = divmod(today.month - 1 - months, 12)
    return date(today.year + year, month + 1, min(today.day, 28)) - timedelta(days=days)


@pytest.fixture
def quilted(client, login, make_tenant, make_account, add_member):
    """Quilted: an admin (Erik), two members, the Quilted rulebook and its probation policy."""
    tenant, admin = make_tenant("quilted", name="Quilted")
    members = [make_account(name=n) for n in ("Colin Sagan", "Alex Hage")]
    login(admin.email)
    assert client.post("/c/quilted/api/v1/rulebook/adopt", json={"preset": "quilted"}).status_code == 201
    for account in members:
        add_member(tenant, account, "member")
    for who, since in ((admin, "2011-01-01"), (members[0], "2012-03-01"), (members[1], "2015-06-01")):
        response = client.post(
            "/c/quilted/api/v1/members", json={"email": who.email, "name": who.name, "status": "member", "since": since}
        )
        assert response.status_code == 201, response.get_json()
    policy = client.put(
        "/c/quilted/api/v1/membership-policy",
        json={
            "probation_months": 6,
            "probation_hours": 520,
            "require": "both",
            "buy_in": "5000.00",
            "buy_in_instalments": 10,
            "entrance_fee": "0.00",
        },
    )
    assert policy.status_code == 200, policy.get_json()
    return tenant, admin, members


@pytest.fixture
def as_(app, login):
    """as_(person) -> a test client logged in as that person."""

    def client_for(person):
        other = app.test_client()
        login(person.email, who=other)
        return other

    return client_for


def add_candidate(client, slug="quilted", since=None, email="kyle@quilted.example", name="Kyle Wagener"):
    response = client.post(
        f"/c/{slug}/api/v1/members",
        json={"email": email, "name": name, "status": "candidate", "since": (since or months_ago(7)).isoformat()},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["account_id"]


def everyone_agrees(voters, proposal_id, slug="quilted"):
    for voter in voters:
        response = voter.put(f"/c/{slug}/api/v1/proposals/{proposal_id}/position", json={"stance": "agree"})
        assert response.status_code == 200, response.get_json()


def quilted_people(quilted, as_, client):
    tenant, admin, members = quilted
    return SimpleNamespace(
        tenant=tenant, admin=admin, colin=members[0], alex=members[1], erik_client=client, colin_client=as_(members[0])
    )
