"""Account features: password reset, sign-in links, address verification and change,
password change, the session list, two-factor authentication and account deletion."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
import time_machine

from coopnet.database import utcnow
from tests.conftest import PASSWORD, csrf_token, link_token, platform_mail, run_jobs

NEW_PASSWORD = "a-whole-new-password-42"


def last_link(engine, email, path):
    return link_token(platform_mail(engine, email)[-1]["body"], path)


def logged_in_client(app, login, email, password=PASSWORD):
    other = app.test_client()
    login(email, password, who=other)
    return other


# Password reset


def test_password_reset_by_mailed_link_sets_the_password_once_and_ends_every_session(
    app, client, engine, login, make_account
):
    account = make_account()
    elsewhere = logged_in_client(app, login, account.email)

    asked = client.post("/api/v1/password-reset", json={"email": account.email.upper()})
    assert asked.status_code == 202
    token = last_link(engine, account.email, "/password/reset")

    assert (
        client.post("/api/v1/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}).status_code
        == 204
    )

    assert elsewhere.get("/api/v1/account").status_code == 401
    assert client.post("/api/v1/session", json={"email": account.email, "password": PASSWORD}).status_code == 401
    login(account.email, NEW_PASSWORD)
    again = client.post("/api/v1/password-reset/confirm", json={"token": token, "password": "another-password-99"})
    assert again.status_code == 404
    assert again.get_json()["error"]["code"] == "link_invalid"


def test_password_reset_answers_alike_for_an_unknown_address_and_mails_its_owner(client, engine, make_account):
    account = make_account()
    known = client.post("/api/v1/password-reset", json={"email": account.email})
    unknown = client.post("/api/v1/password-reset", json={"email": "nobody-here@example.org"})

    assert (known.status_code, known.get_json()) == (unknown.status_code, unknown.get_json())
    [note] = platform_mail(engine, "nobody-here@example.org")
    assert "no account uses it" in note["body"] and "/password/reset/" not in note["body"]


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, engine, make_account):
    account = make_account()
    client.post("/api/v1/password-reset", json={"email": account.email})
    token = last_link(engine, account.email, "/password/reset")

    weak = client.post("/api/v1/password-reset/confirm", json={"token": token, "password": "short"})
    assert weak.status_code == 422
    assert "password" in weak.get_json()["error"]["fields"]
    assert (
        client.post("/api/v1/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}).status_code
        == 204
    )


def test_a_reset_link_expires_after_an_hour(client, engine, make_account):
    account = make_account()
    client.post("/api/v1/password-reset", json={"email": account.email})
    token = last_link(engine, account.email, "/password/reset")

    with time_machine.travel(utcnow() + timedelta(minutes=61)):
        late = client.post("/api/v1/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert late.status_code == 404


def test_a_newer_reset_link_replaces_the_older_one(client, engine, make_account):
    account = make_account()
    client.post("/api/v1/password-reset", json={"email": account.email})
    first = last_link(engine, account.email, "/password/reset")
    client.post("/api/v1/password-reset", json={"email": account.email})

    assert (
        client.post("/api/v1/password-reset/confirm", json={"token": first, "password": NEW_PASSWORD}).status_code
        == 404
    )


def test_password_reset_through_the_pages(client, engine, login, make_account):
    account = make_account()
    page = client.post(
        "/password/forgot", data={"csrf_token": csrf_token(client, "/password/forgot"), "email": account.email}
    )
    assert page.status_code == 200 and "Check your email" in page.get_data(as_text=True)
    token = last_link(engine, account.email, "/password/reset")

    short = client.post(
        f"/password/reset/{token}", data={"csrf_token": csrf_token(client, f"/password/reset/{token}"), "password": "x"}
    )
    assert short.status_code == 422 and 'aria-invalid="true"' in short.get_data(as_text=True)
    done = client.post(
        f"/password/reset/{token}",
        data={"csrf_token": csrf_token(client, f"/password/reset/{token}"), "password": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done.location.endswith("/login")
    login(account.email, NEW_PASSWORD)


def test_reset_requests_are_throttled_per_address_mailed(client, make_account):
    account = make_account()
    answers = [client.post("/api/v1/password-reset", json={"email": account.email}).status_code for _ in range(6)]
    assert answers == [202] * 5 + [429]


# Sign-in link


def test_a_sign_in_link_logs_the_owner_in_once(app, engine, make_account):
    account = make_account()
    browser = app.test_client()
    assert browser.post("/api/v1/sign-in-link", json={"email": account.email}).status_code == 202
    token = last_link(engine, account.email, "/login/link")

    signed_in = browser.post("/api/v1/sign-in-link/confirm", json={"token": token})
    assert signed_in.status_code == 200
    assert browser.get("/api/v1/account").get_json()["account"]["id"] == account.id
    assert app.test_client().post("/api/v1/sign-in-link/confirm", json={"token": token}).status_code == 404


def test_a_sign_in_link_for_an_unknown_address_answers_alike_and_mails_only_a_note(client, engine, make_account):
    account = make_account()
    known = client.post("/api/v1/sign-in-link", json={"email": account.email})
    unknown = client.post("/api/v1/sign-in-link", json={"email": "ghost@example.org"})

    assert (known.status_code, known.get_json()) == (unknown.status_code, unknown.get_json())
    [note] = platform_mail(engine, "ghost@example.org")
    assert "no account uses it" in note["body"] and "/login/link/" not in note["body"]


def test_the_log_in_page_points_to_reset_and_sign_in_links(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and 'href="/login/link"' in page


# Address verification and change


def test_an_unverified_account_verifies_its_address_by_link(client, engine, login, make_account):
    account = make_account(verified=False)
    login(account.email)
    assert client.get("/api/v1/account").get_json()["account"]["email_verified"] is False

    assert client.post("/api/v1/account/verification").status_code == 202
    token = last_link(engine, account.email, "/account/verify")
    assert client.post("/api/v1/account/verification/confirm", json={"token": token}).status_code == 200

    assert client.get("/api/v1/account").get_json()["account"]["email_verified"] is True
    again = client.post("/api/v1/account/verification")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_verified"


def test_an_address_change_waits_for_the_new_address_to_confirm(client, engine, login, make_account):
    account = make_account()
    login(account.email)
    new = f"moved-{account.id}@example.org"

    wrong = client.post("/api/v1/account/email", json={"email": new, "password": "not-my-password"})
    assert wrong.status_code == 422 and "password" in wrong.get_json()["error"]["fields"]
    assert platform_mail(engine, new) == []

    assert client.post("/api/v1/account/email", json={"email": new, "password": PASSWORD}).status_code == 202
    assert client.get("/api/v1/account").get_json()["account"]["email"] == account.email
    assert "about to change" in platform_mail(engine, account.email)[-1]["subject"]
    token = last_link(engine, new, "/account/email")

    assert client.post("/api/v1/account/email/confirm", json={"token": token}).status_code == 200
    assert client.get("/api/v1/account").get_json()["account"]["email"] == new
    assert client.post("/api/v1/session", json={"email": account.email, "password": PASSWORD}).status_code == 401
    login(new)


def test_moving_to_an_address_another_account_holds_changes_nothing_and_says_so_only_by_mail(
    client, engine, login, make_account
):
    account, other = make_account(), make_account()
    login(account.email)

    answer = client.post("/api/v1/account/email", json={"email": other.email, "password": PASSWORD})

    assert answer.status_code == 202
    [note] = platform_mail(engine, other.email)
    assert "another account uses it" in note["body"] and "/account/email/" not in note["body"]
    assert client.get("/api/v1/account").get_json()["account"]["email"] == account.email


# Password change and sessions


def test_a_password_change_ends_every_other_session(app, client, login, make_account):
    account = make_account()
    login(account.email)
    elsewhere = logged_in_client(app, login, account.email)

    wrong = client.post(
        "/api/v1/account/password", json={"current_password": "nope-nope-nope", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 422 and "current_password" in wrong.get_json()["error"]["fields"]
    assert elsewhere.get("/api/v1/account").status_code == 200

    changed = client.post("/api/v1/account/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 204
    assert client.get("/api/v1/account").status_code == 200
    assert elsewhere.get("/api/v1/account").status_code == 401
    login(account.email, NEW_PASSWORD, who=app.test_client())


def test_the_session_list_shows_each_log_in_and_ends_one(app, client, login, make_account):
    account = make_account()
    login(account.email)
    laptop = logged_in_client(app, login, account.email)

    listed = client.get("/api/v1/sessions").get_json()["sessions"]
    assert len(listed) == 2
    [mine] = [entry for entry in listed if entry["current"]]
    [other] = [entry for entry in listed if not entry["current"]]

    assert client.delete(f"/api/v1/sessions/{other['id']}").status_code == 204
    assert laptop.get("/api/v1/account").status_code == 401
    assert [entry["id"] for entry in client.get("/api/v1/sessions").get_json()["sessions"]] == [mine["id"]]
    assert client.delete(f"/api/v1/sessions/{other['id']}").status_code == 404


def test_nobody_ends_another_accounts_session(app, client, login, make_account):
    victim, attacker = make_account(), make_account()
    victim_browser = logged_in_client(app, login, victim.email)
    victim_session = victim_browser.get("/api/v1/sessions").get_json()["sessions"][0]["id"]
    login(attacker.email)

    refused = client.delete(f"/api/v1/sessions/{victim_session}")

    assert refused.status_code == 404
    assert victim_browser.get("/api/v1/account").status_code == 200
    assert all(entry["id"] != victim_session for entry in client.get("/api/v1/sessions").get_json()["sessions"])


def test_the_account_page_lists_sessions_and_ends_one(app, client, login, make_account):
    account = make_account()
    login(account.email)
    phone = logged_in_client(app, login, account.email)
    page = client.get("/account").get_data(as_text=True)
    [end_path] = re.findall(r'action="(/account/sessions/\d+/end)"', page)

    assert client.post(end_path, data={"csrf_token": csrf_token(client, "/account")}).status_code == 302
    assert phone.get("/api/v1/account").status_code == 401


# Two-factor authentication


def next_code(secret):
    """The app's code for the next 30-second step: accepted now (clock drift), and
    later than the step that turned two-factor on. (Travelling in time instead would
    leave the test client's session cookie signed in the future, which is refused.)"""
    return pyotp.TOTP(secret).at(time.time() + 30)


def turn_on_two_factor(client):
    setup = client.post("/api/v1/account/two-factor")
    assert setup.status_code == 201, setup.get_json()
    secret = setup.get_json()["secret"]
    assert setup.get_json()["uri"].startswith("otpauth://totp/")
    codes = client.post(
        "/api/v1/account/two-factor/confirm", json={"code": pyotp.TOTP(secret).now(), "password": PASSWORD}
    )
    assert codes.status_code == 200, codes.get_json()
    return secret, codes.get_json()["recovery_codes"]


def test_two_factor_asks_for_a_code_at_log_in_and_accepts_each_code_once(app, client, login, make_account):
    account = make_account()
    login(account.email)
    secret, recovery = turn_on_two_factor(client)
    assert len(recovery) == 10 and len(set(recovery)) == 10

    browser = app.test_client()
    bare = browser.post("/api/v1/session", json={"email": account.email, "password": PASSWORD})
    assert bare.status_code == 401 and bare.get_json()["error"]["code"] == "two_factor_code_required"
    wrong = browser.post("/api/v1/session", json={"email": account.email, "password": PASSWORD, "code": "000000"})
    assert wrong.status_code == 401 and wrong.get_json()["error"]["code"] == "invalid_two_factor_code"

    code = next_code(secret)
    good = browser.post("/api/v1/session", json={"email": account.email, "password": PASSWORD, "code": code})
    assert good.status_code == 200
    replay = app.test_client().post(
        "/api/v1/session", json={"email": account.email, "password": PASSWORD, "code": code}
    )
    assert replay.status_code == 401

    with_recovery = {"email": account.email, "password": PASSWORD, "code": recovery[0].upper()}
    assert app.test_client().post("/api/v1/session", json=with_recovery).status_code == 200
    assert app.test_client().post("/api/v1/session", json=with_recovery).status_code == 401
    assert client.get("/api/v1/account/two-factor").get_json()["recovery_codes_left"] == 9


def test_a_wrong_code_does_not_turn_two_factor_on(client, login, make_account):
    login(make_account().email)
    assert client.post("/api/v1/account/two-factor").status_code == 201

    refused = client.post("/api/v1/account/two-factor/confirm", json={"code": "12345x", "password": PASSWORD})

    assert refused.status_code == 422 and "code" in refused.get_json()["error"]["fields"]
    assert client.get("/api/v1/account/two-factor").get_json()["enabled"] is False


def test_two_factor_at_the_log_in_page_is_a_second_step(app, client, login, make_account):
    account = make_account()
    login(account.email)
    secret, _ = turn_on_two_factor(client)
    browser = app.test_client()

    first = browser.post(
        "/login", data={"csrf_token": csrf_token(browser, "/login"), "email": account.email, "password": PASSWORD}
    )
    assert first.status_code == 302 and first.location.endswith("/login/code")
    assert browser.get("/api/v1/account").status_code == 401
    wrong = browser.post("/login/code", data={"csrf_token": csrf_token(browser, "/login/code"), "code": "999999"})
    assert wrong.status_code == 401 and "That code is wrong" in wrong.get_data(as_text=True)

    done = browser.post(
        "/login/code", data={"csrf_token": csrf_token(browser, "/login/code"), "code": next_code(secret)}
    )
    assert done.status_code == 302
    assert browser.get("/api/v1/account").status_code == 200


def test_a_sign_in_link_still_asks_for_the_second_factor(app, client, engine, login, make_account):
    account = make_account()
    login(account.email)
    secret, _ = turn_on_two_factor(client)
    browser = app.test_client()
    browser.post("/api/v1/sign-in-link", json={"email": account.email})
    token = last_link(engine, account.email, "/login/link")

    bare = browser.post("/api/v1/sign-in-link/confirm", json={"token": token})
    assert bare.status_code == 401 and bare.get_json()["error"]["code"] == "two_factor_code_required"
    confirmed = browser.post("/api/v1/sign-in-link/confirm", json={"token": token, "code": next_code(secret)})
    assert confirmed.status_code == 200
    assert browser.get("/api/v1/account").status_code == 200


def test_turning_two_factor_off_takes_the_password(client, login, make_account):
    account = make_account()
    login(account.email)
    turn_on_two_factor(client)

    assert client.post("/api/v1/account/two-factor/disable", json={"password": "wrong-password-1"}).status_code == 422
    assert client.post("/api/v1/account/two-factor/disable", json={"password": PASSWORD}).status_code == 204
    assert client.get("/api/v1/account/two-factor").get_json() == {
        "enabled": False,
        "recovery_codes_left": 0,
        "required_by": [],
    }


def test_an_api_token_cannot_set_up_two_factor(client, login, make_account):
    login(make_account().email)
    secret = client.post("/api/v1/tokens", json={"name": "script"}).get_json()["secret"]
    refused = client.application.test_client().post(
        "/api/v1/account/two-factor", headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "token_not_allowed"


# A co-op that requires two-factor


def test_a_coop_can_require_two_factor_of_its_members(app, client, login, make_tenant, make_account, add_member):
    tenant, admin = make_tenant()
    member = make_account()
    add_member(tenant, member)
    login(admin.email)

    too_early = client.put(f"/c/{tenant.slug}/api/v1/security", json={"require_two_factor": True})
    assert too_early.status_code == 409 and too_early.get_json()["error"]["code"] == "two_factor_off"
    turn_on_two_factor(client)
    assert client.put(f"/c/{tenant.slug}/api/v1/security", json={"require_two_factor": True}).status_code == 200

    browser = logged_in_client(app, login, member.email)
    refused = browser.get(f"/c/{tenant.slug}/api/v1/outbox")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "two_factor_required"
    page = browser.get(f"/c/{tenant.slug}/")
    assert page.status_code == 302 and page.location.endswith("/account/two-factor")
    assert client.get(f"/c/{tenant.slug}/api/v1/security").get_json() == {"require_two_factor": True}
    turn_on_two_factor(browser)
    assert browser.get(f"/c/{tenant.slug}/").status_code == 200
    off = browser.post("/api/v1/account/two-factor/disable", json={"password": PASSWORD})
    assert off.status_code == 409 and off.get_json()["error"]["code"] == "two_factor_required_by_coop"


@pytest.mark.parametrize("role", ["member", "stranger"])
def test_only_the_coops_admins_set_its_two_factor_rule(client, login, make_tenant, make_account, add_member, role):
    tenant, _ = make_tenant()
    _other, outsider = make_tenant()
    person = outsider if role == "stranger" else make_account()
    if role == "member":
        add_member(tenant, person)
    login(person.email)
    turn_on_two_factor(client)

    refused = client.put(f"/c/{tenant.slug}/api/v1/security", json={"require_two_factor": True})

    assert refused.status_code == (403 if role == "member" else 404)
    with client.application.app_context():
        from coopnet.extensions import db
        from coopnet.platform.models import Tenant

        assert db.session.get(Tenant, tenant.id).require_two_factor is False


# Deleting an account


def test_deleting_an_account_anonymises_it_and_keeps_the_coop(
    app, client, engine, login, make_tenant, make_account, add_member
):
    from datetime import date

    from coopnet.database import tenant_scope
    from coopnet.extensions import db
    from coopnet.platform.models import Account, Tenant
    from coopnet.tenants.membership import lifecycle

    tenant, admin = make_tenant()
    member = make_account(name="Rosa Parks")
    add_member(tenant, member)
    with app.app_context(), tenant_scope(db.session, tenant.slug):
        ref = db.session.get(Tenant, tenant.id)
        lifecycle.enrol(
            db.session, ref, db.session.get(Account, member.id), "member", date(2019, 3, 1), "member", admin.id
        )
        db.session.commit()
    login(member.email)
    secret = client.post("/api/v1/tokens", json={"name": "script"}).get_json()["secret"]

    assert client.post("/api/v1/account/deletion", json={"password": "wrong-password-1"}).status_code == 422
    assert client.post("/api/v1/account/deletion", json={"password": PASSWORD}).status_code == 204
    run_jobs(app)

    assert client.get("/api/v1/account").status_code == 401
    assert app.test_client().get("/api/v1/account", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert (
        app.test_client().post("/api/v1/session", json={"email": member.email, "password": PASSWORD}).status_code == 401
    )
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT name, email, deleted_at FROM accounts WHERE id = %s", (member.id,)).one()
        roles = conn.exec_driver_sql("SELECT count(*) FROM memberships WHERE account_id = %s", (member.id,)).scalar()
    assert row[0] == "Former member" and row[1].endswith("@deleted.invalid") and row[2] is not None
    assert roles == 0
    # In the co-op's own register: a withdrawal today, audited, with the exit recorded;
    # the register lists the person as "Former member".
    with engine.connect() as conn:
        schema = tenant.schema
        status = conn.exec_driver_sql(f"SELECT status FROM {schema}.member_records WHERE account_id = %s", (member.id,))
        change = conn.exec_driver_sql(
            f"SELECT to_status, reason FROM {schema}.status_changes WHERE account_id = %s ORDER BY id DESC",
            (member.id,),
        ).first()
        exits = conn.exec_driver_sql(f"SELECT count(*) FROM {schema}.member_exits WHERE account_id = %s", (member.id,))
        assert status.scalar() == "withdrawn" and exits.scalar() == 1
    assert change == ("withdrawn", "Deleted their coopnet account.")
    admin_browser = app.test_client()
    login(admin.email, who=admin_browser)
    register = admin_browser.get(f"/c/{tenant.slug}/register").get_data(as_text=True)
    assert "Former member" in register and "Rosa Parks" not in register


def test_the_only_admin_cannot_delete_their_account(client, login, make_tenant):
    tenant, admin = make_tenant()
    login(admin.email)

    refused = client.post("/api/v1/account/deletion", json={"password": PASSWORD})

    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "last_admin"
    assert tenant.name in refused.get_json()["error"]["message"]
    assert client.get("/api/v1/account").status_code == 200


def test_wrong_codes_count_against_the_account_wherever_they_are_typed(app, client, engine, login, make_account):
    account = make_account()
    login(account.email)
    secret, _ = turn_on_two_factor(client)
    first, second = app.test_client(), app.test_client()
    first.post("/api/v1/sign-in-link", json={"email": account.email})
    token = last_link(engine, account.email, "/login/link")
    wrong = {"email": account.email, "password": PASSWORD, "code": "000000"}

    answers = [first.post("/api/v1/session", json=wrong).status_code for _ in range(3)]
    answers += [second.post("/api/v1/sign-in-link/confirm", json={"token": token, "code": "000000"}).status_code]
    browser = app.test_client()
    browser.post(
        "/login", data={"csrf_token": csrf_token(browser, "/login"), "email": account.email, "password": PASSWORD}
    )
    answers += [
        browser.post(
            "/login/code", data={"csrf_token": csrf_token(browser, "/login/code"), "code": "000000"}
        ).status_code
    ]
    refused = second.post("/api/v1/sign-in-link/confirm", json={"token": token, "code": next_code(secret)})

    assert answers == [401] * 5
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "too_many_attempts"


def test_a_pending_address_change_dies_with_a_password_change(client, engine, login, make_account):
    account = make_account()
    login(account.email)
    thief_address = f"thief-{account.id}@example.org"
    client.post("/api/v1/account/email", json={"email": thief_address, "password": PASSWORD})
    token = last_link(engine, thief_address, "/account/email")

    client.post("/api/v1/account/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert client.post("/api/v1/account/email/confirm", json={"token": token}).status_code == 404
    assert client.get("/api/v1/account").get_json()["account"]["email"] == account.email
    assert "password" in platform_mail(engine, account.email)[-1]["body"]


def test_verification_requests_of_different_accounts_do_not_share_a_limit(app, login, make_account):
    answers = []
    for _ in range(7):
        browser = app.test_client()
        login(make_account(verified=False).email, who=browser)
        answers.append(browser.post("/api/v1/account/verification").status_code)
    assert answers == [202] * 7


def test_address_change_requests_are_throttled_per_address_mailed(client, engine, login, make_account):
    login(make_account().email)
    victim = "inbox-owner@example.org"
    answers = [
        client.post("/api/v1/account/email", json={"email": victim, "password": PASSWORD}).status_code for _ in range(6)
    ]
    assert answers == [202] * 5 + [429]
    assert len(platform_mail(engine, victim)) == 5


def test_turning_two_factor_on_takes_the_password(client, login, make_account):
    login(make_account().email)
    secret = client.post("/api/v1/account/two-factor").get_json()["secret"]

    refused = client.post(
        "/api/v1/account/two-factor/confirm", json={"code": pyotp.TOTP(secret).now(), "password": "borrowed-session"}
    )

    assert refused.status_code == 422 and "password" in refused.get_json()["error"]["fields"]
    assert client.get("/api/v1/account/two-factor").get_json()["enabled"] is False


def test_two_factor_through_the_pages(client, engine, login, make_account):
    account = make_account()
    login(account.email)
    begun = client.post("/account/two-factor/begin", data={"csrf_token": csrf_token(client, "/account/two-factor")})
    assert begun.status_code == 302
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", page).group(1)

    wrong = client.post(
        "/account/two-factor",
        data={"csrf_token": csrf_token(client, "/account/two-factor"), "code": "000000", "password": PASSWORD},
    )
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.get_data(as_text=True)
    done = client.post(
        "/account/two-factor",
        data={
            "csrf_token": csrf_token(client, "/account/two-factor"),
            "code": pyotp.TOTP(secret).now(),
            "password": PASSWORD,
        },
    )
    assert (
        done.status_code == 200
        and len(re.findall(r"<li><code>[a-z2-9]{5}-[a-z2-9]{5}</code></li>", done.get_data(as_text=True))) == 10
    )
    assert "turned on" in platform_mail(engine, account.email)[-1]["body"]


def test_password_and_address_change_through_the_pages(client, engine, login, make_account):
    account = make_account()
    login(account.email)
    wrong = client.post(
        "/account/password",
        data={"csrf_token": csrf_token(client, "/account/password"), "current_password": "x", "new_password": "y"},
    )
    assert wrong.status_code == 422
    body = wrong.get_data(as_text=True)
    assert "That is not your current password." in body and "at least 10 characters" in body
    changed = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(client, "/account/password"),
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302 and client.get("/account").status_code == 200

    new = f"page-{account.id}@example.org"
    asked = client.post(
        "/account/email",
        data={"csrf_token": csrf_token(client, "/account/email"), "email": new, "password": NEW_PASSWORD},
    )
    assert asked.status_code == 302
    token = last_link(engine, new, "/account/email")
    assert "<button" in client.get(f"/account/email/{token}").get_data(as_text=True)  # a GET changes nothing
    assert client.get("/api/v1/account").get_json()["account"]["email"] == account.email
    confirmed = client.post(
        f"/account/email/{token}", data={"csrf_token": csrf_token(client, f"/account/email/{token}")}
    )
    assert confirmed.status_code == 302
    assert client.get("/api/v1/account").get_json()["account"]["email"] == new


def test_the_coop_security_page_is_for_its_admins(client, login, make_tenant, make_account, add_member):
    tenant, admin = make_tenant()
    member = make_account()
    add_member(tenant, member)
    login(member.email)
    assert client.get(f"/c/{tenant.slug}/security").status_code == 403
    assert "/security" not in client.get(f"/c/{tenant.slug}/").get_data(as_text=True)
    client.delete("/api/v1/session")

    login(admin.email)
    assert f'href="/c/{tenant.slug}/security"' in client.get(f"/c/{tenant.slug}/").get_data(as_text=True)
    refused = client.post(
        f"/c/{tenant.slug}/security",
        data={"csrf_token": csrf_token(client, f"/c/{tenant.slug}/security"), "require_two_factor": "y"},
    )
    assert refused.status_code == 409 and "Turn on two-factor" in refused.get_data(as_text=True)
    assert client.get(f"/c/{tenant.slug}/api/v1/security").get_json() == {"require_two_factor": False}


def test_deleting_an_account_through_the_page(client, engine, login, make_tenant, make_account, add_member):
    tenant, _ = make_tenant()
    member = make_account()
    add_member(tenant, member)
    login(member.email)
    wrong = client.post("/account/delete", data={"csrf_token": csrf_token(client, "/account/delete"), "password": "no"})
    assert wrong.status_code == 422
    done = client.post(
        "/account/delete", data={"csrf_token": csrf_token(client, "/account/delete"), "password": PASSWORD}
    )
    assert done.status_code == 302
    assert client.get("/api/v1/account").status_code == 401


def test_an_api_token_opens_no_page(app, client, login, make_account):
    login(make_account().email)
    secret = client.post("/api/v1/tokens", json={"name": "script"}).get_json()["secret"]
    thief = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}

    page = thief.get("/account", headers=bearer)

    assert page.status_code == 302 and "/login" in page.location
    assert thief.get("/api/v1/account", headers=bearer).status_code == 200
    assert thief.post("/api/v1/sessions/revoke-all", headers=bearer).status_code == 403
    assert thief.get("/api/v1/sessions", headers=bearer).status_code == 403


def test_turning_two_factor_on_ends_every_other_session(app, client, login, make_account):
    account = make_account()
    login(account.email)
    before = logged_in_client(app, login, account.email)

    turn_on_two_factor(client)

    assert before.get("/api/v1/account").status_code == 401
    assert client.get("/api/v1/account").status_code == 200


def test_a_password_reset_revokes_the_accounts_api_tokens(app, client, engine, login, make_account):
    account = make_account()
    login(account.email)
    secret = client.post("/api/v1/tokens", json={"name": "minted by a thief"}).get_json()["secret"]
    client.post("/api/v1/password-reset", json={"email": account.email})
    token = last_link(engine, account.email, "/password/reset")

    client.post("/api/v1/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})

    assert app.test_client().get("/api/v1/account", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_borrowed_session_cannot_guess_the_password(client, login, make_account):
    account = make_account()
    login(account.email)
    guesses = [
        client.post(
            "/api/v1/account/password", json={"current_password": f"guess-number-{n}", "new_password": NEW_PASSWORD}
        ).status_code
        for n in range(6)
    ]
    assert guesses == [422] * 5 + [429]
    right = client.post("/api/v1/account/deletion", json={"password": PASSWORD})
    assert right.status_code == 429 and right.get_json()["error"]["code"] == "too_many_attempts"


def test_last_seen_follows_the_cookie_in_a_transaction_of_its_own(app, client, engine, login, make_account):
    account = make_account()
    login(account.email)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE account_sessions SET seen_at = now() - interval '1 hour' WHERE account_id = %s", (account.id,)
        )
    with client.session_transaction() as cookie:
        cookie["seen"] -= 400  # the cookie's last request was more than five minutes ago

    assert client.get("/api/v1/account").status_code == 200

    with engine.connect() as conn:
        age = conn.exec_driver_sql(
            "SELECT now() - seen_at < interval '1 minute' FROM account_sessions WHERE account_id = %s", (account.id,)
        ).scalar()
    assert age is True


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "/\tevil", "//evil.example", "https://evil"])
def test_after_log_in_no_next_leads_off_the_site(client, make_account, target):
    account = make_account()
    response = client.post(
        "/login",
        data={"csrf_token": csrf_token(client, "/login"), "email": account.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302 and response.location in ("/", "http://localhost/")
