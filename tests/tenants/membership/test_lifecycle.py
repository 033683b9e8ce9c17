"""The membership lifecycle, end to end through the JSON API, with the stories' rules."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.conftest import run_jobs
from tests.tenants.membership.conftest import add_candidate, months_ago


def test_the_policy_round_trips_as_decimal_strings(quilted, client):
    policy = client.get("/c/quilted/api/v1/membership-policy").get_json()
    assert policy == {
        "probation_months": 6,
        "probation_hours": "520.00",
        "require": "both",
        "buy_in": "5000.00",
        "buy_in_instalments": 10,
        "instalment": "500.00",
        "entrance_fee": "0.00",
        "currency": "USD",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"buy_in": "-5.00"}, "buy_in"),
        ({"buy_in": "5000.005"}, "buy_in"),
        ({"buy_in": "five thousand"}, "buy_in"),
        ({"entrance_fee": "0.001"}, "entrance_fee"),
        ({"require": "neither"}, "require"),
        ({"buy_in_instalments": 0}, "buy_in_instalments"),
        ({"probation_months": -1}, "probation_months"),
    ],
)
def test_bad_policy_values_change_nothing(quilted, client, change, field):
    before = client.get("/c/quilted/api/v1/membership-policy").get_json()
    body = {**before, **change}
    body.pop("instalment")
    response = client.put("/c/quilted/api/v1/membership-policy", json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert client.get("/c/quilted/api/v1/membership-policy").get_json() == before


def test_quilted_six_months_and_520_hours_then_the_vote(quilted, client, app):
    _, _, members = quilted
    kyle = add_candidate(client)
    url = f"/c/quilted/api/v1/members/{kyle}"
    for paid_on in range(10):
        assert (
            client.post(
                f"{url}/payments", json={"amount": "500.00", "paid_on": months_ago(6, paid_on).isoformat()}
            ).status_code
            == 201
        )
    assert (
        client.post(f"{url}/payments", json={"amount": "0.01", "paid_on": date.today().isoformat()}).status_code == 422
    )
    for day in range(1, 4):
        assert (
            client.post(f"{url}/hours", json={"worked_on": months_ago(6, day).isoformat(), "hours": "24"}).status_code
            == 201
        )
    worked = 72
    day = 1
    while worked < 519:
        hours = min(8, 519 - worked)
        assert (
            client.post(
                f"{url}/hours",
                json={"worked_on": (date.today() - timedelta(days=day)).isoformat(), "hours": str(hours)},
            ).status_code
            == 201
        )
        worked, day = worked + hours, day + 1
    at_519 = client.get(url).get_json()
    assert at_519["probation"]["hours_served"] == "519.00" and at_519["probation"]["buy_in_due"] == "0.00"
    assert at_519["probation"]["met"] is False and at_519["probation"]["admission_proposal"] is None
    assert client.post(f"{url}/hours", json={"worked_on": date.today().isoformat(), "hours": "1"}).status_code == 201
    at_520 = client.get(url).get_json()["probation"]
    assert at_520["met"] is True and at_520["admission_proposal"] is not None
    proposal_id = at_520["admission_proposal"]
    # More hours and the daily check never open a second proposal for the same candidacy.
    client.post(f"{url}/hours", json={"worked_on": date.today().isoformat(), "hours": "2"})
    with app.app_context():
        from coopnet.tenants.membership.jobs import check_probation
        from coopnet.worker.schedule import for_each_tenant

        for_each_tenant(check_probation)
    run_jobs(app)
    admissions = [
        p for p in client.get("/c/quilted/api/v1/proposals").get_json()["proposals"] if p["category"] == "admission"
    ]
    assert [p["id"] for p in admissions] == [proposal_id]
    # Candidates do not vote on their own admission; the three members agree.
    voters = [client]
    for member in members:
        other = app.test_client()
        other.post("/api/v1/session", json={"email": member.email, "password": "correct horse battery"})
        voters.append(other)
    for voter in voters:
        assert (
            voter.put(f"/c/quilted/api/v1/proposals/{proposal_id}/position", json={"stance": "agree"}).status_code
            == 200
        )
    assert client.post(f"/c/quilted/api/v1/proposals/{proposal_id}/close").get_json()["outcome"] == "passed"
    member = client.get(url).get_json()
    assert member["status"] == "member" and member["since"] == date.today().isoformat()
    assert member["history"][-1]["proposal_id"] == proposal_id


def test_design_action_nine_months_no_buy_in(client, login, make_tenant, app):
    _, admin = make_tenant("design-action")
    login(admin.email)
    client.post("/c/design-action/api/v1/rulebook/adopt", json={"preset": "design-action"})
    client.put(
        "/c/design-action/api/v1/membership-policy",
        json={"probation_months": 9, "probation_hours": None, "buy_in": "0.00"},
    )
    early = add_candidate(client, "design-action", since=months_ago(8), email="early@designaction.example")
    due = add_candidate(client, "design-action", since=months_ago(9, 1), email="due@designaction.example")
    with app.app_context():
        from coopnet.tenants.membership.jobs import check_probation
        from coopnet.worker.schedule import for_each_tenant

        for_each_tenant(check_probation)
    run_jobs(app)
    assert client.get(f"/c/design-action/api/v1/members/{early}").get_json()["probation"]["admission_proposal"] is None
    assert (
        client.get(f"/c/design-action/api/v1/members/{due}").get_json()["probation"]["admission_proposal"] is not None
    )


def test_a_candidate_is_never_admitted_by_hand(quilted, client):
    kyle = add_candidate(client)
    response = client.post(f"/c/quilted/api/v1/members/{kyle}/status", json={"status": "member"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "admission_required"
    assert client.get(f"/c/quilted/api/v1/members/{kyle}").get_json()["status"] == "candidate"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"status": "applicant"}, 409),
        ({"status": "royalty"}, 422),
        ({"status": "leave", "on": "2999-01-01"}, 422),
    ],
)
def test_status_changes_not_allowed(quilted, client, body, status):
    _, _, members = quilted
    url = f"/c/quilted/api/v1/members/{members[0].id}"
    before = client.get(url).get_json()
    response = client.post(f"{url}/status", json=body)
    assert response.status_code == status, response.get_json()
    assert client.get(url).get_json() == before


def test_leave_and_exit_are_audited_and_exit_refunds_the_buy_in(quilted, client, login, make_account):
    kyle = add_candidate(client)
    url = f"/c/quilted/api/v1/members/{kyle}"
    client.post(f"{url}/payments", json={"amount": "1500.00", "paid_on": date.today().isoformat()})
    withdrawn = client.post(f"{url}/status", json={"status": "withdrawn", "reason": "Moving away"}).get_json()
    assert withdrawn["status"] == "withdrawn"
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in withdrawn["history"]][-1] == (
        "candidate",
        "withdrawn",
        "Moving away",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"worked_on": date.today().isoformat(), "hours": "25"}, "hours"),
        ({"worked_on": date.today().isoformat(), "hours": "-1"}, "hours"),
        ({"worked_on": (date.today() + timedelta(days=1)).isoformat(), "hours": "4"}, "worked_on"),
        ({"worked_on": "yesterday", "hours": "4"}, "worked_on"),
    ],
)
def test_bad_hours_are_refused(quilted, client, body, field):
    kyle = add_candidate(client)
    response = client.post(f"/c/quilted/api/v1/members/{kyle}/hours", json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert client.get(f"/c/quilted/api/v1/members/{kyle}").get_json()["probation"]["hours_served"] == "0.00"


def test_hours_over_a_day_across_two_entries_are_refused(quilted, client):
    kyle = add_candidate(client)
    url = f"/c/quilted/api/v1/members/{kyle}/hours"
    today = date.today().isoformat()
    assert client.post(url, json={"worked_on": today, "hours": "20"}).status_code == 201
    assert client.post(url, json={"worked_on": today, "hours": "5"}).status_code == 422


def test_a_since_date_in_the_future_is_refused(quilted, client):
    response = client.post(
        "/c/quilted/api/v1/members",
        json={"email": "future@quilted.example", "name": "F", "status": "member", "since": "2999-01-01"},
    )
    assert response.status_code == 422 and "since" in response.get_json()["error"]["fields"]


def test_a_person_without_an_account_sets_a_password_from_the_mail(quilted, client, app):
    kyle = add_candidate(client, email="new.person@quilted.example")
    run_jobs(app)
    mail = [
        m
        for m in client.get("/c/quilted/api/v1/outbox").get_json()["messages"]
        if m["to"] == "new.person@quilted.example"
    ]
    link = next(line for line in mail[0]["body"].splitlines() if "/welcome/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    stranger = app.test_client()
    page = stranger.get(path)
    assert page.status_code == 200 and "Kyle Wagener" in page.get_data(as_text=True)
    from tests.conftest import csrf_token

    token = csrf_token(stranger, path)
    assert stranger.post(path, data={"csrf_token": token, "password": "short"}).status_code == 422
    assert stranger.post(path, data={"csrf_token": token, "password": "a long new password"}).status_code == 302
    assert stranger.get(path).status_code == 404  # used once
    assert stranger.get(f"/c/quilted/api/v1/members/{kyle}").status_code == 200


def test_csv_import_previews_every_bad_row_and_writes_all_or_nothing(quilted, client, engine):
    csv = (
        "email,name,status,since,class\n"
        "jo@quilted.example,Jo,member,2014-02-01,member\n"
        "not-an-email,Bad,member,2014-02-01,member\n"
        "tim@quilted.example,Tim,wizard,2014-02-01,member\n"
        "sam@quilted.example,Sam,candidate,2999-01-01,trainee\n"
    )
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM t_quilted.member_records")).scalar()
    preview = client.post("/c/quilted/api/v1/members/import", json={"csv": csv, "preview": True}).get_json()
    assert preview["rows"] == 4 and set(preview["problems"]) == {"3", "4", "5"}
    refused = client.post("/c/quilted/api/v1/members/import", json={"csv": csv})
    assert refused.status_code == 422 and {"line 3", "line 4", "line 5"} <= set(refused.get_json()["error"]["fields"])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.member_records")).scalar() == before
    good = "email,name,status,since,class\njo@quilted.example,Jo,member,2014-02-01,member\nsam@quilted.example,Sam,candidate,2026-01-05,trainee\n"
    assert client.post("/c/quilted/api/v1/members/import", json={"csv": good}).get_json()["imported"] == 2
    exported = client.get("/c/quilted/api/v1/members/export.csv").get_data(as_text=True)
    assert "sam@quilted.example,Sam,candidate,2026-01-05,trainee" in exported


def test_officer_terms_may_not_overlap(quilted, client):
    _, _, members = quilted
    first = client.post(
        "/c/quilted/api/v1/officers",
        json={"role": "bookkeeper", "account_id": members[0].id, "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
    )
    assert first.status_code == 201
    overlap = client.post(
        "/c/quilted/api/v1/officers",
        json={"role": "bookkeeper", "account_id": members[1].id, "starts_on": "2026-06-01"},
    )
    assert overlap.status_code == 409 and overlap.get_json()["error"]["code"] == "term_overlaps"
    after = client.post(
        "/c/quilted/api/v1/officers",
        json={"role": "bookkeeper", "account_id": members[1].id, "starts_on": "2027-01-01"},
    )
    assert after.status_code == 201
    current = client.get("/c/quilted/api/v1/officers").get_json()["current"]
    assert [(t["role"], t["account_id"]) for t in current] == [("bookkeeper", members[0].id)]


def test_two_appointments_to_a_vacant_role_at_once_leave_one_holder(quilted, client, app):
    _, _, members = quilted
    cookie = client.get_cookie("session")
    results = []

    def appoint(person):
        other = app.test_client()
        other.set_cookie("session", cookie.value)
        body = {"role": "secretary", "account_id": person.id, "starts_on": "2026-01-01"}
        results.append(other.post("/c/quilted/api/v1/officers", json=body).status_code)

    threads = [threading.Thread(target=appoint, args=(person,)) for person in members[:2] * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [201, 409, 409, 409]
    current = client.get("/c/quilted/api/v1/officers").get_json()["current"]
    assert [t["role"] for t in current] == ["secretary"]


def test_accountability_statements_take_one_response_and_no_edits(quilted, client, app):
    _, admin, members = quilted
    filed = client.post(
        "/c/quilted/api/v1/accountability",
        json={"subject_id": admin.id, "kind": "missed deadline", "body": "I missed the invoice deadline."},
    ).get_json()
    about_other = client.post(
        "/c/quilted/api/v1/accountability",
        json={"subject_id": members[0].id, "kind": "costly error", "body": "The server bill."},
    ).get_json()
    assert client.put(f"/c/quilted/api/v1/accountability/{filed['id']}", json={"body": "x"}).status_code in (404, 405)
    not_subject = client.post(f"/c/quilted/api/v1/accountability/{about_other['id']}/response", json={"response": "x"})
    assert not_subject.status_code == 409
    ok = client.post(f"/c/quilted/api/v1/accountability/{filed['id']}/response", json={"response": "Sent it late."})
    assert ok.status_code == 200
    again = client.post(f"/c/quilted/api/v1/accountability/{filed['id']}/response", json={"response": "Changed."})
    assert again.status_code == 409
    statements = client.get("/c/quilted/api/v1/accountability").get_json()["statements"]
    assert next(s for s in statements if s["id"] == filed["id"])["response"] == "Sent it late."


def test_the_rota_is_fair_over_a_year_and_swaps(quilted, client, app):
    from datetime import datetime, timezone

    _, admin, members = quilted
    people = [admin.id, members[0].id, members[1].id]
    start = datetime(2027, 1, 1, tzinfo=timezone.utc)
    made = client.post(
        "/c/quilted/api/v1/rota",
        json={"participants": people, "starts_at": start.isoformat(), "days": 365, "shift_hours": 24},
    )
    assert made.status_code == 201
    shifts = made.get_json()["shifts"]
    load = {p: sum(1 for s in shifts if s["account_id"] == p) for p in people}
    assert sum(load.values()) == 365 and max(load.values()) - min(load.values()) <= 1
    overlap = client.post(
        "/c/quilted/api/v1/rota",
        json={"participants": people, "starts_at": start.isoformat(), "days": 7, "shift_hours": 24},
    )
    assert overlap.status_code == 409
    mine = next(s for s in shifts if s["account_id"] == admin.id)
    theirs = next(s for s in shifts if s["account_id"] == members[0].id)
    colin = app.test_client()
    colin.post("/api/v1/session", json={"email": members[0].email, "password": "correct horse battery"})
    alone = colin.post(f"/c/quilted/api/v1/rota/{theirs['id']}/swap", json={"with_shift_id": mine["id"]})
    assert alone.status_code == 403  # nobody hands a shift to someone else alone
    swapped = client.post(f"/c/quilted/api/v1/rota/{mine['id']}/swap", json={"with_shift_id": theirs["id"]})
    assert swapped.status_code == 200
    assert {s["id"]: s["account_id"] for s in swapped.get_json()["shifts"]} == {
        mine["id"]: members[0].id,
        theirs["id"]: admin.id,
    }


def test_another_coops_admin_reaches_none_of_it(quilted, client, make_tenant, app):
    _, _, members = quilted
    _, outsider = make_tenant("design-action")
    other = app.test_client()
    other.post("/api/v1/session", json={"email": outsider.email, "password": "correct horse battery"})
    for method, path, body in (
        ("get", f"/c/quilted/api/v1/members/{members[0].id}", None),
        ("post", f"/c/quilted/api/v1/members/{members[0].id}/hours", {"worked_on": "2026-01-01", "hours": "1"}),
        ("put", "/c/quilted/api/v1/membership-policy", {"buy_in": "1.00"}),
        ("get", "/c/quilted/api/v1/members/export.csv", None),
        ("post", "/c/quilted/api/v1/accountability", {"subject_id": members[0].id, "kind": "other", "body": "x"}),
    ):
        response = getattr(other, method)(path, json=body)
        assert response.status_code == 404, (path, response.status_code)
    assert client.get("/c/quilted/api/v1/membership-policy").get_json()["buy_in"] == "5000.00"


def test_each_member_subscribes_to_their_own_shifts(quilted, client, app):
    from datetime import datetime, timezone

    _, admin, members = quilted
    start = datetime(2027, 2, 1, tzinfo=timezone.utc)
    people = [admin.id, members[0].id]
    client.post("/c/quilted/api/v1/rota", json={"participants": people, "starts_at": start.isoformat(), "days": 4})
    url = client.post("/c/quilted/api/v1/calendar-key").get_json()["url"]
    key = url.split("key=", 1)[1]
    feed = app.test_client().get(f"/c/quilted/rota.ics?key={key}")
    assert feed.status_code == 200 and feed.data.count(b"BEGIN:VEVENT") == 2  # two of four days are the admin's
    assert app.test_client().get("/c/quilted/rota.ics?key=nope").status_code == 404


def test_an_existing_account_is_invited_not_pulled_in(quilted, client, make_account):
    outsider = make_account(email="someone@elsewhere.example", name="Someone Elsewhere")
    response = client.post(
        "/c/quilted/api/v1/members",
        json={"email": outsider.email.upper(), "name": "x", "status": "member", "since": "2020-01-01"},
    )
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "invite_instead"
    assert "Someone Elsewhere" not in response.get_data(as_text=True)
    csv = "email,name,status,since,class\nsomeone@elsewhere.example,S,member,2020-01-01,member\n"
    preview = client.post("/c/quilted/api/v1/members/import", json={"csv": csv, "preview": True}).get_json()
    assert preview["problems"] == {"2": "has a coopnet account: invite them instead"}


def test_an_expelled_admin_keeps_no_access(quilted, client, make_account, add_member, app):
    tenant, _, _ = quilted
    second = make_account(name="Second admin")
    add_member(tenant, second, "admin")
    client.post(
        "/c/quilted/api/v1/members",
        json={"email": second.email, "name": "Second admin", "status": "member", "since": "2019-01-01"},
    )
    assert client.post(f"/c/quilted/api/v1/members/{second.id}/status", json={"status": "expelled"}).status_code == 200
    them = app.test_client()
    them.post("/api/v1/session", json={"email": second.email, "password": "correct horse battery"})
    assert them.put("/c/quilted/api/v1/membership-policy", json={"buy_in": "1.00"}).status_code == 404


def test_officers_do_not_record_their_own_hours(quilted, client):
    _, admin, _ = quilted
    response = client.post(
        f"/c/quilted/api/v1/members/{admin.id}/hours", json={"worked_on": "2026-01-05", "hours": "8"}
    )
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "own_record"


def test_exported_names_never_run_as_spreadsheet_formulas(quilted, client):
    csv = 'email,name,status,since,class\nf@quilted.example,"=HYPERLINK(""http://evil"",""x"")",member,2020-01-01,member\n'
    assert client.post("/c/quilted/api/v1/members/import", json={"csv": csv}).status_code == 200
    exported = client.get("/c/quilted/api/v1/members/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in exported


def test_an_unreadable_csv_is_a_clear_error(quilted, client):
    huge_field = "email,name,status,since,class\n" + "a" * 200_000 + ",n,member,2020-01-01,member\n"
    response = client.post("/c/quilted/api/v1/members/import", json={"csv": huge_field, "preview": True})
    assert response.status_code == 422 and "csv" in response.get_json()["error"]["fields"]


def test_a_welcome_link_works_only_at_its_own_coop(quilted, client, app, make_tenant):
    add_candidate(client, email="new.person@quilted.example")
    run_jobs(app)
    mail = [
        m
        for m in client.get("/c/quilted/api/v1/outbox").get_json()["messages"]
        if m["to"] == "new.person@quilted.example"
    ]
    link = next(line for line in mail[0]["body"].splitlines() if "/welcome/" in line)
    token = link.rsplit("/", 1)[1]
    make_tenant("design-action")
    stranger = app.test_client()
    assert stranger.get(f"/c/design-action/welcome/{token}").status_code == 404
    assert stranger.post(f"/c/no-such-coop/welcome/{token}", data={"password": "a long new password"}).status_code in (
        400,
        404,
    )
    assert stranger.get(f"/c/quilted/welcome/{token}").status_code == 200  # still unused


def test_a_welcome_link_stops_working_once_its_person_got_in_another_way(quilted, client, app, engine):
    from tests.conftest import link_token, platform_mail

    add_candidate(client, email="linked.person@quilted.example")
    run_jobs(app)
    mail = [
        m
        for m in client.get("/c/quilted/api/v1/outbox").get_json()["messages"]
        if m["to"] == "linked.person@quilted.example"
    ]
    token = next(line for line in mail[0]["body"].splitlines() if "/welcome/" in line).rsplit("/", 1)[1]
    person = app.test_client()
    person.post("/api/v1/sign-in-link", json={"email": "linked.person@quilted.example"})
    sign_in = link_token(platform_mail(engine, "linked.person@quilted.example")[-1]["body"], "/login/link")
    assert person.post("/api/v1/sign-in-link/confirm", json={"token": sign_in}).status_code == 200

    assert app.test_client().get(f"/c/quilted/welcome/{token}").status_code == 404


def test_probation_hours_count_the_timesheet_and_hours_entered_by_hand(quilted, client):
    kyle = add_candidate(client)
    url = f"/c/quilted/api/v1/members/{kyle}"
    assert (
        client.post(f"{url}/hours", json={"worked_on": months_ago(6, 1).isoformat(), "hours": "10"}).status_code == 201
    )
    for day in range(1, 4):  # an officer logs Kyle's time in the timesheet: 3 days of 7 h 30 min
        entry = {"worked_on": (date.today() - timedelta(days=day)).isoformat(), "minutes": 450, "account_id": kyle}
        response = client.post("/c/quilted/api/v1/time-entries", json=entry)
        assert response.status_code == 201, response.get_json()

    assert client.get(url).get_json()["probation"]["hours_served"] == "32.50"
