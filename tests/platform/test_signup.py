"""Signing a co-op up through the API and the form, and every bad input leaving nothing behind."""

import pytest

from tests.conftest import PASSWORD, counts, csrf_token, link_token, platform_mail, sign_up


def signup_body(**changes):
    body = {
        "name": "Quilted",
        "slug": "quilted",
        "founder": {"name": "Erik", "email": "erik@quilted.example", "password": PASSWORD},
    }
    for key, value in changes.items():
        if key.startswith("founder_"):
            body["founder"][key[len("founder_") :]] = value
        else:
            body[key] = value
    return body


def test_api_signup_creates_schema_account_and_admin_membership(client, engine):
    response = sign_up(client, engine, signup_body())
    assert response.status_code == 201
    data = response.get_json()
    assert data["tenant"]["slug"] == "quilted"
    assert data["tenant"]["name"] == "Quilted"
    assert data["tenant"]["url"].endswith("/c/quilted/")
    assert data["account"]["email"] == "erik@quilted.example"
    assert counts(engine) == {"tenants": 1, "accounts": 1, "memberships": 1, "schemas": 1}
    # The founder is logged in and is the admin.
    me = client.get("/c/quilted/api/v1/").get_json()
    assert me["role"] == "admin"
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM t_quilted.alembic_version").scalar()
        tables = {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='t_quilted'"
            )
        }
    from coopnet.platform.migrate import tenant_head

    assert version == tenant_head()
    assert {"invitations", "outbox_messages", "alembic_version"} <= tables


def test_logged_in_account_founds_a_second_coop(client, engine, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    response = client.post("/api/v1/signup", json={"name": "Tech Underground", "slug": "tech-underground"})
    assert response.status_code == 201
    assert response.get_json()["account"]["id"] == admin.id
    roles = {m["tenant"]["slug"]: m["role"] for m in client.get("/api/v1/account").get_json()["memberships"]}
    assert roles == {"quilted": "admin", "tech-underground": "admin"}
    assert counts(engine)["accounts"] == 1


def test_logged_in_account_founds_a_second_coop_from_the_form(client, engine, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    form = {"csrf_token": csrf_token(client, "/signup"), "name": "Tech Underground", "slug": "tech-underground"}
    response = client.post("/signup", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/c/tech-underground/")
    assert "Welcome to Tech Underground." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert counts(engine) == {"tenants": 2, "accounts": 1, "memberships": 2, "schemas": 2}


BAD_SIGNUPS = [
    ("empty name", signup_body(name=""), 422, "name"),
    ("blank name", signup_body(name="   "), 422, "name"),
    ("300-character name", signup_body(name="Q" * 300), 422, "name"),
    ("empty slug", signup_body(slug=""), 422, "slug"),
    ("reserved slug www", signup_body(slug="www"), 422, "slug"),
    ("reserved slug api", signup_body(slug="api"), 422, "slug"),
    ("reserved slug admin", signup_body(slug="admin"), 422, "slug"),
    ("upper-case slug", signup_body(slug="Quilted"), 422, "slug"),
    ("slug with ..", signup_body(slug="../quilted"), 422, "slug"),
    ("slug with dots", signup_body(slug="a..b"), 422, "slug"),
    ("slug too short", signup_body(slug="ab"), 422, "slug"),
    ("slug too long", signup_body(slug="a" * 41), 422, "slug"),
    ("slug ending in dash", signup_body(slug="quilted-"), 422, "slug"),
    ("slug with underscore", signup_body(slug="quilted_coop"), 422, "slug"),
    ("slug with SQL", signup_body(slug="x'; drop schema public; --"), 422, "slug"),
    ("short password", signup_body(founder_password="short"), 422, "founder.password"),
    ("bad email", signup_body(founder_email="not-an-email"), 422, "founder.email"),
    ("empty founder name", signup_body(founder_name=""), 422, "founder.name"),
    ("name of wrong type", signup_body(name=["Quilted"]), 422, "name"),
    ("NUL in the name", signup_body(name="Quil\x00ted"), 422, "name"),
    ("NUL in the founder's email", signup_body(founder_email="erik\x00@quilted.example"), 422, "founder.email"),
]


@pytest.mark.parametrize("label,body,status,field", BAD_SIGNUPS, ids=[b[0] for b in BAD_SIGNUPS])
def test_bad_signup_is_refused_with_the_field_and_leaves_nothing(client, engine, label, body, status, field):
    response = client.post("/api/v1/signup", json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"], error
    assert error["fields"][field]
    assert counts(engine) == {"tenants": 0, "accounts": 0, "memberships": 0, "schemas": 0}


@pytest.mark.parametrize("missing", ["name", "slug", "founder"])
def test_missing_fields_are_named(client, engine, missing):
    body = signup_body()
    del body[missing]
    response = client.post("/api/v1/signup", json=body)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert any(key == missing or key.startswith(missing + ".") for key in fields), fields
    assert counts(engine)["schemas"] == 0


def test_duplicate_slug_is_a_conflict(client, engine, make_tenant):
    make_tenant("quilted")
    before = counts(engine)
    response = client.post("/api/v1/signup", json=signup_body(founder_email="other@example.org"))
    assert response.status_code == 409
    assert response.get_json()["error"]["fields"]["slug"]
    assert counts(engine) == before


def test_failure_after_the_schema_was_created_leaves_nothing(client, engine, monkeypatch):
    """Make the last step of signup fail: schema, account and rows all roll back."""
    from coopnet.platform import tenants

    real = tenants.provision_schema

    def provision_then_fail(connection, schema):
        real(connection, schema)
        raise RuntimeError("disk full")

    monkeypatch.setattr(tenants, "provision_schema", provision_then_fail)
    response = sign_up(client, engine, signup_body())
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert counts(engine) == {"tenants": 0, "accounts": 0, "memberships": 0, "schemas": 0}


def test_html_and_sql_in_the_name_are_stored_as_typed_and_shown_escaped(client, engine, login):
    name = "<script>alert(1)</script> Robert'); DROP TABLE tenants;--"
    response = sign_up(client, engine, signup_body(name=name))
    assert response.status_code == 201
    assert response.get_json()["tenant"]["name"] == name
    page = client.get("/c/quilted/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert counts(engine)["tenants"] == 1


def test_malformed_json_is_a_400(client, engine):
    response = client.post("/api/v1/signup", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
    assert counts(engine)["schemas"] == 0


def test_wrong_content_type_is_a_415(client, engine):
    response = client.post(
        "/api/v1/signup", data="name=Quilted&slug=quilted", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    assert counts(engine)["schemas"] == 0


def test_json_array_body_is_a_422(client, db):
    response = client.post("/api/v1/signup", json=["Quilted"])
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"


def test_signup_form_creates_the_coop_and_logs_the_founder_in(client, engine):
    token = csrf_token(client, "/signup")
    response = client.post(
        "/signup",
        data={
            "csrf_token": token,
            "name": "Design Action Collective",
            "slug": "design-action",
            "founder_name": "Coordinator",
            "email": "coordinator@designaction.example",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert counts(engine) == {"tenants": 0, "accounts": 0, "memberships": 0, "schemas": 0}
    mail = platform_mail(engine, "coordinator@designaction.example")[0]
    url = "/signup/confirm/" + link_token(mail["body"], "/signup/confirm")
    assert url in mail["body"] and mail["body"].count("http://127.0.0.1:5000" + url) == 1
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/c/design-action/")
    page = client.get("/c/design-action/")
    assert page.status_code == 200
    assert "Design Action Collective" in page.get_data(as_text=True)


def test_signup_form_shows_each_field_and_reason(client, engine):
    token = csrf_token(client, "/signup")
    response = client.post(
        "/signup",
        data={
            "csrf_token": token,
            "name": "Q" * 300,
            "slug": "www",
            "founder_name": "",
            "email": "erik@quilted.example",
            "password": "short",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter your name." in page  # every problem at once, not only the first
    assert "Your co-op&#39;s name has at most 200 characters." in page
    assert "&#39;www&#39; is reserved" in page
    assert "at least 10 characters" in page
    assert 'aria-invalid="true"' in page
    assert counts(engine) == {"tenants": 0, "accounts": 0, "memberships": 0, "schemas": 0}


def test_nul_in_a_form_field_is_refused(client, engine):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"csrf_token": token, "email": "erik\x00@quilted.example", "password": "x" * 12}
    )
    assert response.status_code == 422
    assert "NUL" in response.get_data(as_text=True)


def test_forged_csrf_token_is_refused(client, engine):
    response = client.post(
        "/signup",
        data={
            "csrf_token": "forged",
            "name": "Quilted",
            "slug": "quilted",
            "founder_name": "Erik",
            "email": "erik@quilted.example",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    assert counts(engine)["tenants"] == 0


def test_missing_csrf_token_is_refused(client, engine):
    response = client.post("/signup", data={"name": "Quilted", "slug": "quilted"})
    assert response.status_code == 400
    assert counts(engine)["tenants"] == 0


def test_every_signup_attempt_counts_against_the_address_limit(app, client, engine, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNUP_ADDRESS_LIMIT", "2 per day")
    assert client.post("/api/v1/signup", json=signup_body(slug="www")).status_code == 422
    assert (
        client.post("/api/v1/signup", json=signup_body(slug="coop-1", founder_email="a@example.org")).status_code == 202
    )
    # A refused attempt counted too: the third is refused, whatever it holds.
    third = client.post("/api/v1/signup", json=signup_body(slug="coop-2", founder_email="b@example.org"))
    assert third.status_code == 429
    assert third.get_json()["error"]["code"] == "too_many_requests"
    assert len(platform_mail(engine)) == 1


def test_one_founder_address_gets_only_so_many_signup_mails(app, engine, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNUP_EMAIL_LIMIT", "2 per day")
    for i in range(2):
        stranger = app.test_client()
        stranger.environ_base["REMOTE_ADDR"] = f"198.51.100.{i}"
        assert stranger.post("/api/v1/signup", json=signup_body(slug=f"spam-{i}")).status_code == 202
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    blocked = stranger.post("/api/v1/signup", json=signup_body(slug="spam-9", founder_email="ERIK@quilted.example"))
    assert blocked.status_code == 429
    assert len(platform_mail(engine, "erik@quilted.example")) == 2
