"""The governance pages, as a member clicks through them (forms with their CSRF tokens)."""

from datetime import datetime, timedelta, timezone

from tests.conftest import csrf_token


def test_adopt_propose_and_take_a_position_through_the_pages(client, login, make_tenant):
    _, admin = make_tenant("quilted", name="Quilted")
    login(admin.email)
    empty = client.get("/c/quilted/decisions").get_data(as_text=True)
    assert "no rulebook yet" in empty
    token = csrf_token(client, "/c/quilted/rulebook")
    adopted = client.post("/c/quilted/rulebook", data={"csrf_token": token, "preset": "quilted"})
    assert adopted.status_code == 302
    assert "Version 1 (in force)" in client.get("/c/quilted/rulebook").get_data(as_text=True)

    token = csrf_token(client, "/c/quilted/decisions")
    closes = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        "/c/quilted/decisions",
        data={"csrf_token": token, "category": "pay", "title": "", "body": "x", "closes_at": closes},
    )
    assert bad.status_code == 422 and "Enter a title" in bad.get_data(as_text=True)
    assert "x</textarea>" in bad.get_data(as_text=True)  # what was typed is kept
    opened = client.post(
        "/c/quilted/decisions",
        data={
            "csrf_token": token,
            "category": "pay",
            "title": "Equal pay of $25 an hour",
            "body": "For all work.",
            "closes_at": closes,
        },
    )
    assert opened.status_code == 302
    page_url = opened.headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    assert "Equal pay of $25 an hour" in page and 'value="stand_aside"' in page and 'value="block"' not in page
    token = csrf_token(client, page_url)
    took = client.post(f"{page_url}/position", data={"csrf_token": token, "stance": "stand_aside"})
    assert took.status_code == 302
    page = client.get(page_url).get_data(as_text=True)
    assert "Your position: stand aside" in page
    listing = client.get("/c/quilted/decisions").get_data(as_text=True)
    assert "1 of 1" in listing and "you: stand aside" in listing


def test_meetings_and_minutes_pages(client, login, make_tenant):
    _, admin = make_tenant("gaia-host", name="GAIA Host")
    login(admin.email)
    client.post("/c/gaia-host/api/v1/rulebook/adopt", json={"preset": "gaia-host"})
    token = csrf_token(client, "/c/gaia-host/meetings")
    scheduled = client.post(
        "/c/gaia-host/meetings",
        data={
            "csrf_token": token,
            "title": "Monthly members' meeting",
            "starts_at": "2026-12-07T17:00",
            "recurrence": "monthly",
            "location": "Video call",
        },
    )
    assert scheduled.status_code == 302
    drafted = client.post(
        "/c/gaia-host/minutes",
        data={
            "csrf_token": token,
            "held_on": "2026-11-02",
            "issues": "Accountability statements",
            "decisions": "Adopt them",
        },
    )
    assert drafted.status_code == 302
    minutes_page = client.get(drafted.headers["Location"]).get_data(as_text=True)
    assert "Accountability statements" in minutes_page and "Draft" in minutes_page
    markdown = client.get(drafted.headers["Location"] + ".md")
    assert markdown.status_code == 200 and "## Issues discussed" in markdown.get_data(as_text=True)
    assert "Monthly members" in client.get("/c/gaia-host/meetings").get_data(as_text=True)
    assert "intact" in client.get("/c/gaia-host/minutes/verify").get_data(as_text=True)


def test_minutes_as_pdf_and_meetings_as_a_calendar_feed_behind_a_member_secret(
    client, login, make_tenant, make_account, add_member, app
):
    import re

    _, admin = make_tenant("electric-embers", name="Electric Embers")
    login(admin.email)
    client.post("/c/electric-embers/api/v1/rulebook/adopt", json={"preset": "electric-embers"})
    client.post(
        "/c/electric-embers/api/v1/meetings",
        json={"title": "Weekly call", "starts_at": "2026-12-02T17:00:00+00:00", "recurrence": "weekly"},
    )
    minutes = client.post("/c/electric-embers/api/v1/minutes", json={"held_on": "2026-11-25", "issues": "Ünïcode ok"})
    pdf = client.get(f"/c/electric-embers/minutes/{minutes.get_json()['id']}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    token = csrf_token(client, "/c/electric-embers/meetings")
    made = client.post("/c/electric-embers/meetings/calendar-key", data={"csrf_token": token}, follow_redirects=True)
    url = re.search(r"(http\S+/meetings\.ics\?key=[\w-]+)", made.get_data(as_text=True)).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]
    anonymous = app.test_client()
    feed = anonymous.get("/" + path)
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.data
    assert b"SUMMARY:Weekly call" in feed.data and b"RRULE:FREQ=WEEKLY" in feed.data
    assert anonymous.get("/c/electric-embers/meetings.ics?key=guess").status_code == 404
    assert anonymous.get("/c/electric-embers/meetings.ics").status_code == 404
    make_tenant("quilted")
    assert anonymous.get("/" + path.replace("electric-embers", "quilted")).status_code == 404
