"""Sessions the server can end: log-out, log out everywhere, idle and absolute limits, rotation at log-in."""

import time

import pytest

from tests.conftest import PASSWORD, csrf_token


def copy_of_cookie(app, client):
    """A second browser holding a copy of ``client``'s session cookie, as an attacker would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def log_out_by_api(client):
    assert client.delete("/api/v1/session").status_code == 204


def log_out_by_page(client):
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302


@pytest.mark.parametrize("log_out", [log_out_by_api, log_out_by_page], ids=["api", "page"])
def test_a_cookie_copied_before_log_out_stops_working(app, client, login, make_account, log_out):
    login(make_account().email)
    thief = copy_of_cookie(app, client)
    assert thief.get("/api/v1/account").status_code == 200

    log_out(client)

    response = thief.get("/api/v1/account")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/account").status_code == 401


def test_log_out_ends_only_that_session(app, client, login, make_account):
    account = make_account()
    login(account.email)
    laptop = app.test_client()
    login(account.email, who=laptop)
    log_out_by_api(client)
    assert laptop.get("/api/v1/account").status_code == 200


def test_log_out_everywhere_ends_every_other_session(app, client, login, make_account):
    account = make_account()
    login(account.email)
    thief = copy_of_cookie(app, client)
    laptop = app.test_client()
    login(account.email, who=laptop)

    assert laptop.post("/api/v1/sessions/revoke-all").status_code == 204

    assert laptop.get("/api/v1/account").status_code == 200
    assert client.get("/api/v1/account").status_code == 401
    assert thief.get("/api/v1/account").status_code == 401
    # Logging in again works as before.
    login(account.email)
    assert client.get("/api/v1/account").status_code == 200


def test_log_out_everywhere_from_the_account_page(app, client, login, make_account):
    account = make_account()
    login(account.email)
    thief = copy_of_cookie(app, client)
    page = client.get("/account").get_data(as_text=True)
    assert 'action="/account/sessions/revoke-all"' in page and "Log out everywhere else" in page

    response = client.post("/account/sessions/revoke-all", data={"csrf_token": csrf_token(client, "/account")})

    assert response.status_code == 302
    assert "You are logged out everywhere else." in client.get("/account").get_data(as_text=True)
    assert thief.get("/api/v1/account").status_code == 401


def test_end_all_sessions_ends_the_sessions_of_that_account_only(app, client, login, make_account):
    from coopnet.extensions import db
    from coopnet.platform.models import Account
    from coopnet.platform.sessions import end_all_sessions

    account, other = make_account(), make_account()
    login(account.email)
    bystander = app.test_client()
    login(other.email, who=bystander)
    with app.app_context():
        assert end_all_sessions(db.session, db.session.get(Account, account.id)) == 1
        db.session.commit()
    assert client.get("/api/v1/account").status_code == 401
    assert bystander.get("/api/v1/account").status_code == 200


def test_log_in_starts_a_new_session_with_a_new_csrf_token(app, client, make_account):
    account = make_account()
    before_token = csrf_token(client, "/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"  # session fixation: set before log-in
        raw_before = session["csrf_token"]

    response = client.post("/login", data={"csrf_token": before_token, "email": account.email, "password": PASSWORD})

    assert response.status_code == 302
    csrf_token(client, "/account")
    with client.session_transaction() as session:
        assert session["_user_id"] == str(account.id)
        assert "planted" not in session
        assert session["csrf_token"] != raw_before
    # A CSRF token learnt before log-in cannot log the person out (nor do anything else).
    client.post("/logout", data={"csrf_token": before_token})
    assert client.get("/api/v1/account").status_code == 200


@pytest.mark.parametrize(
    "key, age",
    [("seen", 9 * 3600), ("started", 15 * 24 * 3600)],
    ids=["idle for 9 hours", "logged in 15 days ago"],
)
def test_an_idle_or_old_session_ends(client, login, make_account, key, age):
    login(make_account().email)
    with client.session_transaction() as session:
        session[key] = int(time.time()) - age
    assert client.get("/api/v1/account").status_code == 401


def test_session_cookies_end_with_the_browser(client, login, make_account):
    response = login(make_account().email)
    cookie = response.headers["Set-Cookie"]
    assert "session=" in cookie and "Expires=" not in cookie
