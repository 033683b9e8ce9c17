"""The pay run pages: the runs and their totals, starting one, reviewing the lines with their
hours, finalising (which locks the period), the CSV export; who may do what."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"
PAGE = "/c/quilted/pay-runs"


@pytest.fixture
def logged(coop, client):
    _, _, members = coop
    assert log(client, account_id=members[0].id, minutes=600, kind="internal").status_code == 201  # 10 h at $25
    assert log(client, account_id=members[1].id, minutes=150).status_code == 201  # 2.5 h at $25
    return members


def start(client, token, first, last):
    return client.post(PAGE, data={"csrf_token": token, "period_start": first, "period_end": last})


def run_count(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM t_quilted.pay_runs")).scalar()


def test_an_officer_starts_reviews_and_finalises_a_run(coop, client, logged):
    empty = client.get(PAGE).get_data(as_text=True)
    assert "No pay runs yet." in empty and "Start a pay run" in empty
    token = csrf_token(client, PAGE)
    started = start(client, token, f"{YEAR}-03-01", f"{YEAR}-03-31")
    assert started.status_code == 302
    run_url = started.headers["Location"]
    page = client.get(run_url).get_data(as_text=True)
    assert "Draft, for review" in page and "Colin Sagan" in page and "Alex Hage" in page
    assert "10.00 h of internal at 25.00 = 250.00" in page and "2.50 h of client at 25.00 = 62.50" in page
    assert "250.00" in page and "62.50" in page and "312.50" in page  # the lines and their total
    assert "12.50" in page  # hours in all
    assert "Finalising locks all time from" in page and "Export as CSV" in page

    listed = client.get(PAGE).get_data(as_text=True)
    assert "draft, for review" in listed and "312.50" in listed

    run_id = int(run_url.rstrip("/").rsplit("/", 1)[1])
    exported = client.get(f"{API}/pay-runs/{run_id}/export.csv")
    assert exported.status_code == 200 and "Colin Sagan,10.00,250.00" in exported.get_data(as_text=True)

    final = client.post(f"{run_url}/finalise", data={"csrf_token": token}, follow_redirects=True)
    shown = final.get_data(as_text=True)
    assert "The pay run is final" in shown and "Final since" in shown and "Finalise this pay run" not in shown
    assert client.get(f"{API}/pay-runs/{run_id}").get_json()["status"] == "final"
    # The period is locked: time there is refused.
    assert log(client, account_id=logged[0].id, worked_on=f"{YEAR}-03-05").status_code == 409


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("", "", "Dates such as 2026-03-01."),
        (f"{YEAR}-03-31", f"{YEAR}-03-01", "End it within a month of its start."),
        (f"{YEAR}-01-01", f"{YEAR}-06-30", "End it within a month of its start."),
        ("soon", f"{YEAR}-03-31", "Not a valid date value."),
    ],
)
def test_a_bad_period_shows_the_field_and_reason_and_starts_nothing(coop, client, logged, engine, first, last, shown):
    refused = start(client, csrf_token(client, PAGE), first, last)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and shown in html and "There is a problem" in html
    assert 'aria-invalid="true"' in html
    if last:
        assert f'value="{last}"' in html  # what was typed is kept
    assert run_count(engine) == 0


def test_a_finalised_period_cannot_be_paid_twice(coop, client, logged, engine):
    token = csrf_token(client, PAGE)
    run_url = start(client, token, f"{YEAR}-03-01", f"{YEAR}-03-31").headers["Location"]
    client.post(f"{run_url}/finalise", data={"csrf_token": token})
    again = start(client, token, f"{YEAR}-03-15", f"{YEAR}-04-10")
    assert again.status_code == 409 and "already paid by a finalised run" in again.get_data(as_text=True)
    assert run_count(engine) == 1


def test_a_run_gone_stale_is_not_finalised(coop, client, logged):
    token = csrf_token(client, PAGE)
    run_url = start(client, token, f"{YEAR}-03-01", f"{YEAR}-03-31").headers["Location"]
    assert log(client, account_id=logged[1].id, minutes=60, worked_on=f"{YEAR}-03-09").status_code == 201
    refused = client.post(f"{run_url}/finalise", data={"csrf_token": token}, follow_redirects=True)
    assert "compute it again and review it" in refused.get_data(as_text=True)
    run_id = int(run_url.rstrip("/").rsplit("/", 1)[1])
    assert client.get(f"{API}/pay-runs/{run_id}").get_json()["status"] == "draft"
    # Compute again (the draft's button), then it finalises with the new hour in.
    again = start(client, token, f"{YEAR}-03-01", f"{YEAR}-03-31")
    assert again.status_code == 302 and "87.50" in client.get(again.headers["Location"]).get_data(as_text=True)
    final = client.post(f"{again.headers['Location']}/finalise", data={"csrf_token": token}, follow_redirects=True)
    assert "Final since" in final.get_data(as_text=True)


def test_a_member_sees_the_runs_but_cannot_act(coop, client, app, logged, engine):
    token = csrf_token(client, PAGE)
    run_url = start(client, token, f"{YEAR}-03-01", f"{YEAR}-03-31").headers["Location"]
    colin = as_member(app, logged[0])
    page = colin.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "312.50" in html and "Start a pay run" not in html
    assert f'href="{run_url}"' not in html
    mine = csrf_token(colin, "/c/quilted/time")
    assert start(colin, mine, f"{YEAR}-04-01", f"{YEAR}-04-30").status_code == 403
    assert colin.get(run_url).status_code == 403  # each member's pay is for officers, as in the API
    assert colin.post(f"{run_url}/finalise", data={"csrf_token": mine}).status_code == 403
    assert run_count(engine) == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM t_quilted.pay_runs")).scalar() == "draft"


def test_another_coops_member_gets_404(coop, client, app, logged, make_tenant, engine):
    token = csrf_token(client, PAGE)
    run_url = start(client, token, f"{YEAR}-03-01", f"{YEAR}-03-31").headers["Location"]
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    theirs = csrf_token(other, "/account")
    for method, path, data in [
        ("GET", PAGE, None),
        ("POST", PAGE, {"csrf_token": theirs, "period_start": f"{YEAR}-04-01", "period_end": f"{YEAR}-04-30"}),
        ("GET", run_url, None),
        ("POST", f"{run_url}/finalise", {"csrf_token": theirs}),
    ]:
        response = other.open(path, method=method, data=data)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "Colin" not in response.get_data(as_text=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM t_quilted.pay_runs")).all() == [("draft",)]


def test_the_navigation_links_the_pay_runs(coop, client):
    assert f'href="{PAGE}"' in client.get("/c/quilted/time").get_data(as_text=True)
