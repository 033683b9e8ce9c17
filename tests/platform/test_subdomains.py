"""Issue 6: subdomain mode in a browser: one log-in for the apex and every co-op,
a log-in page on a co-op's subdomain, links from BASE_URL, other Hosts refused."""

import re

import pytest

from coopnet import create_app
from tests.conftest import PASSWORD

DOMAIN = "coopnet.test"


@pytest.fixture
def subdomain_app(app, db):
    fresh = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": app.instance_path,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "REDIS_URL": app.config["REDIS_URL"],
            "PLATFORM_DOMAIN": DOMAIN,
            "BASE_URL": f"https://{DOMAIN}",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
        }
    )
    yield fresh
    with fresh.app_context():
        from coopnet.extensions import db as _db

        _db.engine.dispose()


def test_the_session_cookie_is_for_the_domain_and_its_co_ops(subdomain_app):
    assert subdomain_app.config["SESSION_COOKIE_DOMAIN"] == DOMAIN
    assert subdomain_app.config["BASE_URL"] == f"https://{DOMAIN}"


def test_log_in_on_a_co_op_subdomain_carries_to_the_apex_and_back(subdomain_app, make_tenant):
    _, admin = make_tenant("quilted")
    browser = subdomain_app.test_client()
    co_op = "http://quilted.coopnet.test"

    visit = browser.get(f"{co_op}/")
    assert visit.status_code == 302
    assert visit.headers["Location"].startswith("/login?next=")  # relative: stays on the subdomain
    page = browser.get(f"{co_op}/login")
    assert page.status_code == 200 and "Log in" in page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = browser.post(
        f"{co_op}/login", data={"csrf_token": token, "email": admin.email, "password": PASSWORD, "next": "/c/quilted/"}
    )
    assert response.status_code == 302
    assert f"Domain={DOMAIN}" in response.headers["Set-Cookie"]
    assert browser.get(f"{co_op}/").status_code == 200
    account = browser.get(f"http://{DOMAIN}/api/v1/account")
    assert account.status_code == 200  # the same cookie at the apex
    assert account.get_json()["memberships"][0]["tenant"]["url"] == f"https://{DOMAIN}/c/quilted/"


@pytest.mark.parametrize("host", ["evil.example", "coopnet.test.evil.example", "127.0.0.1"])
def test_a_host_that_is_neither_the_domain_nor_a_co_op_is_refused(subdomain_app, host):
    response = subdomain_app.test_client().get("/login", headers={"Host": host})
    assert response.status_code == 400


def test_links_in_mail_come_from_base_url_not_the_host_header(app, client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    secret = client.post("/api/v1/tokens", json={"name": "script"}).get_json()["secret"]
    response = app.test_client().post(
        "/c/quilted/api/v1/invitations",
        json={"email": "kyle@quilted.example"},
        headers={"Host": "evil.example", "Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201
    body = client.get("/c/quilted/api/v1/outbox").get_json()["messages"][0]["body"]
    assert "evil.example" not in body
    assert "http://127.0.0.1:5000/c/quilted/join/" in body
