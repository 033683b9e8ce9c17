"""Rota swaps the other member agrees to, and officer terms that end."""

from datetime import date, datetime, timedelta, timezone

import pytest


@pytest.fixture
def rota(quilted, client):
    """Electric Embers style: a week of 24-hour shifts over Erik, Colin and Alex, from next week."""
    _, admin, members = quilted
    people = [admin.id, members[0].id, members[1].id]
    start = (datetime.now(timezone.utc) + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    made = client.post(
        "/c/quilted/api/v1/rota", json={"participants": people, "starts_at": start.isoformat(), "days": 6}
    )
    assert made.status_code == 201
    shifts = made.get_json()["shifts"]
    first = {person: next(s["id"] for s in shifts if s["account_id"] == person) for person in people}
    return admin, members, first


def holders(client):
    return {s["id"]: s["account_id"] for s in client.get("/c/quilted/api/v1/rota").get_json()["shifts"]}


def test_a_swap_happens_when_the_other_member_accepts(rota, client, as_, app):
    admin, members, first = rota
    colin = as_(members[0])
    asked = colin.post(
        f"/c/quilted/api/v1/rota/{first[members[0].id]}/swap-requests", json={"with_shift_id": first[admin.id]}
    )
    assert asked.status_code == 201, asked.get_json()
    request = asked.get_json()
    assert (request["state"], request["asked_by"], request["asked_of"]) == ("asked", members[0].id, admin.id)
    before = holders(client)
    assert before[first[admin.id]] == admin.id  # nothing changes hands yet
    mine = client.get("/c/quilted/api/v1/rota/swap-requests").get_json()["swap_requests"]
    assert [r["id"] for r in mine] == [request["id"]]
    # Only the member asked answers; the asker cannot accept for them.
    assert colin.post(f"/c/quilted/api/v1/rota/swap-requests/{request['id']}/accept").status_code == 403
    assert as_(members[1]).post(f"/c/quilted/api/v1/rota/swap-requests/{request['id']}/accept").status_code == 403
    assert holders(client) == before
    accepted = client.post(f"/c/quilted/api/v1/rota/swap-requests/{request['id']}/accept")
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "accepted"
    after = holders(client)
    assert (after[first[admin.id]], after[first[members[0].id]]) == (members[0].id, admin.id)
    again = client.post(f"/c/quilted/api/v1/rota/swap-requests/{request['id']}/decline")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "swap_answered"
    with app.app_context():
        from sqlalchemy import text

        from coopnet.extensions import db

        subjects = (
            db.session.execute(
                text("SELECT to_address FROM t_quilted.outbox_messages WHERE subject LIKE '%asks to swap%'")
            )
            .scalars()
            .all()
        )
    assert subjects == [admin.email]


def test_declined_and_withdrawn_swaps_change_nothing(rota, client, as_):
    admin, members, first = rota
    colin = as_(members[0])
    url = f"/c/quilted/api/v1/rota/{first[members[0].id]}/swap-requests"
    before = holders(client)
    one = colin.post(url, json={"with_shift_id": first[admin.id]}).get_json()
    twice = colin.post(url, json={"with_shift_id": first[admin.id]})
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "swap_asked"
    assert client.post(f"/c/quilted/api/v1/rota/swap-requests/{one['id']}/decline").get_json()["state"] == "declined"
    two = colin.post(url, json={"with_shift_id": first[members[1].id]}).get_json()
    assert client.post(f"/c/quilted/api/v1/rota/swap-requests/{two['id']}/withdraw").status_code == 403
    assert colin.post(f"/c/quilted/api/v1/rota/swap-requests/{two['id']}/withdraw").get_json()["state"] == "withdrawn"
    assert holders(client) == before


@pytest.mark.parametrize(
    ("mine", "theirs", "status", "code"),
    [
        ("admin", "colin", 403, "not_your_shift"),  # Colin offers Erik's shift
        ("colin", "colin2", 409, "same_holder"),
        ("colin", "missing", 404, "not_found"),
    ],
)
def test_bad_swap_requests_are_refused(rota, client, as_, mine, theirs, status, code):
    admin, members, first = rota
    colin_second = [s for s, who in holders(client).items() if who == members[0].id][1]
    ids = {"admin": first[admin.id], "colin": first[members[0].id], "colin2": colin_second, "missing": 999999}
    before = holders(client)
    response = as_(members[0]).post(
        f"/c/quilted/api/v1/rota/{ids[mine]}/swap-requests", json={"with_shift_id": ids[theirs]}
    )
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    assert holders(client) == before
    assert client.get("/c/quilted/api/v1/rota/swap-requests").get_json()["swap_requests"] == []


def test_a_request_lapses_when_its_shift_changes_hands(rota, client, as_):
    admin, members, first = rota
    colin, alex = as_(members[0]), as_(members[1])
    asked = colin.post(
        f"/c/quilted/api/v1/rota/{first[members[0].id]}/swap-requests", json={"with_shift_id": first[members[1].id]}
    ).get_json()
    # The coordinator records another swap of Colin's shift, agreed at the meeting.
    recorded = client.post(
        f"/c/quilted/api/v1/rota/{first[members[0].id]}/swap", json={"with_shift_id": first[admin.id]}
    )
    assert recorded.status_code == 200
    late = alex.post(f"/c/quilted/api/v1/rota/swap-requests/{asked['id']}/accept")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "swap_answered"
    states = {
        r["id"]: r["state"] for r in colin.get("/c/quilted/api/v1/rota/swap-requests").get_json()["swap_requests"]
    }
    assert states == {asked["id"]: "lapsed"}


def test_another_coops_member_cannot_ask_or_answer(rota, client, make_tenant, app):
    admin, members, first = rota
    _, outsider = make_tenant("design-action")
    other = app.test_client()
    other.post("/api/v1/session", json={"email": outsider.email, "password": "correct horse battery"})
    before = holders(client)
    assert (
        other.post(
            f"/c/quilted/api/v1/rota/{first[admin.id]}/swap-requests", json={"with_shift_id": first[members[0].id]}
        ).status_code
        == 404
    )
    assert other.post("/c/quilted/api/v1/rota/swap-requests/1/accept").status_code == 404
    assert other.get("/c/quilted/api/v1/rota/swap-requests").status_code == 404
    assert holders(client) == before


def test_an_officer_term_ends_early_but_is_never_lengthened(quilted, client, as_):
    _, _, members = quilted
    today = date.today()
    term = client.post(
        "/c/quilted/api/v1/officers",
        json={
            "role": "Coordinator",
            "account_id": members[0].id,
            "starts_on": (today - timedelta(days=60)).isoformat(),
        },
    ).get_json()
    assert term["role"] == "coordinator" and term["ends_on"] is None
    assert (
        as_(members[1])
        .post(f"/c/quilted/api/v1/officers/{term['id']}/end", json={"ends_on": today.isoformat()})
        .status_code
        == 403
    )
    early = client.post(
        f"/c/quilted/api/v1/officers/{term['id']}/end", json={"ends_on": (today + timedelta(days=30)).isoformat()}
    )
    assert early.status_code == 200 and early.get_json()["ends_on"] == (today + timedelta(days=30)).isoformat()
    longer = client.post(
        f"/c/quilted/api/v1/officers/{term['id']}/end", json={"ends_on": (today + timedelta(days=90)).isoformat()}
    )
    assert longer.status_code == 409 and longer.get_json()["error"]["code"] == "term_extended"
    before_start = client.post(
        f"/c/quilted/api/v1/officers/{term['id']}/end", json={"ends_on": (today - timedelta(days=61)).isoformat()}
    )
    assert before_start.status_code == 422
    assert client.post(f"/c/quilted/api/v1/officers/{term['id']}/end", json={"ends_on": "soon"}).status_code == 422
    assert client.post("/c/quilted/api/v1/officers/99999/end", json={"ends_on": today.isoformat()}).status_code == 404
    now = client.post(f"/c/quilted/api/v1/officers/{term['id']}/end", json={"ends_on": today.isoformat()}).get_json()
    assert now["ends_on"] == today.isoformat()
    # The next coordinator may start the day after.
    nxt = client.post(
        "/c/quilted/api/v1/officers",
        json={"role": "coordinator", "account_id": members[1].id, "starts_on": (today + timedelta(days=1)).isoformat()},
    )
    assert nxt.status_code == 201
