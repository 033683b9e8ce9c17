"""The register, officer, rota and accountability pages, as an officer and a member use them."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.membership.conftest import add_candidate

HEADER = "email,name,status,since,class\n"


def token(client):
    return csrf_token(client, "/c/quilted/accountability")


def count(engine, sql):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_the_register_shows_status_since_probation_and_the_export(quilted, client):
    kyle = add_candidate(client)
    client.post(f"/c/quilted/api/v1/members/{kyle}/hours", json={"worked_on": date.today().isoformat(), "hours": "8"})
    page = client.get("/c/quilted/register")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    row = re.search(rf"<tr><td><a href=\"/c/quilted/register/{kyle}\">Kyle Wagener</a></td>(.*?)</tr>", body, re.S)
    assert row, body
    assert "Candidate (on probation)" in row.group(1)
    assert "Months: 7 of 6" in row.group(1) and "Hours: 8.00 of 520" in row.group(1)
    assert "$5,000.00 owed" in row.group(1)
    assert 'href="/c/quilted/api/v1/members/export.csv"' in body
    assert "Probation: 6 months and 520 hours; buy-in $5,000.00 in 10 instalments." in body


def test_an_admin_adds_a_person_and_bad_input_writes_nothing(quilted, client, engine):
    url = "/c/quilted/register/add"
    form = {"csrf_token": csrf_token(client, url), "name": "Jo Doe", "email": "jo@quilted.example"}
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    bad = client.post(url, data={**form, "status": "member", "since": tomorrow, "member_class": "member"})
    assert bad.status_code == 422 and "This date cannot be in the future." in bad.get_data(as_text=True)
    bad_email = client.post(url, data={**form, "email": "nope", "status": "member", "since": "2019-01-01"})
    assert bad_email.status_code == 422
    assert count(engine, "SELECT count(*) FROM t_quilted.member_records") == 3
    good = client.post(url, data={**form, "status": "member", "since": "2019-01-01", "member_class": "trainee"})
    assert good.status_code == 302 and "/c/quilted/register/" in good.headers["Location"]
    person = client.get(good.headers["Location"]).get_data(as_text=True)
    assert "Jo Doe" in person and "entered in the register" in person


def upload(client, csv, name="register.csv"):
    data = {"csrf_token": csrf_token(client, "/c/quilted/register/import"), "csv_file": (io.BytesIO(csv), name)}
    return client.post("/c/quilted/register/import", data=data, content_type="multipart/form-data")


def test_a_csv_import_is_previewed_then_confirmed(quilted, client, engine):
    csv = (
        HEADER
        + "jo@quilted.example,Jo,member,2014-02-01,member\nsam@quilted.example,Sam,candidate,2026-01-05,trainee\n"
    )
    preview = upload(client, csv.encode())
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200, body
    assert "2 people will be added to the register." in body and "Import 2 people" in body
    assert "jo@quilted.example" in body and "sam@quilted.example" in body
    assert count(engine, "SELECT count(*) FROM t_quilted.member_records") == 3  # nothing written yet
    hidden = re.search(r'name="csv" type="hidden" value="([^"]*)"', body) or re.search(
        r'id="csv" name="csv" type="hidden" value="([^"]*)"', body
    )
    assert hidden, body
    from html import unescape

    confirmed = client.post(
        "/c/quilted/register/import/confirm", data={"csrf_token": token(client), "csv": unescape(hidden.group(1))}
    )
    assert confirmed.status_code == 302
    assert "2 people are in the register now." in client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert count(engine, "SELECT count(*) FROM t_quilted.member_records") == 5
    # Confirming the same file again finds every row in the register now: a preview naming them, nothing written.
    again = client.post("/c/quilted/register/import/confirm", data={"csrf_token": token(client), "csv": csv})
    assert again.status_code == 422 and "Line 2: already in the register" in again.get_data(as_text=True)
    assert count(engine, "SELECT count(*) FROM t_quilted.member_records") == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER + "a@quilted.example,A,member,2014-02-01,member\nbad,B,wizard,2999-01-01,member\n", "Line 3:"),
        (b"\xff\xfe not text".decode("latin-1"), "UTF-8"),
        ("name,email\nx,y\n", "Missing columns"),
        ("", "Choose a CSV file"),
    ],
)
def test_a_bad_file_shows_its_problems_and_no_confirm_button(quilted, client, engine, content, message):
    raw = content.encode("latin-1") if message == "UTF-8" else content.encode()
    response = upload(client, raw, name="register.csv" if content else "")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body, body
    assert "/register/import/confirm" not in body
    assert count(engine, "SELECT count(*) FROM t_quilted.member_records") == 3


def test_the_policy_page_saves_and_refuses_bad_amounts(quilted, client):
    url = "/c/quilted/register/policy"
    page = client.get(url).get_data(as_text=True)
    assert 'value="5000.00"' in page
    form = {
        "csrf_token": csrf_token(client, url),
        "probation_months": "9",
        "probation_hours": "",
        "require": "both",
        "buy_in": "0",
        "buy_in_instalments": "1",
        "entrance_fee": "0",
        "currency": "USD",
    }
    bad = client.post(url, data={**form, "buy_in": "12.345"})
    assert bad.status_code == 422
    assert client.get("/c/quilted/api/v1/membership-policy").get_json()["buy_in"] == "5000.00"
    assert client.post(url, data=form).status_code == 302
    policy = client.get("/c/quilted/api/v1/membership-policy").get_json()
    assert (policy["probation_months"], policy["probation_hours"], policy["buy_in"]) == (9, None, "0.00")


def test_a_status_change_on_the_person_page_keeps_who_when_and_why(quilted, client, engine):
    _, admin, members = quilted
    url = f"/c/quilted/register/{members[1].id}"
    page = client.get(url).get_data(as_text=True)
    assert "On leave" in page
    no_reason = client.post(
        f"{url}/status", data={"status-csrf_token": token(client), "status-status": "leave", "status-reason": ""}
    )
    assert no_reason.status_code == 422 and "Say why; the register keeps it." in no_reason.get_data(as_text=True)
    assert client.get(f"/c/quilted/api/v1/members/{members[1].id}").get_json()["status"] == "member"
    done = client.post(
        f"{url}/status",
        data={"status-csrf_token": token(client), "status-status": "leave", "status-reason": "Parental leave"},
    )
    assert done.status_code == 302
    history = client.get(f"/c/quilted/api/v1/members/{members[1].id}").get_json()["history"][-1]
    assert (history["to_status"], history["reason"], history["changed_by"]) == ("leave", "Parental leave", admin.id)
    shown = client.get(url).get_data(as_text=True)
    assert "Parental leave" in shown and admin.name in shown


def test_officers_record_hours_and_payments_on_the_person_page(quilted, client, as_):
    _, _, members = quilted
    kyle = add_candidate(client)
    url = f"/c/quilted/register/{kyle}"
    hours = client.post(
        f"{url}/hours",
        data={"hours-csrf_token": token(client), "hours-worked_on": date.today().isoformat(), "hours-hours": "7.5"},
    )
    assert hours.status_code == 302
    too_many = client.post(
        f"{url}/hours",
        data={"hours-csrf_token": token(client), "hours-worked_on": date.today().isoformat(), "hours-hours": "17"},
    )
    assert too_many.status_code == 422 and "7.50 hours are already recorded" in too_many.get_data(as_text=True)
    paid = client.post(
        f"{url}/payments",
        data={
            "payment-csrf_token": token(client),
            "payment-amount": "500.00",
            "payment-paid_on": date.today().isoformat(),
        },
    )
    assert paid.status_code == 302
    progress = client.get(f"/c/quilted/api/v1/members/{kyle}").get_json()["probation"]
    assert (progress["hours_served"], progress["buy_in_paid"]) == ("7.50", "500.00")
    # A member who holds no office records nothing.
    colin = as_(members[0])
    refused = colin.post(
        f"{url}/hours",
        data={"hours-csrf_token": token(colin), "hours-worked_on": date.today().isoformat(), "hours-hours": "1"},
    )
    assert refused.status_code == 403
    assert client.get(f"/c/quilted/api/v1/members/{kyle}").get_json()["probation"]["hours_served"] == "7.50"


def test_a_member_proposes_their_own_withdrawal_on_their_page(quilted, client, as_):
    _, _, members = quilted
    alex = as_(members[1])
    url = f"/c/quilted/register/{members[1].id}"
    bad = alex.post(f"{url}/exit", data={"exit-csrf_token": token(alex), "exit-status": "withdrawn", "exit-reason": ""})
    assert bad.status_code == 422
    done = alex.post(
        f"{url}/exit", data={"exit-csrf_token": token(alex), "exit-status": "withdrawn", "exit-reason": "New job"}
    )
    assert done.status_code == 302
    page = alex.get(url).get_data(as_text=True)
    assert "A proposal on this person&#39;s withdrawal is open" in page or "withdrawal is open" in page
    proposals = client.get("/c/quilted/api/v1/proposals").get_json()["proposals"]
    assert [p["title"] for p in proposals] == ["Withdrawal of Alex Hage"]


def test_officers_page_appoints_and_ends_terms(quilted, client, as_):
    _, _, members = quilted
    url = "/c/quilted/officers"
    today = date.today()
    appointed = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "role": "secretary",
            "account_id": str(members[0].id),
            "starts_on": today.isoformat(),
        },
    )
    assert appointed.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Secretary" in page and "Colin Sagan" in page
    overlap = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "role": "secretary",
            "account_id": str(members[1].id),
            "starts_on": today.isoformat(),
        },
    )
    assert overlap.status_code == 409 and "End the current term first" in overlap.get_data(as_text=True)
    term_id = client.get("/c/quilted/api/v1/officers").get_json()["terms"][0]["id"]
    alex = as_(members[1])
    assert alex.post(url, data={"csrf_token": token(alex), "role": "x"}).status_code == 403
    ended = client.post(f"{url}/{term_id}/end", data={"csrf_token": token(client), "ends_on": today.isoformat()})
    assert ended.status_code == 302
    assert client.get("/c/quilted/api/v1/officers").get_json()["terms"][0]["ends_on"] == today.isoformat()


def test_the_rota_page_deals_shifts_and_a_swap_needs_the_others_yes(quilted, client, as_):
    _, admin, members = quilted
    starts = (date.today() + timedelta(days=3)).isoformat() + "T09:00"
    dealt = client.post(
        "/c/quilted/rota/generate",
        data={
            "csrf_token": token(client),
            "participants": [str(admin.id), str(members[0].id)],
            "starts_at": starts,
            "days": "4",
            "shift_hours": "24",
        },
    )
    assert dealt.status_code == 302
    assert "4 shifts are on the rota." in client.get("/c/quilted/rota").get_data(as_text=True)
    shifts = client.get("/c/quilted/api/v1/rota").get_json()["shifts"]
    mine = next(s["id"] for s in shifts if s["account_id"] == members[0].id)
    theirs = next(s["id"] for s in shifts if s["account_id"] == admin.id)
    colin = as_(members[0])
    page = colin.get("/c/quilted/rota").get_data(as_text=True)
    assert "Ask to swap one of your shifts" in page
    asked = colin.post(
        f"/c/quilted/rota/{mine}/swap-requests", data={"csrf_token": token(colin), "with_shift_id": theirs}
    )
    assert asked.status_code == 302
    erik_page = client.get("/c/quilted/rota").get_data(as_text=True)
    assert "Colin Sagan offers their shift" in erik_page
    swap_id = client.get("/c/quilted/api/v1/rota/swap-requests").get_json()["swap_requests"][0]["id"]
    refused = colin.post(f"/c/quilted/rota/swap-requests/{swap_id}/accept", data={"csrf_token": token(colin)})
    assert "Only the member asked can answer this swap." in colin.get(refused.headers["Location"]).get_data(
        as_text=True
    )
    client.post(f"/c/quilted/rota/swap-requests/{swap_id}/accept", data={"csrf_token": token(client)})
    after = {s["id"]: s["account_id"] for s in client.get("/c/quilted/api/v1/rota").get_json()["shifts"]}
    assert (after[mine], after[theirs]) == (admin.id, members[0].id)
    bad = client.post(
        "/c/quilted/rota/generate",
        data={"csrf_token": token(client), "participants": [], "starts_at": starts, "days": "0"},
    )
    assert "List each person taking part once." in client.get(bad.headers["Location"]).get_data(as_text=True)


def test_accountability_statements_are_filed_and_answered_once_on_the_page(quilted, client, as_):
    _, admin, members = quilted
    colin = as_(members[0])
    filed = colin.post(
        "/c/quilted/accountability",
        data={"csrf_token": token(colin), "subject_id": str(members[0].id), "kind": "missed deadline", "body": "Late."},
    )
    assert filed.status_code == 302
    empty = colin.post(
        "/c/quilted/accountability",
        data={"csrf_token": token(colin), "subject_id": str(admin.id), "kind": "other", "body": ""},
    )
    assert empty.status_code == 422
    statement = client.get("/c/quilted/api/v1/accountability").get_json()["statements"][0]
    not_subject = client.post(
        f"/c/quilted/accountability/{statement['id']}/response", data={"csrf_token": token(client), "response": "x"}
    )
    assert "Only the person a statement is about" in client.get(not_subject.headers["Location"]).get_data(as_text=True)
    colin.post(
        f"/c/quilted/accountability/{statement['id']}/response", data={"csrf_token": token(colin), "response": "Sorry."}
    )
    assert client.get("/c/quilted/api/v1/accountability").get_json()["statements"][0]["response"] == "Sorry."


@pytest.mark.parametrize(
    "path",
    ["/c/quilted/register/add", "/c/quilted/register/import", "/c/quilted/register/policy"],
)
def test_admin_pages_refuse_a_member(quilted, as_, path):
    _, _, members = quilted
    assert as_(members[0]).get(path).status_code == 403


def test_another_coops_admin_sees_and_changes_none_of_the_pages(quilted, client, make_tenant, app, engine):
    _, _, members = quilted
    _, outsider = make_tenant("design-action")
    other = app.test_client()
    other.post("/api/v1/session", json={"email": outsider.email, "password": "correct horse battery"})
    outsider_token = csrf_token(other, "/c/design-action/accountability")
    for path in (
        "/c/quilted/register",
        f"/c/quilted/register/{members[0].id}",
        "/c/quilted/register/import",
        "/c/quilted/officers",
        "/c/quilted/rota",
        "/c/quilted/accountability",
    ):
        response = other.get(path)
        assert response.status_code == 404 and "Colin" not in response.get_data(as_text=True), path
    posted = other.post(
        f"/c/quilted/register/{members[0].id}/status",
        data={"status-csrf_token": outsider_token, "status-status": "leave", "status-reason": "x"},
    )
    assert posted.status_code == 404
    assert client.get(f"/c/quilted/api/v1/members/{members[0].id}").get_json()["status"] == "member"


def test_a_file_with_only_its_header_offers_nothing_to_confirm(quilted, client):
    response = upload(client, HEADER.encode())
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "The file has a header line and no people." in body
    assert "/register/import/confirm" not in body
