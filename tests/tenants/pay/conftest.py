"""The Quilted co-op most pay tests start from."""

from datetime import date

import pytest

YEAR = date.today().year - 1


@pytest.fixture
def coop(client, login, make_tenant, make_account, add_member, app):
    """Quilted: an admin and two members who log time; equal pay of $25 an hour, $15 for trainees."""
    tenant, admin = make_tenant("quilted", name="Quilted")
    members = [make_account(name=n) for n in ("Colin Sagan", "Alex Hage")]
    for member in members:
        add_member(tenant, member, "member")
    login(admin.email)
    policy = client.post(
        "/c/quilted/api/v1/pay-policies",
        json={
            "effective_from": f"{YEAR}-01-01",
            "rates": {"member": "25.00", "candidate": "25.00", "trainee": "15.00"},
            "kind_multipliers": {"web development": "2"},
        },
    )
    assert policy.status_code == 201, policy.get_json()
    return tenant, admin, members
