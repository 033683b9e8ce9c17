"""Who votes comes from the register's status, not from the access role."""

from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from coopnet.tenants.governance.rules import CONSENSUS, rule_from_dict, rule_to_dict
from tests.tenants.membership.conftest import everyone_agrees


@pytest.fixture
def register(quilted, client, make_account, add_member):
    """Quilted's register with one person in each status, plus an admin who is a candidate
    and a member with access but no register entry yet."""
    tenant, admin, members = quilted
    people = {"erik": admin.id, "colin": members[0].id, "alex": members[1].id}
    since = (date.today() - timedelta(days=30)).isoformat()
    for status in ("leave", "withdrawn", "expelled"):
        account = make_account(name=f"The {status}")
        add_member(tenant, account, "member")
        body = {"email": account.email, "name": account.name, "status": "member", "since": "2020-01-01"}
        assert client.post("/c/quilted/api/v1/members", json=body).status_code == 201
        people[status] = account.id
    moves = {
        "leave": [("leave", "parental leave")],
        "withdrawn": [("withdrawn", "resigned")],
        "expelled": [("expelled", "decided at the meeting")],
    }
    for status, steps in moves.items():
        for to, reason in steps:
            response = client.post(
                f"/c/quilted/api/v1/members/{people[status]}/status", json={"status": to, "on": since, "reason": reason}
            )
            assert response.status_code == 200, response.get_json()
    for status in ("applicant", "candidate"):  # entered afresh with that status
        account = make_account(name=f"New {status}")
        add_member(tenant, account, "candidate")
        body = {"email": account.email, "name": account.name, "status": status, "since": since}
        assert client.post("/c/quilted/api/v1/members", json=body).status_code == 201
        people[status] = account.id
    admin_candidate = make_account(name="Admin on probation")
    add_member(tenant, admin_candidate, "admin")
    body = {"email": admin_candidate.email, "name": "Admin on probation", "status": "candidate", "since": since}
    assert client.post("/c/quilted/api/v1/members", json=body).status_code == 201
    people["admin_candidate"] = admin_candidate.id
    unregistered = make_account(name="Not in the register yet")
    add_member(tenant, unregistered, "member")
    people["unregistered"] = unregistered.id
    return tenant, people


@pytest.mark.parametrize(
    ("rule", "voters"),
    [
        (CONSENSUS, {"erik", "colin", "alex", "leave", "unregistered"}),
        (replace(CONSENSUS, leave_votes=False), {"erik", "colin", "alex", "unregistered"}),
        (
            replace(CONSENSUS, candidates_vote=True),
            {"erik", "colin", "alex", "leave", "unregistered", "candidate", "admin_candidate"},
        ),
    ],
)
def test_eligible_voters_follow_register_status(app, register, rule, voters):
    from coopnet.database import tenant_scope
    from coopnet.extensions import db
    from coopnet.platform.models import Tenant
    from coopnet.tenants.governance import proposals

    tenant, people = register
    with app.app_context():
        coop = db.session.get(Tenant, tenant.id)
        with tenant_scope(db.session, "quilted"):
            eligible = set(proposals.eligible_voters(db.session, coop, rule))
            assert proposals.eligible_count(db.session, coop, rule) == len(voters)
            for name, account_id in people.items():
                assert proposals.may_vote(db.session, coop, rule, account_id) is (name in voters), name
            db.session.rollback()
    assert eligible == {people[name] for name in voters}


def test_a_candidate_admin_takes_no_position_and_leave_counts_in_the_quorum(register, client, app, as_):
    """Through the API: the admin on probation is refused a position; the quorum counts
    the member on leave (Quilted's rulebook says nothing against it)."""
    _, people = register
    from datetime import datetime, timezone

    closes = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    opened = client.post(
        "/c/quilted/api/v1/proposals", json={"category": "day-to-day", "title": "Buy a server", "closes_at": closes}
    ).get_json()
    assert opened["eligible"] == 5
    with app.app_context():
        from coopnet.extensions import db
        from coopnet.platform.models import Account

        admin_candidate = db.session.get(Account, people["admin_candidate"])
        email = admin_candidate.email
    them = as_(SimpleNamespace(email=email))
    refused = them.put(f"/c/quilted/api/v1/proposals/{opened['id']}/position", json={"stance": "agree"})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "not_eligible"


def test_leave_votes_is_part_of_every_rule_and_defaults_to_true():
    assert rule_from_dict({"method": "consensus"}).leave_votes is True
    assert rule_to_dict(replace(CONSENSUS, leave_votes=False))["leave_votes"] is False
    with pytest.raises(ValueError):
        rule_from_dict({"method": "consensus", "leave_votes": "no"})


def test_the_rulebook_shows_leave_votes_for_every_category(quilted, client):
    categories = client.get("/c/quilted/api/v1/rulebook").get_json()["categories"]
    assert categories and all(c["leave_votes"] is True for c in categories)


def test_a_rulebook_may_keep_people_on_leave_from_voting(quilted, client, as_):
    _, _, members = quilted
    colin, alex = as_(members[0]), as_(members[1])
    current = client.get("/c/quilted/api/v1/rulebook").get_json()
    categories = {rule.pop("key"): {**rule, "leave_votes": False} for rule in current["categories"]}
    from datetime import datetime, timezone

    closes = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    change = client.post(
        "/c/quilted/api/v1/proposals",
        json={
            "category": "rulebook",
            "title": "People on leave rest from voting",
            "closes_at": closes,
            "rulebook_change": {"categories": categories},
        },
    ).get_json()
    everyone_agrees([client, colin, alex], change["id"])
    assert client.post(f"/c/quilted/api/v1/proposals/{change['id']}/close").get_json()["outcome"] == "passed"
    assert (
        client.post(
            f"/c/quilted/api/v1/members/{members[1].id}/status", json={"status": "leave", "reason": "sabbatical"}
        ).status_code
        == 200
    )
    opened = client.post(
        "/c/quilted/api/v1/proposals", json={"category": "day-to-day", "title": "A new laptop", "closes_at": closes}
    ).get_json()
    assert opened["eligible"] == 2
    refused = alex.put(f"/c/quilted/api/v1/proposals/{opened['id']}/position", json={"stance": "agree"})
    assert refused.status_code == 403
