"""A co-op with a rulebook and people of every role, for governance tests."""

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest


def later(**delta):
    return (datetime.now(timezone.utc) + timedelta(**delta)).isoformat()


@pytest.fixture
def coop(app, client, login, make_tenant, make_account, add_member):
    """Design Action: an admin, three members and a candidate, with the design-action rulebook."""
    tenant, admin = make_tenant("design-action", name="Design Action Collective")
    members = [make_account(name=f"Designer {i}") for i in range(3)]
    for member in members:
        add_member(tenant, member, "member")
    candidate = make_account(name="New designer")
    add_member(tenant, candidate, "candidate")
    login(admin.email)
    adopted = client.post("/c/design-action/api/v1/rulebook/adopt", json={"preset": "design-action"})
    assert adopted.status_code == 201, adopted.get_json()
    return SimpleNamespace(tenant=tenant, admin=admin, members=members, candidate=candidate, slug="design-action")


@pytest.fixture
def as_(app, login):
    """as_(person) -> a test client logged in as that person."""

    def client_for(person):
        client = app.test_client()
        login(person.email, who=client)
        return client

    return client_for


def open_proposal(client, slug="design-action", **overrides):
    body = {
        "category": "day-to-day",
        "title": "Buy a risograph",
        "body": "For the print shop.",
        "closes_at": later(days=3),
        **overrides,
    }
    response = client.post(f"/c/{slug}/api/v1/proposals", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
