"""Withdrawal and expulsion as the co-op's decisions, and what the co-op owes back at exit."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from tests.tenants.membership.conftest import add_candidate, everyone_agrees


def close(client, proposal_id, slug="quilted"):
    response = client.post(f"/c/{slug}/api/v1/proposals/{proposal_id}/close")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def adopt_own_category(client, voters, category="expulsion", slug="quilted"):
    """Pass a rulebook change that gives exits a category of their own (consensus)."""
    current = client.get(f"/c/{slug}/api/v1/rulebook").get_json()
    categories = {rule.pop("key"): rule for rule in current["categories"]}
    categories[category] = dict(categories["hiring"])
    closes = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    opened = client.post(
        f"/c/{slug}/api/v1/proposals",
        json={
            "category": "rulebook",
            "title": f"Decide {category} by itself",
            "closes_at": closes,
            "rulebook_change": {"categories": categories},
        },
    )
    assert opened.status_code == 201, opened.get_json()
    everyone_agrees(voters, opened.get_json()["id"], slug)
    assert close(client, opened.get_json()["id"], slug)["outcome"] == "passed"
    assert category in [c["key"] for c in client.get(f"/c/{slug}/api/v1/rulebook").get_json()["categories"]]


def test_a_withdrawal_passes_the_vote_then_the_buy_in_is_refunded(quilted, client, as_):
    _, _, members = quilted
    kyle = add_candidate(client)
    url = f"/c/quilted/api/v1/members/{kyle}"
    assert (
        client.post(f"{url}/payments", json={"amount": "1500.00", "paid_on": date.today().isoformat()}).status_code
        == 201
    )
    proposed = client.post(f"{url}/exit", json={"status": "withdrawn", "reason": "Kyle is moving to Oakland."})
    assert proposed.status_code == 201, proposed.get_json()
    body = proposed.get_json()
    assert (body["status"], body["state"], body["exited_on"], body["owed"]) == ("withdrawn", "proposed", None, None)
    proposal = client.get(f"/c/quilted/api/v1/proposals/{body['proposal_id']}").get_json()
    assert proposal["category"] == "admission"  # Quilted's rulebook has no withdrawal category
    assert client.get(url).get_json()["status"] == "candidate"  # nothing changes until the vote
    # The register's members vote: Erik, Colin and Alex (Kyle is a candidate).
    everyone_agrees([client, as_(members[0]), as_(members[1])], body["proposal_id"])
    assert close(client, body["proposal_id"])["outcome"] == "passed"
    person = client.get(url).get_json()
    assert person["status"] == "withdrawn" and person["since"] == date.today().isoformat()
    assert person["history"][-1]["proposal_id"] == body["proposal_id"]
    assert person["exit"] == {
        "status": "withdrawn",
        "exited_on": date.today().isoformat(),
        "proposal_id": body["proposal_id"],
        "reason": "Kyle is moving to Oakland.",
        "owed_at_exit": "1500.00",
        "still_owed": "1500.00",
    }
    part = client.post(f"{url}/refund", json={"amount": "500.00"})
    assert part.status_code == 201 and part.get_json()["amount"] == "-500.00"
    too_much = client.post(f"{url}/refund", json={"amount": "1000.01"})
    assert too_much.status_code == 422 and "amount" in too_much.get_json()["error"]["fields"]
    assert client.post(f"{url}/refund", json={"amount": "0.001"}).status_code == 422
    rest = client.post(f"{url}/refund", json={})
    assert rest.status_code == 201 and rest.get_json()["amount"] == "-1000.00"
    after = client.get(url).get_json()["exit"]
    assert (after["owed_at_exit"], after["still_owed"]) == ("1500.00", "0.00")
    nothing = client.post(f"{url}/refund", json={})
    assert nothing.status_code == 409 and nothing.get_json()["error"]["code"] == "nothing_owed"
    payments = client.get(f"{url}/payments").get_json()["payments"]
    assert [p["amount"] for p in payments] == ["1500.00", "-500.00", "-1000.00"]


def test_an_expulsion_in_its_own_category_and_the_vote_decides(quilted, client, as_, app):
    _, admin, members = quilted
    colin, alex = as_(members[0]), as_(members[1])
    adopt_own_category(client, [client, colin, alex])
    url = f"/c/quilted/api/v1/members/{members[1].id}"
    before = client.get(url).get_json()
    by_hand = client.post(f"{url}/status", json={"status": "expelled", "reason": "x"})
    assert by_hand.status_code == 409 and by_hand.get_json()["error"]["code"] == "decision_required"
    assert client.get(url).get_json() == before
    proposed = colin.post(f"{url}/exit", json={"status": "expelled", "reason": "Took a client's files."})
    assert proposed.status_code == 201, proposed.get_json()
    proposal_id = proposed.get_json()["proposal_id"]
    assert client.get(f"/c/quilted/api/v1/proposals/{proposal_id}").get_json()["category"] == "expulsion"
    again = client.post(f"{url}/exit", json={"status": "expelled", "reason": "Again."})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "exit_open"
    assert (
        client.put(f"/c/quilted/api/v1/proposals/{proposal_id}/position", json={"stance": "agree"}).status_code == 200
    )
    assert colin.put(f"/c/quilted/api/v1/proposals/{proposal_id}/position", json={"stance": "agree"}).status_code == 200
    assert (
        alex.put(f"/c/quilted/api/v1/proposals/{proposal_id}/position", json={"stance": "disagree"}).status_code == 200
    )
    assert close(client, proposal_id)["outcome"] == "failed"
    assert client.get(url).get_json() == before  # Alex stays a member, with no exit
    with app.app_context():
        from coopnet.extensions import db

        states = db.session.execute(text("SELECT state FROM t_quilted.member_exits")).scalars().all()
        mail = (
            db.session.execute(
                text(
                    "SELECT to_address FROM t_quilted.outbox_messages WHERE subject LIKE '%Not agreed: the expulsion%'"
                )
            )
            .scalars()
            .all()
        )
    assert states == ["not_agreed"] and mail == [admin.email]
    # Now it may be proposed again.
    assert colin.post(f"{url}/exit", json={"status": "expelled", "reason": "Again."}).status_code == 201


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("admin", {"status": "withdrawn", "reason": ""}, 422, "validation_failed"),
        ("admin", {"status": "leave", "reason": "x"}, 422, "validation_failed"),
        ("admin", {"status": "withdrawn"}, 422, "validation_failed"),
        ("admin", {"status": "withdrawn", "reason": "x" * 2001}, 422, "validation_failed"),
        ("member", {"status": "withdrawn", "reason": "I say they want to go"}, 403, "role_required"),
        ("candidate", {"status": "expelled", "reason": "I do not like them"}, 403, "role_required"),
    ],
)
def test_bad_exit_proposals_change_nothing(quilted, client, as_, app, who, body, status, code):
    _, _, members = quilted
    kyle = add_candidate(client, email="kyle@quilted.example")
    target = f"/c/quilted/api/v1/members/{members[1].id}"
    caller = {"admin": client, "member": as_(members[0])}.get(who)
    if who == "candidate":
        with app.app_context():  # Kyle sets a password so he can log in
            from coopnet.extensions import db
            from coopnet.platform.models import Account

            db.session.get(Account, kyle).password_hash = app.extensions["coopnet.hasher"].hash("correct horse battery")
            db.session.commit()
        caller = app.test_client()
        caller.post("/api/v1/session", json={"email": "kyle@quilted.example", "password": "correct horse battery"})
    before = client.get("/c/quilted/api/v1/proposals").get_json()
    response = caller.post(f"{target}/exit", json=body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert client.get("/c/quilted/api/v1/proposals").get_json() == before
    assert client.get(target).get_json()["status"] == "member"


def test_someone_who_left_cannot_be_proposed_out_again(quilted, client):
    _, _, members = quilted
    url = f"/c/quilted/api/v1/members/{members[1].id}"
    assert client.post(f"{url}/status", json={"status": "withdrawn", "reason": "Resigned by letter"}).status_code == 200
    response = client.post(f"{url}/exit", json={"status": "expelled", "reason": "x"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "status_not_allowed"


def test_retained_surplus_in_the_capital_account_is_owed_back_with_the_buy_in(quilted, client, as_):
    _, _, members = quilted
    kyle = add_candidate(client)
    url = f"/c/quilted/api/v1/members/{kyle}"
    last_year = date.today().year - 1
    assert (
        client.post(f"{url}/payments", json={"amount": "1500.00", "paid_on": date.today().isoformat()}).status_code
        == 201
    )
    # Last year Kyle worked 10 hours and nobody else logged any: the members' share is his.
    policy = {"reserve_share": "0.25", "funds": [], "basis": "hours", "cash_share": "0.20"}
    assert client.put("/c/quilted/api/v1/surplus-policy", json=policy).status_code == 200
    logged = client.post(
        "/c/quilted/api/v1/time-entries",
        json={
            "worked_on": f"{last_year}-06-01",
            "minutes": 600,
            "kind": "internal",
            "billable": False,
            "account_id": kyle,
        },
    )
    assert logged.status_code == 201, logged.get_json()
    split = client.post("/c/quilted/api/v1/surplus-allocations", json={"fiscal_year": last_year, "surplus": "1000.00"})
    assert split.get_json()["members"] == [
        {"account_id": kyle, "hours": "10.00", "allocation": "750.00", "cash": "150.00", "retained": "600.00"}
    ]
    proposed = client.post(f"{url}/exit", json={"status": "withdrawn", "reason": "Moving on."}).get_json()
    assert "2100.00" in client.get(f"/c/quilted/api/v1/proposals/{proposed['proposal_id']}").get_json()["body"]
    everyone_agrees([client, as_(members[0]), as_(members[1])], proposed["proposal_id"])
    assert close(client, proposed["proposal_id"])["outcome"] == "passed"
    assert client.get(url).get_json()["exit"]["owed_at_exit"] == "2100.00"

    too_much = client.post(f"{url}/refund", json={"amount": "2100.01"})
    assert too_much.status_code == 422
    first = client.post(f"{url}/refund", json={"amount": "1600.00"})
    assert first.status_code == 201 and first.get_json()["amount"] == "-1600.00"
    # The buy-in first, then the capital account: 100.00 of the 600.00 retained is redeemed.
    assert [p["amount"] for p in client.get(f"{url}/payments").get_json()["payments"]] == ["1500.00", "-1500.00"]
    capital = client.get(f"/c/quilted/api/v1/capital-accounts/{kyle}").get_json()
    assert capital["balance"] == "500.00"
    assert [(e["kind"], e["amount"]) for e in capital["entries"]][-1] == ("redemption", "-100.00")
    assert client.get(url).get_json()["exit"]["still_owed"] == "500.00"
    rest = client.post(f"{url}/refund", json={})
    assert rest.status_code == 201 and rest.get_json() | {"paid_on": None} == {
        "id": None,
        "account_id": kyle,
        "amount": "-500.00",
        "paid_on": None,
        "note": "refunded at exit",
    }
    assert client.get(f"/c/quilted/api/v1/capital-accounts/{kyle}").get_json()["balance"] == "0.00"
    assert client.post(f"{url}/refund", json={}).get_json()["error"]["code"] == "nothing_owed"


def test_an_exit_recorded_by_hand_ends_office_and_records_what_is_owed(quilted, client):
    """Co-ops whose rulebook has no exit category may record one decided at a meeting."""
    _, _, members = quilted
    colin = members[0].id
    today = date.today()
    terms = [
        {"role": "bookkeeper", "account_id": colin, "starts_on": (today - timedelta(days=100)).isoformat()},
        {"role": "webmaster", "account_id": colin, "starts_on": (today + timedelta(days=30)).isoformat()},
    ]
    for term in terms:
        assert client.post("/c/quilted/api/v1/officers", json=term).status_code == 201
    left = client.post(f"/c/quilted/api/v1/members/{colin}/status", json={"status": "withdrawn", "reason": "Retired"})
    assert left.status_code == 200
    assert left.get_json()["exit"]["owed_at_exit"] == "0.00" and left.get_json()["exit"]["proposal_id"] is None
    officers = client.get("/c/quilted/api/v1/officers").get_json()
    assert [(t["role"], t["ends_on"]) for t in officers["terms"] if t["account_id"] == colin] == [
        ("bookkeeper", today.isoformat())
    ]
    refund = client.post(f"/c/quilted/api/v1/members/{colin}/refund", json={})
    assert refund.status_code == 409 and refund.get_json()["error"]["code"] == "nothing_owed"


def test_refunds_are_for_people_who_left_and_not_by_officers_for_themselves(quilted, client):
    _, admin, members = quilted
    staying = client.post(f"/c/quilted/api/v1/members/{members[0].id}/refund", json={"amount": "1.00"})
    assert staying.status_code == 409 and staying.get_json()["error"]["code"] == "not_left"
    own = client.post(f"/c/quilted/api/v1/members/{admin.id}/refund", json={})
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "own_record"
    member = client.post(f"/c/quilted/api/v1/members/{members[0].id}/refund", json={"paid_on": "tomorrow"})
    assert member.status_code in (409, 422)


def test_another_coop_proposes_and_refunds_nothing(quilted, client, make_tenant, app):
    _, _, members = quilted
    _, outsider = make_tenant("design-action")
    other = app.test_client()
    other.post("/api/v1/session", json={"email": outsider.email, "password": "correct horse battery"})
    for path, body in (
        (f"/c/quilted/api/v1/members/{members[0].id}/exit", {"status": "expelled", "reason": "x"}),
        (f"/c/quilted/api/v1/members/{members[0].id}/refund", {}),
    ):
        assert other.post(path, json=body).status_code == 404
    assert client.get("/c/quilted/api/v1/proposals").get_json()["proposals"] == []


def test_someone_who_leaves_while_their_exit_is_voted_on_is_not_moved_twice(quilted, client, as_, app):
    """Alex deletes their account while the vote on their expulsion is open: the register
    records the departure once, and the vote's end changes nothing and mails nobody."""
    tenant, _, members = quilted
    url = f"/c/quilted/api/v1/members/{members[1].id}"
    proposal_id = client.post(f"{url}/exit", json={"status": "expelled", "reason": "x"}).get_json()["proposal_id"]
    with app.app_context():
        from coopnet.database import tenant_scope
        from coopnet.extensions import db
        from coopnet.tenants.membership.lifecycle import record_departure

        with tenant_scope(db.session, "quilted"):
            from coopnet.platform.models import Tenant

            record_departure(db.session, db.session.get(Tenant, tenant.id), members[1].id, "Deleted their account.")
            db.session.commit()
    everyone_agrees([client, as_(members[0])], proposal_id)
    assert close(client, proposal_id)["outcome"] == "passed"
    person = client.get(url).get_json()
    assert person["status"] == "withdrawn" and [h["to_status"] for h in person["history"]] == ["member", "withdrawn"]
    assert person["exit"]["status"] == "withdrawn" and person["exit"]["proposal_id"] is None
    with app.app_context():
        from coopnet.extensions import db

        states = db.session.execute(text("SELECT state FROM t_quilted.member_exits ORDER BY id")).scalars().all()
        mail = db.session.execute(
            text("SELECT count(*) FROM t_quilted.outbox_messages WHERE subject LIKE '%Not agreed%'")
        ).scalar()
    assert states == ["not_agreed", "done"] and mail == 0


def test_an_exit_agreed_that_no_longer_applies_tells_the_admins_so(quilted, client, as_, app):
    """Alex's expulsion passes, but meanwhile the register shows Alex as an applicant (from
    which nobody is expelled): Alex stays, and the admins read that it was agreed but not
    applied, not that it was "not agreed"."""
    _, admin, members = quilted
    url = f"/c/quilted/api/v1/members/{members[1].id}"
    proposal_id = client.post(f"{url}/exit", json={"status": "expelled", "reason": "x"}).get_json()["proposal_id"]
    everyone_agrees([client, as_(members[0]), as_(members[1])], proposal_id)
    with app.app_context():
        from coopnet.extensions import db

        db.session.execute(
            text("UPDATE t_quilted.member_records SET status = 'applicant' WHERE account_id = :id"),
            {"id": members[1].id},
        )
        db.session.commit()
    assert close(client, proposal_id)["outcome"] == "passed"
    assert client.get(url).get_json()["status"] == "applicant"
    with app.app_context():
        from coopnet.extensions import db

        mail = db.session.execute(
            text("SELECT to_address, subject, body FROM t_quilted.outbox_messages WHERE subject LIKE '%expulsion%'")
        ).all()
        state = db.session.execute(text("SELECT state FROM t_quilted.member_exits")).scalar()
    assert state == "not_agreed"
    assert [(to, subject) for to, subject, _ in mail] == [
        (admin.email, f"[Quilted] Agreed but not applied: the expulsion of {members[1].name}")
    ]
    assert "passed, but" in mail[0][2] and "applicant" in mail[0][2]
