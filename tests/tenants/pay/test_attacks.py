"""Pay attacked from outside: ids beyond PostgreSQL's bigint, days at the ends of the calendar,
a member's name as a spreadsheet formula, and time written while its pay run is being finalised.
Each answer is a clear error that changes nothing, never a 500 nor pay silently lost."""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text

from tests.tenants.pay.test_api import log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"
HUGE = 10**20  # beyond bigint


def count_entries(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM t_quilted.time_entries")).scalar()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"client_id": HUGE}, "client_id"),
        ({"account_id": HUGE}, "account_id"),
        ({"account_id": "abc"}, "account_id"),
        ({"account_id": 1.0}, "account_id"),
    ],
)
def test_time_for_an_id_beyond_bigint_or_not_a_number_is_a_422(coop, client, engine, body, field):
    response = log(client, **body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert count_entries(engine) == 0


def test_a_correction_to_a_client_id_beyond_bigint_is_a_422(coop, client, engine):
    entry = log(client, minutes=60).get_json()
    response = client.put(f"{API}/time-entries/{entry['id']}", json={"client_id": HUGE})
    assert response.status_code == 422 and "client_id" in response.get_json()["error"]["fields"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT client_id FROM t_quilted.time_entries")).scalar() is None


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/invoices", {"client_id": HUGE, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}, "client_id"),
        ("/pay-adjustments", {"account_id": HUGE, "corrects_run_id": 1, "amount": "1.00", "reason": "x"}, "account_id"),
        ("/pay-adjustments", {"account_id": 1, "corrects_run_id": HUGE, "amount": "1.00", "reason": "x"}, None),
    ],
)
def test_officer_writes_naming_an_id_beyond_bigint_are_a_422(coop, client, path, body, field):
    response = client.post(f"{API}{path}", json=body)
    assert response.status_code == 422, response.get_json()
    assert field is None or field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    "query",
    [
        "/time-entries?account_id=99999999999999999999",
        "/time-entries/export.csv?account_id=99999999999999999999",
        "/time-entry-changes?entry_id=99999999999999999999",
        "/time-entry-changes?account_id=99999999999999999999",
        "/pay-adjustments?account_id=99999999999999999999",
        "/leave?account_id=99999999999999999999",
    ],
)
def test_a_query_id_beyond_bigint_is_a_422_not_a_500(coop, client, query):
    response = client.get(f"{API}{query}")
    assert response.status_code == 422, response.get_data(as_text=True)[:200]
    assert response.get_json()["error"]["code"] == "validation_failed"


def test_an_officer_asking_for_account_abc_does_not_get_everyones_time(coop, client):
    _, _, (colin, _) = coop
    assert log(client, account_id=colin.id, minutes=60).status_code == 201
    response = client.get(f"{API}/time-entries/export.csv?account_id=abc&from={YEAR}-01-01&to={YEAR}-12-31")
    assert response.status_code == 422 and "account_id" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01"])
def test_a_week_at_the_ends_of_the_calendar_shows_this_week(coop, client, week):
    response = client.get(f"/c/quilted/time?week={week}")
    assert response.status_code == 200
    monday = date.fromordinal(date.today().toordinal() - date.today().weekday())
    next_week = date.fromordinal(monday.toordinal() + 7)
    assert f"?week={next_week.isoformat()}" in response.get_data(as_text=True)


def test_a_members_name_is_never_a_formula_in_the_payroll_export(coop, client, engine):
    _, _, (colin, _) = coop
    with engine.begin() as conn:
        conn.execute(text("UPDATE accounts SET name = '=HYPERLINK(\"http://x\")' WHERE id = :a"), {"a": colin.id})
    assert log(client, account_id=colin.id, minutes=60).status_code == 201
    run = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"})
    exported = client.get(f"{API}/pay-runs/{run.get_json()['id']}/export.csv").get_data(as_text=True)
    cells = [row.split(",")[1] for row in exported.splitlines()[1:]]
    assert cells and all(not cell.lstrip('"').startswith("=") for cell in cells), exported


def test_time_logged_after_the_draft_is_not_locked_away_unpaid(coop, client):
    """A run reviewed before more time came in is refused at finalising; recomputed, it pays it."""
    _, _, (colin, _) = coop
    assert log(client, account_id=colin.id, minutes=60).status_code == 201
    period = {"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    run = client.post(f"{API}/pay-runs", json=period).get_json()
    assert log(client, account_id=colin.id, minutes=120, worked_on=f"{YEAR}-03-20").status_code == 201
    stale = client.post(f"{API}/pay-runs/{run['id']}/finalise")
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "run_stale"
    assert client.get(f"{API}/pay-runs/{run['id']}").get_json()["status"] == "draft"
    again = client.post(f"{API}/pay-runs", json=period).get_json()
    final = client.post(f"{API}/pay-runs/{again['id']}/finalise")
    assert final.status_code == 200
    assert {line["account_id"]: line["minutes"] for line in final.get_json()["lines"]} == {colin.id: 180}


def test_an_import_while_the_run_is_being_finalised_waits_and_is_refused(coop, client, engine):
    """The import checks the lock only once the finalising transaction has ended."""
    period = {"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    run = client.post(f"{API}/pay-runs", json=period).get_json()
    answers = []
    body = f"worked_on,minutes\n{YEAR}-03-10,60\n"
    with engine.connect() as conn:
        # The finalising request, half done: the pay periods taken, the run final, not yet committed.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('t_quilted:pay-periods'))"))
        conn.execute(text("UPDATE t_quilted.pay_runs SET status = 'final' WHERE id = :r"), {"r": run["id"]})
        importing = threading.Thread(
            target=lambda: answers.append(client.post(f"{API}/time-entries/import", json={"csv": body}))
        )
        importing.start()
        time.sleep(1.0)
        assert answers == []  # waiting for the finalise
        conn.commit()
    importing.join(30)
    assert answers and answers[0].status_code == 422, answers and answers[0].get_json()
    assert "locked" in answers[0].get_json()["error"]["fields"]["line 2"]
    assert count_entries(engine) == 0


def test_two_entries_at_once_never_make_a_day_longer_than_24_hours(coop, client, engine):
    """The second waits for the first to commit and then counts it."""
    _, _, (colin, _) = coop
    assert log(client, account_id=colin.id, minutes=30, worked_on=f"{YEAR}-03-09").status_code == 201
    answers = []
    with engine.connect() as conn:
        # The first request, half done: Colin's day taken and 1,400 minutes written, not yet committed.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"t_quilted:time-of:{colin.id}"})
        conn.execute(
            text(
                "INSERT INTO t_quilted.time_entries (account_id, worked_on, minutes, kind, billable, note, "
                "entered_by, created_at) VALUES (:a, :d, 1400, 'client', true, '', :a, now())"
            ),
            {"a": colin.id, "d": date(YEAR, 3, 2)},
        )
        second = threading.Thread(target=lambda: answers.append(log(client, account_id=colin.id, minutes=60)))
        second.start()
        time.sleep(1.0)
        assert answers == []  # waiting for the first
        conn.commit()
    second.join(30)
    assert answers and answers[0].status_code == 422, answers and answers[0].get_json()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT sum(minutes) FROM t_quilted.time_entries")).scalar() == 1430
