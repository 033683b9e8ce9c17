"""A co-op's time zone: its pages show times in it (and name it), and its forms read times
typed into them in it; times are stored in UTC whatever the zone."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from coopnet import i18n
from tests.conftest import csrf_token


def test_times_are_shown_in_the_coops_zone_and_name_it(app):
    from coopnet.platform.tenants import TenantRef

    seen = datetime(2026, 11, 25, 14, 5, tzinfo=timezone.utc)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        from flask import g

        assert i18n.moment(seen) == "11/25/26, 2:05\u202fPM UTC"
        g.tenant = TenantRef(1, "quilted", "Quilted", "coop", "active", time_zone="America/Los_Angeles")
        assert i18n.moment(seen) == "11/25/26, 6:05\u202fAM America/Los_Angeles"
        # Late in the evening in Seattle is already tomorrow in UTC: the day is Seattle's.
        assert i18n.day(datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)) == "Nov 25, 2026"
        # A time typed into a form is the co-op's, stored as UTC.
        assert i18n.from_local(datetime(2026, 7, 1, 9, 30)) == datetime(2026, 7, 1, 16, 30, tzinfo=timezone.utc)


def test_an_admin_sets_the_zone_and_bad_zones_change_nothing(client, make_tenant, make_account, add_member, login):
    tenant, admin = make_tenant()
    url = f"/c/{tenant.slug}/api/v1/time-zone"
    login(admin.email)
    assert client.get(url).get_json() == {"time_zone": None}
    assert client.put(url, json={"time_zone": "America/Los_Angeles"}).get_json() == {"time_zone": "America/Los_Angeles"}
    for bad in ("Mars/Olympus_Mons", "Pacific Time", "../../etc/passwd", "x" * 300, ""):
        refused = client.put(url, json={"time_zone": bad})
        if bad.strip() == "":  # empty is UTC, as null is
            assert refused.status_code == 200
            client.put(url, json={"time_zone": "America/Los_Angeles"})
            continue
        assert refused.status_code == 422, bad
        assert set(refused.get_json()["error"]["fields"]) == {"time_zone"}
    assert client.put(url, json={"time_zone": 5}).status_code == 422
    assert client.get(url).get_json() == {"time_zone": "America/Los_Angeles"}
    assert client.put(url, json={"time_zone": None}).get_json() == {"time_zone": None}

    member = make_account()
    add_member(tenant, member)
    login(member.email)
    assert client.get(url).status_code == 200
    assert client.put(url, json={"time_zone": "Europe/Madrid"}).status_code == 403
    assert client.get(url).get_json() == {"time_zone": None}


def test_another_coops_admin_cannot_read_or_set_the_zone(client, make_tenant, login):
    tenant, _ = make_tenant()
    _, other_admin = make_tenant()
    login(other_admin.email)
    url = f"/c/{tenant.slug}/api/v1/time-zone"
    assert client.get(url).status_code == 404
    assert client.put(url, json={"time_zone": "Europe/Madrid"}).status_code == 404
    token = csrf_token(client, "/account")
    form = {"csrf_token": token, "time_zone": "Europe/Madrid"}
    assert client.post(f"/c/{tenant.slug}/time-zone", data=form).status_code == 404


@pytest.mark.parametrize(("typed", "shown"), [("Europe/Madrid", 200), ("Nowhere/Special", 422)])
def test_the_dashboard_form_sets_the_zone_or_says_why_not(client, make_tenant, login, typed, shown):
    tenant, admin = make_tenant()
    login(admin.email)
    dashboard = f"/c/{tenant.slug}/"
    token = csrf_token(client, dashboard)
    answer = client.post(
        f"/c/{tenant.slug}/time-zone", data={"csrf_token": token, "time_zone": typed}, follow_redirects=True
    )
    assert answer.status_code == shown
    page = answer.get_data(as_text=True)
    if shown == 200:
        assert "The co-op&#39;s time zone is saved." in page and 'value="Europe/Madrid"' in page
    else:
        assert "A time zone such as America/Los_Angeles or Europe/Madrid." in page
        assert 'value="Nowhere/Special"' in page  # what was typed is kept
        assert client.get(f"/c/{tenant.slug}/api/v1/time-zone").get_json() == {"time_zone": None}


def test_a_proposal_typed_in_the_coops_zone_closes_at_that_moment(app, client, make_tenant, login):
    tenant, admin = make_tenant()
    login(admin.email)
    base = f"/c/{tenant.slug}/api/v1"
    assert client.put(f"{base}/time-zone", json={"time_zone": "Europe/Madrid"}).status_code == 200
    assert client.post(f"{base}/rulebook/adopt", json={"preset": "majority"}).status_code == 201
    page = f"/c/{tenant.slug}/decisions"
    form = client.get(page).get_data(as_text=True)
    assert "time zone, Europe/Madrid." in form
    madrid = ZoneInfo("Europe/Madrid")
    closes = (datetime.now(madrid) + timedelta(days=3)).replace(hour=18, minute=0, second=0, microsecond=0)
    opened = client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "category": "spending",
            "title": "A new server",
            "body": "For the rack.",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    body = opened.get_data(as_text=True)
    assert opened.status_code == 302, body[body.find("<main") :][:3000]
    proposals = client.get(f"{base}/proposals").get_json()["proposals"]
    # 18:00 in Madrid (UTC+1 in winter, +2 in summer) is stored as that moment in UTC.
    stored = datetime.fromisoformat(proposals[0]["closes_at"])
    assert stored == closes and stored.astimezone(timezone.utc).hour == closes.astimezone(timezone.utc).hour != 18
    shown = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "6:00\u202fPM Europe/Madrid" in shown
