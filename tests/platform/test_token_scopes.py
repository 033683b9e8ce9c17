"""Issue 6: personal API tokens may expire, be read-only, or be limited to one co-op."""

from sqlalchemy import text

from tests.conftest import csrf_token


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def new_token(client, **scopes):
    response = client.post("/api/v1/tokens", json={"name": "script", **scopes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_read_only_token_reads_and_cannot_write(app, client, engine, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    created = new_token(client, read_only=True)
    assert created["token"]["read_only"] is True
    script = app.test_client()
    headers = bearer(created["secret"])
    assert script.get("/c/quilted/api/v1/members", headers=headers).status_code == 200
    response = script.post("/c/quilted/api/v1/invitations", json={"email": "x@example.org"}, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "token_read_only"
    assert script.delete(f"/api/v1/tokens/{created['token']['id']}", headers=headers).status_code == 403
    assert client.get("/c/quilted/api/v1/invitations").get_json()["invitations"] == []


def test_a_token_for_one_co_op_opens_nothing_else(app, client, login, make_tenant, add_member):
    _, admin = make_tenant("quilted")
    other, _ = make_tenant("design-action")
    add_member(other, admin, "admin")
    login(admin.email)
    created = new_token(client, tenant="quilted")
    assert created["token"]["tenant"] == "quilted"
    script, headers = app.test_client(), bearer(created["secret"])
    assert script.get("/c/quilted/api/v1/", headers=headers).status_code == 200
    for path in ("/c/design-action/api/v1/", "/api/v1/account", "/api/v1/tokens"):
        response = script.get(path, headers=headers)
        assert response.status_code == 403, path
        assert response.get_json()["error"]["code"] == "token_scope"


def test_a_token_cannot_be_limited_to_someone_elses_co_op(client, login, make_tenant):
    make_tenant("quilted")
    _, admin = make_tenant("design-action")
    login(admin.email)
    response = client.post("/api/v1/tokens", json={"name": "x", "tenant": "quilted"})
    assert response.status_code == 422
    assert "tenant" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/tokens").get_json()["tokens"] == []


def test_an_expired_token_stops_working(app, client, engine, login, make_account):
    login(make_account().email)
    created = new_token(client, expires_in_days=30)
    assert created["token"]["expires_at"] is not None
    script, headers = app.test_client(), bearer(created["secret"])
    assert script.get("/api/v1/account", headers=headers).status_code == 200
    with engine.begin() as conn:
        conn.execute(text("UPDATE api_tokens SET expires_at = now() - interval '1 second'"))
    assert script.get("/api/v1/account", headers=headers).status_code == 401
    assert client.post("/api/v1/tokens", json={"name": "x", "expires_in_days": 0}).status_code == 422


def test_the_account_page_issues_a_scoped_token(client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    form = {"csrf_token": csrf_token(client, "/account"), "name": "books", "expires_in_days": "30"}
    response = client.post("/account", data=form | {"read_only": "y", "tenant": "quilted"})
    assert response.status_code == 200
    assert "Copy it now" in response.get_data(as_text=True)
    [token] = client.get("/api/v1/tokens").get_json()["tokens"]
    assert (token["read_only"], token["tenant"]) == (True, "quilted") and token["expires_at"]
    assert "read only, Quilted only" in client.get("/account").get_data(as_text=True)
