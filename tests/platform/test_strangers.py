"""Issue 6: a visitor or an outsider cannot tell which co-ops exist, nor learn a suspended co-op's name."""

import pytest

from tests.conftest import PASSWORD


def same(first, second):
    assert (first.status_code, first.headers.get("Location", "").replace("nobody-here", "X")) == (
        second.status_code,
        second.headers.get("Location", "").replace("quilted", "X"),
    )
    assert first.get_data(as_text=True).replace("nobody-here", "X") == second.get_data(as_text=True).replace(
        "quilted", "X"
    )


@pytest.mark.parametrize("path", ["/c/{}/", "/c/{}/members", "/c/{}/api/v1/", "/c/{}/api/v1/members"])
def test_a_visitor_gets_the_same_answer_for_a_real_and_a_made_up_co_op(app, make_tenant, path):
    make_tenant("quilted")
    real = app.test_client().get(path.format("quilted"))
    made_up = app.test_client().get(path.format("nobody-here"))
    same(made_up, real)
    assert real.status_code in (302, 401)


@pytest.mark.parametrize(
    ("kind", "path"),
    [("membership_org", "/c/{}/time"), ("membership_org", "/c/{}/api/v1/time-entries")],
)
def test_a_visitor_cannot_tell_a_co_op_exists_from_a_page_its_kind_does_not_show(app, make_tenant, kind, path):
    """A page hidden for the co-op's kind answered 404 to a visitor, where a made-up co-op
    asks them to log in: who is asking is checked before the kind now."""
    make_tenant("quilted", kind=kind)
    real = app.test_client().get(path.format("quilted"))
    same(app.test_client().get(path.format("nobody-here")), real)
    assert real.status_code in (302, 401)


def test_a_logged_in_outsider_gets_the_same_404(client, login, make_tenant, make_account):
    make_tenant("quilted")
    login(make_account().email)
    same(client.get("/c/nobody-here/api/v1/members"), client.get("/c/quilted/api/v1/members"))
    same(client.get("/c/nobody-here/"), client.get("/c/quilted/"))
    assert client.get("/c/quilted/").status_code == 404


def test_a_join_link_for_a_made_up_co_op_answers_as_a_bad_link_in_a_real_one(app, client, login, make_tenant):
    make_tenant("quilted")
    same(app.test_client().get("/c/nobody-here/join/guess"), app.test_client().get("/c/quilted/join/guess"))
    login(make_tenant("design-action")[1].email)
    real = client.post("/c/quilted/api/v1/invitations/accept", json={"token": "guess"})
    made_up = client.post("/c/nobody-here/api/v1/invitations/accept", json={"token": "guess"})
    assert real.status_code == made_up.status_code == 404
    assert real.get_json() == made_up.get_json()


def test_a_suspended_co_ops_name_is_shown_to_its_members_only(app, client, login, make_tenant, make_account):
    _, admin = make_tenant("quilted", name="Quilted Secret Name")
    assert app.test_cli_runner().invoke(args=["tenants", "suspend", "quilted"]).exit_code == 0

    visitor = app.test_client()
    same(visitor.get("/c/nobody-here/"), visitor.get("/c/quilted/"))
    same(visitor.get("/c/nobody-here/join/x"), visitor.get("/c/quilted/join/x"))
    login(make_account().email)
    outsider = client.get("/c/quilted/api/v1/")
    assert outsider.status_code == 404 and "Secret" not in outsider.get_data(as_text=True)

    member = app.test_client()
    member.post("/api/v1/session", json={"email": admin.email, "password": PASSWORD})
    page = member.get("/c/quilted/")
    assert page.status_code == 403 and "Quilted Secret Name is suspended" in page.get_data(as_text=True)
