"""Log in and out, personal API tokens, login throttling."""

from tests.conftest import PASSWORD, csrf_token


def test_login_sets_a_session_and_logout_ends_it(client, make_account):
    account = make_account("colin@quilted.example")
    response = client.post("/api/v1/session", json={"email": "COLIN@quilted.example", "password": PASSWORD})
    assert response.status_code == 200
    assert response.get_json()["account"]["id"] == account.id
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/api/v1/account").status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
    response = client.get("/api/v1/account")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_wrong_password_and_unknown_email_answer_the_same(client, make_account):
    make_account("colin@quilted.example")
    wrong = client.post("/api/v1/session", json={"email": "colin@quilted.example", "password": "wrong password!"})
    unknown = client.post("/api/v1/session", json={"email": "nobody@quilted.example", "password": "wrong password!"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.get_json()["error"]["code"] == "invalid_credentials"


def test_passwords_are_stored_as_argon2id(engine, make_account):
    make_account()
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM accounts").scalar()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_repeated_failures_for_one_account_answer_429_even_with_the_right_password(client, make_account):
    make_account("alex@quilted.example")
    for _ in range(5):
        assert (
            client.post(
                "/api/v1/session", json={"email": "alex@quilted.example", "password": "not it at all"}
            ).status_code
            == 401
        )
    blocked = client.post("/api/v1/session", json={"email": "alex@quilted.example", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.get_json()["error"]["code"] == "too_many_requests"
    # The account limit's window: 15 minutes, a second less when the clock ticked over since the first failure.
    assert int(blocked.headers["Retry-After"]) in (15 * 60 - 1, 15 * 60)
    # Another account from the same address is not locked out by those five.
    make_account("kyle@quilted.example")
    assert (
        client.post("/api/v1/session", json={"email": "kyle@quilted.example", "password": PASSWORD}).status_code == 200
    )


def test_repeated_failures_from_one_address_answer_429(app, client, make_account):
    make_account("kyle@quilted.example")
    for i in range(30):
        client.post("/api/v1/session", json={"email": f"guess{i}@quilted.example", "password": "not it at all"})
    blocked = client.post("/api/v1/session", json={"email": "kyle@quilted.example", "password": PASSWORD})
    assert blocked.status_code == 429


def test_html_login_failures_count_too(client, make_account):
    make_account("alex@quilted.example")
    for _ in range(5):
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"csrf_token": token, "email": "alex@quilted.example", "password": "nope nope nope"}
        )
        assert response.status_code == 401
        assert "do not match" in response.get_data(as_text=True)
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": "alex@quilted.example", "password": PASSWORD})
    assert response.status_code == 429


def test_html_login_redirects_only_to_same_site_paths(client, make_account):
    make_account("alex@quilted.example")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": "alex@quilted.example", "password": PASSWORD, "next": "//evil.example/x"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_validation_errors(client, db):
    response = client.post("/api/v1/session", json={"email": "x@example.org"})
    assert response.status_code == 422
    assert "password" in response.get_json()["error"]["fields"]


def test_personal_token_authenticates_and_can_be_revoked(app, client, login, make_account):
    account = make_account("erik@quilted.example")
    login(account.email)
    created = client.post("/api/v1/tokens", json={"name": "bookkeeping script"})
    assert created.status_code == 201
    secret = created.get_json()["secret"]
    token_id = created.get_json()["token"]["id"]
    assert secret.startswith("cn_")
    client.delete("/api/v1/session")

    bearer = app.test_client()
    me = bearer.get("/api/v1/account", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.get_json()["account"]["email"] == "erik@quilted.example"
    assert "Set-Cookie" not in me.headers or "session=" not in me.headers.get("Set-Cookie", "")

    listed = bearer.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"}).get_json()["tokens"]
    assert [t["name"] for t in listed] == ["bookkeeping script"]
    assert listed[0]["last_used_at"] is not None
    assert secret not in str(listed)

    assert bearer.delete(f"/api/v1/tokens/{token_id}", headers={"Authorization": f"Bearer {secret}"}).status_code == 204
    assert bearer.get("/api/v1/account", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_tokens_are_stored_hashed(engine, client, login, make_account):
    account = make_account()
    login(account.email)
    secret = client.post("/api/v1/tokens", json={"name": "ci"}).get_json()["secret"]
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM api_tokens").scalar()
    assert stored != secret and len(stored) == 64


def test_forged_and_foreign_tokens_are_refused(client, login, make_account):
    owner = make_account()
    other = make_account()
    login(owner.email)
    token_id = client.post("/api/v1/tokens", json={"name": "mine"}).get_json()["token"]["id"]
    assert (
        client.get("/api/v1/account", headers={"Authorization": "Bearer cn_forged"}).status_code == 200
    )  # cookie still works
    client.delete("/api/v1/session")
    assert client.get("/api/v1/account", headers={"Authorization": "Bearer cn_forged"}).status_code == 401
    login(other.email)
    # Someone else's token id: not found, and it stays live.
    assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 404


def test_token_needs_a_name(client, login, make_account):
    login(make_account().email)
    response = client.post("/api/v1/tokens", json={"name": "  "})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["name"]


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(app, make_account):
    """Issue 6: the lock is per (account, address) and per address, not one per account."""
    make_account("alex@quilted.example")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    for _ in range(5):
        wrong = attacker.post("/api/v1/session", json={"email": "alex@quilted.example", "password": "guess guess"})
        assert wrong.status_code == 401
    assert (
        attacker.post("/api/v1/session", json={"email": "alex@quilted.example", "password": PASSWORD}).status_code
        == 429
    )
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    response = owner.post("/api/v1/session", json={"email": "ALEX@quilted.example", "password": PASSWORD})
    assert response.status_code == 200
    assert owner.get("/api/v1/account").get_json()["account"]["email"] == "alex@quilted.example"
