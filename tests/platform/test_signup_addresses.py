"""Issue 6, vulnerability 5: signup reveals nothing about which addresses have
accounts, nobody gets an account for an address they cannot read, and look-alike
addresses are refused."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from coopnet.extensions import db as _db
from coopnet.platform.models import SignupRequest
from tests.conftest import PASSWORD, counts, csrf_token, link_token, platform_mail

CYRILLIC_COCO = "\u0441\u043e\u0441\u043e"  # looks exactly like "coco"


def body(email, slug="quilted", name="Quilted"):
    return {"name": name, "slug": slug, "founder": {"name": "Erik", "email": email, "password": PASSWORD}}


def test_signup_answers_the_same_whether_or_not_the_address_has_an_account(app, engine, make_account, monkeypatch):
    make_account("erik@quilted.example")
    hashed = []
    real = app.extensions["coopnet.hasher"]

    class CountingHasher:
        def hash(self, secret):
            hashed.append(1)
            return real.hash(secret)

    monkeypatch.setitem(app.extensions, "coopnet.hasher", CountingHasher())
    before = counts(engine)

    taken = app.test_client().post("/api/v1/signup", json=body("erik@quilted.example"))
    free = app.test_client().post("/api/v1/signup", json=body("michelle@quilted.example", slug="other"))

    assert taken.status_code == free.status_code == 202
    assert taken.get_json() == free.get_json()
    assert "Check your email" in taken.get_json()["message"]
    assert hashed == [1, 1]  # both paths spend one password hash
    assert counts(engine) == before  # nothing created for either, yet
    [to_owner] = platform_mail(engine, "erik@quilted.example")
    assert "already a coopnet account" in to_owner["body"] and "/signup/confirm" not in to_owner["body"]
    assert "/login" in to_owner["body"]
    [to_newcomer] = platform_mail(engine, "michelle@quilted.example")
    assert "/signup/confirm/" in to_newcomer["body"]


def test_the_signup_page_answers_the_same_too(app, engine, make_account):
    make_account("erik@quilted.example")
    pages = []
    for email, slug in [("erik@quilted.example", "quilted"), ("newcomer@quilted.example", "other")]:
        visitor = app.test_client()
        form = {"csrf_token": csrf_token(visitor, "/signup"), "name": "Q", "slug": slug, "founder_name": "E"}
        response = visitor.post("/signup", data=form | {"email": email, "password": PASSWORD})
        pages.append((response.status_code, response.get_data(as_text=True)))
    assert pages[0] == pages[1]
    assert pages[0][0] == 200 and "Check your email" in pages[0][1]


def test_nobody_gets_an_account_for_an_address_they_cannot_read(app, client, engine):
    assert client.post("/api/v1/signup", json=body("victim@quilted.example")).status_code == 202
    # The squatter never sees the mail: no account, no co-op, no session.
    assert counts(engine) == {"tenants": 0, "accounts": 0, "memberships": 0, "schemas": 0}
    assert client.get("/api/v1/account").status_code == 401
    with pytest.raises(AssertionError):
        link_token(platform_mail(engine, "victim@quilted.example")[0]["body"], "/login")
    guessed = client.post("/api/v1/signup/confirm", json={"token": "guessed-token"})
    assert guessed.status_code == 404
    assert guessed.get_json()["error"]["code"] == "signup_link_invalid"
    assert counts(engine)["accounts"] == 0


def test_the_mailed_link_creates_a_verified_founder_once(app, client, engine):
    client.post("/api/v1/signup", json=body("michelle@quilted.example"))
    token = link_token(platform_mail(engine)[0]["body"], "/signup/confirm")

    created = client.post("/api/v1/signup/confirm", json={"token": token})
    assert created.status_code == 201
    assert created.get_json()["tenant"]["slug"] == "quilted"
    assert client.get("/c/quilted/api/v1/").get_json()["role"] == "admin"
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT email_verified_at IS NOT NULL FROM accounts").scalar() is True

    again = app.test_client().post("/api/v1/signup/confirm", json={"token": token})
    assert again.status_code == 404
    assert counts(engine) == {"tenants": 1, "accounts": 1, "memberships": 1, "schemas": 1}


def test_an_expired_link_creates_nothing(app, client, engine):
    client.post("/api/v1/signup", json=body("michelle@quilted.example"))
    token = link_token(platform_mail(engine)[0]["body"], "/signup/confirm")
    with app.app_context():
        _db.session.execute(update(SignupRequest).values(expires_at=SignupRequest.created_at - timedelta(seconds=1)))
        _db.session.commit()
    response = client.post("/api/v1/signup/confirm", json={"token": token})
    assert response.status_code == 404
    assert counts(engine)["accounts"] == 0


def test_an_address_taken_before_the_link_is_followed_is_a_conflict(app, client, engine, make_account):
    client.post("/api/v1/signup", json=body("michelle@quilted.example"))
    token = link_token(platform_mail(engine)[0]["body"], "/signup/confirm")
    make_account("michelle@quilted.example")
    before = counts(engine)
    response = client.post("/api/v1/signup/confirm", json={"token": token})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "email_taken"
    assert counts(engine) == before


def test_addresses_are_normalised_nfkc_and_lower_case(app, client, engine, make_account):
    make_account("erik@quilted.example")
    # Full-width letters are the same address after NFKC: the owner is told, nothing is made.
    fullwidth = "\uff25\uff32\uff29\uff2b@quilted.example"
    assert client.post("/api/v1/signup", json=body(fullwidth)).status_code == 202
    assert "already a coopnet account" in platform_mail(engine, "erik@quilted.example")[0]["body"]
    assert client.post("/api/v1/signup", json=body("Michelle@Quilted.Example", slug="other")).status_code == 202
    token = link_token(platform_mail(engine, "michelle@quilted.example")[0]["body"], "/signup/confirm")
    created = client.post("/api/v1/signup/confirm", json={"token": token})
    assert created.get_json()["account"]["email"] == "michelle@quilted.example"


@pytest.mark.parametrize(
    "email",
    ["erik@qu\u0456lted.example", "\u0435rik@quilted.example", "erik@quilted.\u0435xample"],
    ids=["cyrillic i in the domain", "cyrillic e in the name", "cyrillic e in the top-level domain"],
)
def test_a_mixed_script_address_is_refused_whoever_holds_it(client, engine, make_account, email):
    make_account("erik@quilted.example")
    before = counts(engine)
    response = client.post("/api/v1/signup", json=body(email))
    assert response.status_code == 422
    assert "alphabets" in response.get_json()["error"]["fields"]["founder.email"]
    assert counts(engine) == before and platform_mail(engine) == []


def test_a_whole_script_look_alike_of_an_existing_address_gets_no_account(app, client, engine, make_account):
    make_account("coco@quilted.example")
    lookalike = f"{CYRILLIC_COCO}@quilted.example"
    response = client.post("/api/v1/signup", json=body(lookalike))
    assert response.status_code == 202  # the same answer as any other
    [mail] = platform_mail(engine, lookalike)
    assert "looks like the address of another coopnet account" in mail["body"]
    assert "/signup/confirm" not in mail["body"]
    assert counts(engine)["accounts"] == 1


def test_a_look_alike_cannot_join_through_an_invitation_either(app, client, engine, login, make_tenant, make_account):
    from tests.tenants.membership.test_invitations import invite, link_in_outbox

    make_account("coco@quilted.example")
    _, admin = make_tenant("design-action")
    login(admin.email)
    lookalike = f"{CYRILLIC_COCO}@quilted.example"
    invite(client, "design-action", lookalike)
    _, token = link_in_outbox(client, "design-action")
    visitor = app.test_client()
    url = f"/c/design-action/join/{token}"
    response = visitor.post(url, data={"csrf_token": csrf_token(visitor, url), "name": "C", "password": PASSWORD})
    assert response.status_code == 409
    assert counts(engine)["accounts"] == 2
