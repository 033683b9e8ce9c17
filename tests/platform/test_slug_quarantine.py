"""Issue 6: a deleted co-op's slug is held for 30 days before anyone may register it again."""

from sqlalchemy import text

from tests.conftest import PASSWORD, counts


def signup_body(email="new@example.org"):
    return {"name": "New Quilted", "slug": "quilted", "founder": {"name": "N", "email": email, "password": PASSWORD}}


def test_a_deleted_slug_is_held_for_thirty_days(app, client, engine, make_tenant):
    make_tenant("quilted")
    assert app.test_cli_runner().invoke(args=["tenants", "delete", "quilted", "--yes"]).exit_code == 0
    before = counts(engine)

    response = client.post("/api/v1/signup", json=signup_body())

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "slug_taken"
    assert "deleted; it can be used again from" in error["fields"]["slug"]
    assert counts(engine) == before
    with engine.begin() as conn:
        conn.execute(text("UPDATE released_slugs SET released_at = now() - interval '29 days'"))
    assert client.post("/api/v1/signup", json=signup_body()).status_code == 409
    with engine.begin() as conn:
        conn.execute(text("UPDATE released_slugs SET released_at = now() - interval '31 days'"))
    assert client.post("/api/v1/signup", json=signup_body()).status_code == 202


def test_the_operator_cannot_reuse_it_either(app, engine, make_tenant):
    _, admin = make_tenant("quilted")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tenants", "delete", "quilted", "--yes"]).exit_code == 0
    result = runner.invoke(args=["tenants", "create", "quilted", "--name", "Q", "--founder-email", admin.email])
    assert result.exit_code != 0 and "can be used again from" in result.output
    assert counts(engine)["tenants"] == 0
