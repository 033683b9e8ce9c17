"""Officers enter and correct time for others, members correct their own; every change is kept
with who, when, why and the entry before and after, and shown on the entry and the timesheet."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"


def stored(engine, entry_id):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT worked_on, minutes, kind, note FROM t_quilted.time_entries WHERE id = :id"), {"id": entry_id}
        ).first()


def test_an_officer_corrects_a_members_time_and_the_audit_keeps_before_and_after(coop, client, app):
    _, admin, (colin, _) = coop
    entry = log(client, account_id=colin.id, minutes=150, note="Site launch").get_json()
    fixed = client.put(
        f"{API}/time-entries/{entry['id']}", json={"minutes": 120, "reason": "Colin said two hours, not 2.5"}
    )
    assert fixed.status_code == 200 and fixed.get_json()["minutes"] == 120
    assert fixed.get_json()["note"] == "Site launch"  # fields not sent stay
    changes = client.get(f"{API}/time-entry-changes?account_id={colin.id}").get_json()["changes"]
    assert [(c["action"], c["changed_by"]) for c in changes] == [("changed", admin.id), ("created", admin.id)]
    assert changes[0]["before"]["minutes"] == 150 and changes[0]["after"]["minutes"] == 120
    assert changes[0]["reason"] == "Colin said two hours, not 2.5" and changes[0]["changed_at"]
    assert changes[1]["before"] is None and changes[1]["after"]["note"] == "Site launch"
    # Colin sees the changes to his own time, and corrects it himself too.
    member = as_member(app, colin)
    assert len(member.get(f"{API}/time-entry-changes").get_json()["changes"]) == 2
    own = member.put(f"{API}/time-entries/{entry['id']}", json={"worked_on": f"{YEAR}-03-03"})
    assert own.status_code == 200 and own.get_json()["worked_on"] == f"{YEAR}-03-03"
    assert member.delete(f"{API}/time-entries/{entry['id']}?reason=Logged twice").status_code == 204
    assert member.get(f"{API}/time-entries/{entry['id']}").status_code == 404
    changes = member.get(f"{API}/time-entry-changes?entry_id={entry['id']}").get_json()["changes"]
    assert [c["action"] for c in changes] == ["deleted", "changed", "changed", "created"]
    assert changes[0]["before"]["worked_on"] == f"{YEAR}-03-03" and changes[0]["after"] is None
    assert changes[0]["changed_by"] == colin.id and changes[0]["reason"] == "Logged twice"


def test_a_member_cannot_touch_someone_elses_time(coop, client, app, engine):
    _, _, (colin, alex) = coop
    entry = log(client, account_id=alex.id, minutes=60).get_json()
    member = as_member(app, colin)
    assert member.get(f"{API}/time-entries/{entry['id']}").status_code == 403
    assert member.put(f"{API}/time-entries/{entry['id']}", json={"minutes": 600}).status_code == 403
    assert member.delete(f"{API}/time-entries/{entry['id']}").status_code == 403
    assert member.get(f"{API}/time-entry-changes?account_id={alex.id}").status_code == 403
    assert stored(engine, entry["id"])[1] == 60


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1.5}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"worked_on": "someday"}, "worked_on"),
        ({"kind": "astrology"}, "kind"),
        ({"client_id": 999}, "client_id"),
        ({"reason": "x" * 2001}, "reason"),
    ],
)
def test_a_bad_correction_changes_nothing(coop, client, engine, body, field):
    _, _, (colin, _) = coop
    entry = log(client, account_id=colin.id, minutes=90, note="Kept").get_json()
    refused = client.put(f"{API}/time-entries/{entry['id']}", json=body)
    assert refused.status_code == 422 and field in refused.get_json()["error"]["fields"], refused.get_json()
    assert stored(engine, entry["id"]) == (date(YEAR, 3, 2), 90, "client", "Kept")
    assert [c["action"] for c in client.get(f"{API}/time-entry-changes").get_json()["changes"]] == ["created"]


def test_locked_invoiced_and_overlong_days_are_refused(coop, client, engine):
    _, _, (colin, _) = coop
    long_day = log(client, account_id=colin.id, minutes=1000, worked_on=f"{YEAR}-04-06").get_json()
    other = log(client, account_id=colin.id, minutes=400, worked_on=f"{YEAR}-04-07").get_json()
    moved = client.put(f"{API}/time-entries/{other['id']}", json={"worked_on": f"{YEAR}-04-06", "minutes": 441})
    assert moved.status_code == 422 and "minutes" in moved.get_json()["error"]["fields"]
    grown = client.put(f"{API}/time-entries/{long_day['id']}", json={"minutes": 1440})  # its own minutes replaced
    assert grown.status_code == 200

    union = client.post(f"{API}/clients", json={"name": "Union", "hourly_rate": "40.00"}).get_json()["id"]
    billed = log(client, account_id=colin.id, minutes=60, client_id=union, worked_on=f"{YEAR}-05-04").get_json()
    client.post(
        f"{API}/invoices", json={"client_id": union, "period_start": f"{YEAR}-05-01", "period_end": f"{YEAR}-05-31"}
    )
    invoiced = client.put(f"{API}/time-entries/{billed['id']}", json={"minutes": 600})
    assert invoiced.status_code == 409 and invoiced.get_json()["error"]["code"] == "time_invoiced"

    march = log(client, account_id=colin.id, minutes=60).get_json()
    run = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"})
    client.post(f"{API}/pay-runs/{run.get_json()['id']}/finalise")
    for response in (
        client.put(f"{API}/time-entries/{march['id']}", json={"minutes": 30}),
        client.delete(f"{API}/time-entries/{march['id']}"),
        client.put(f"{API}/time-entries/{other['id']}", json={"worked_on": f"{YEAR}-03-20"}),  # into a locked month
    ):
        assert response.status_code == 409 and response.get_json()["error"]["code"] == "period_locked"
    assert stored(engine, march["id"])[1] == 60 and stored(engine, other["id"])[0] == date(YEAR, 4, 7)


def test_another_coops_member_gets_404_and_changes_nothing(coop, client, app, make_tenant, engine):
    _, _, (colin, _) = coop
    entry = log(client, account_id=colin.id, minutes=60, note="Secret note").get_json()
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    for method, path, body in [
        ("GET", f"{API}/time-entries/{entry['id']}", None),
        ("PUT", f"{API}/time-entries/{entry['id']}", {"minutes": 5}),
        ("DELETE", f"{API}/time-entries/{entry['id']}", None),
        ("GET", f"{API}/time-entry-changes", None),
        ("GET", f"/c/quilted/time/entries/{entry['id']}", None),
        ("GET", f"/c/quilted/time/people/{colin.id}", None),
        ("GET", "/c/quilted/time/people", None),
    ]:
        response = other.open(path, method=method, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "Secret note" not in response.get_data(as_text=True)
    assert stored(engine, entry["id"])[1] == 60


def test_the_pages_enter_and_correct_time_for_someone_and_show_the_audit(coop, client, app, engine):
    _, _, (colin, _) = coop
    token = csrf_token(client, f"/c/quilted/time/people/{colin.id}")
    entered = client.post(
        f"/c/quilted/time/people/{colin.id}?week={YEAR}-03-02",
        data={"csrf_token": token, "worked_on": f"{YEAR}-03-02", "minutes": "90", "kind": "internal", "note": "Books"},
    )
    assert entered.status_code == 302
    page = client.get(f"/c/quilted/time/people/{colin.id}?week={YEAR}-03-04").get_data(as_text=True)
    assert "<h1>Time of Colin Sagan</h1>" in page and "Books" in page and "entered" in page
    with engine.connect() as conn:
        entry_id, account_id = conn.execute(text("SELECT id, account_id FROM t_quilted.time_entries")).first()
    assert account_id == colin.id
    bad = client.post(
        f"/c/quilted/time/entries/{entry_id}",
        data={"csrf_token": token, "worked_on": f"{YEAR}-03-02", "minutes": "0", "kind": "internal"},
    )
    assert bad.status_code == 422 and "whole number above zero" in bad.get_data(as_text=True)
    fixed = client.post(
        f"/c/quilted/time/entries/{entry_id}",
        data={
            "csrf_token": token,
            "worked_on": f"{YEAR}-03-02",
            "minutes": "60",
            "kind": "internal",
            "note": "Books",
            "reason": "One hour, said Colin",
        },
    )
    assert fixed.status_code == 302 and fixed.headers["Location"].endswith(f"/time/people/{colin.id}")
    page = client.get(f"/c/quilted/time/entries/{entry_id}").get_data(as_text=True)
    assert "corrected" in page and "One hour, said Colin" in page and "Admin of quilted" in page
    member = as_member(app, colin)
    own = member.get(f"/c/quilted/time?week={YEAR}-03-02").get_data(as_text=True)
    assert "One hour, said Colin" in own and "1.00" in own
    assert member.get(f"/c/quilted/time/people/{colin.id}").status_code == 403
    removed = client.post(f"/c/quilted/time/entries/{entry_id}/delete", data={"csrf_token": token, "reason": "Dup"})
    assert removed.status_code == 302
    assert stored(engine, entry_id) is None
