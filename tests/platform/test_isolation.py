"""Tenant isolation: the tenancy switch, and every tenant route walked as an outsider."""

import re

import pytest
from sqlalchemy import select

from coopnet.database import NoTenantBound, TenantModel, bind_tenant, schema_for
from coopnet.extensions import db as _db
from coopnet.tenants.membership.models import Invitation
from tests.conftest import csrf_token

SAMPLE_VALUES = {
    "invitation_id": "1",
    "token": "sometoken",
    "proposal_id": "1",
    "minutes_id": "1",
    "action_id": "1",
    "account_id": "1",
    "statement_id": "1",
    "shift_id": "1",
    "term_id": "1",
    "swap_id": "1",
    # dues (member_id is shared with network)
    "payment_id": "1",
    "ticket_id": "1",
    "run_id": "1",
    "allocation_id": "1",
    "instalment_id": "1",
    "invoice_id": "1",
    "entry_id": "1",
    "client_id": "1",
    "project_id": "1",
    "expense_id": "1",
    # network
    "coordinator_id": "1",
    "member_id": "1",
    "request_id": "1",
    "fee_id": "1",
    "subcontract_id": "1",
    "hours_id": "1",
    "offer_id": "1",
}


def tenant_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/c/<slug>")]


def concrete(rule, slug):
    path = rule.rule.replace("<slug>", slug)
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: SAMPLE_VALUES[m.group(1)], path)


def invite(client, slug, email, role="member"):
    response = client.post(f"/c/{slug}/api/v1/invitations", json={"email": email, "role": role})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_tenant_table_with_no_tenant_bound_fails_loudly(app, ctx):
    with pytest.raises(NoTenantBound) as raised:
        _db.session.scalars(select(Invitation)).all()
    assert "invitations" in str(raised.value)
    assert "no tenant bound" in str(raised.value)


def test_tenant_insert_with_no_tenant_bound_fails_loudly(app, ctx):
    _db.session.add(
        Invitation(email="x@example.org", role="member", token_hash="h" * 64, invited_by=1, expires_at=None)
    )
    with pytest.raises(NoTenantBound):
        _db.session.flush()


def test_tenant_table_joined_to_a_platform_table_with_no_tenant_bound_fails_loudly(app, ctx):
    from coopnet.platform.models import Account

    query = select(Account).join(Invitation, Invitation.invited_by == Account.id)
    with pytest.raises(NoTenantBound) as raised:
        _db.session.scalars(query).all()
    assert "no tenant bound" in str(raised.value)


def test_raw_sql_on_the_placeholder_schema_fails_loudly(app, ctx):
    from sqlalchemy import text

    with pytest.raises(NoTenantBound):
        _db.session.execute(text("SELECT * FROM tenant.invitations"))


def test_same_table_names_hold_separate_rows(app, client, login, make_tenant):
    _a_tenant, a_admin = make_tenant("quilted")
    _b_tenant, b_admin = make_tenant("design-action")
    login(a_admin.email)
    invite(client, "quilted", "michelle@quilted.example")
    client.delete("/api/v1/session")
    login(b_admin.email)
    invite(client, "design-action", "designer@designaction.example")
    invite(client, "design-action", "printer@designaction.example")
    emails = [i["email"] for i in client.get("/c/design-action/api/v1/invitations").get_json()["invitations"]]
    assert sorted(emails) == ["designer@designaction.example", "printer@designaction.example"]
    page = client.get("/c/design-action/members").get_data(as_text=True)
    assert "designer@designaction.example" in page and "michelle@quilted.example" not in page
    outbox = client.get("/c/design-action/outbox").get_data(as_text=True)
    assert "printer@designaction.example" in outbox and "michelle@quilted.example" not in outbox
    with app.app_context():
        for slug, expected in (("quilted", 1), ("design-action", 2)):
            bind_tenant(_db.session, slug)
            assert len(_db.session.scalars(select(Invitation)).all()) == expected
        # Switching tenants empties the identity map: ids 1 exist in both schemas.
        bind_tenant(_db.session, "quilted")
        assert _db.session.get(Invitation, 1).email == "michelle@quilted.example"
        bind_tenant(_db.session, "design-action")
        assert _db.session.get(Invitation, 1).email == "designer@designaction.example"


def test_every_tenant_route_refuses_a_member_of_another_tenant(app, client, login, make_tenant):
    """Walk every /c/<slug>/... rule as an admin of another co-op: never 2xx, never data."""
    _target, target_admin = make_tenant("quilted", name="Quilted Secret Name")
    _, outsider = make_tenant("design-action")
    login(target_admin.email)
    invite(client, "quilted", "michelle@quilted.example")
    client.delete("/api/v1/session")
    login(outsider.email)
    token = csrf_token(client, "/account")  # a valid token, so the membership check is what refuses
    rules = tenant_rules(app)
    assert len(rules) >= 10
    walked = 0
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = concrete(rule, "quilted")
            kwargs = {}
            if method in ("POST", "PUT", "PATCH"):
                if "/api/" in path:
                    kwargs = {"json": {"token": "x"} if path.endswith("/accept") else {"email": "a@b.org"}}
                else:
                    kwargs = {"data": {"csrf_token": token, "email": "a@b.org", "name": "x", "password": "y" * 12}}
            response = client.open(path, method=method, **kwargs)
            body = response.get_data(as_text=True)
            walked += 1
            if rule.endpoint in ("membership.join", "membership_api.accept_invitation", "membership.welcome"):
                # Public by design (an invitation link): a bad token learns nothing.
                assert response.status_code in (400, 404), (method, path, response.status_code)
            else:
                assert response.status_code in (403, 404), (method, path, response.status_code)
            assert "Quilted Secret Name" not in body
            assert "michelle@quilted.example" not in body
    assert walked >= 12
    # And nothing changed in the target.
    client.delete("/api/v1/session")
    login(target_admin.email)
    invitations = client.get("/c/quilted/api/v1/invitations").get_json()["invitations"]
    assert [(i["email"], i["state"]) for i in invitations] == [("michelle@quilted.example", "pending")]


def test_a_token_of_another_tenants_member_opens_nothing(app, client, login, make_tenant):
    _, quilted_admin = make_tenant("quilted", name="Quilted Secret Name")
    _, outsider = make_tenant("design-action")
    login(outsider.email)
    secret = client.post("/api/v1/tokens", json={"name": "script"}).get_json()["secret"]
    client.delete("/api/v1/session")
    bearer = app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    assert bearer.get("/c/design-action/api/v1/", headers=auth).status_code == 200
    for path in (
        "/c/quilted/api/v1/",
        "/c/quilted/api/v1/members",
        "/c/quilted/api/v1/invitations",
        "/c/quilted/api/v1/outbox",
    ):
        response = bearer.get(path, headers=auth)
        assert response.status_code == 404, path
        assert "Quilted Secret Name" not in response.get_data(as_text=True)
    response = bearer.post("/c/quilted/api/v1/invitations", json={"email": "spy@example.org"}, headers=auth)
    assert response.status_code == 404
    login(quilted_admin.email)
    assert client.get("/c/quilted/api/v1/invitations").get_json()["invitations"] == []


def test_tenant_pages_need_a_login(app, client, make_tenant):
    make_tenant("quilted")
    page = client.get("/c/quilted/members")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    api = client.get("/c/quilted/api/v1/members")
    assert api.status_code == 401
    assert api.get_json()["error"]["code"] == "unauthorized"


def test_unknown_slug_is_404_in_pages_and_api(client, login, make_account):
    login(make_account().email)  # a visitor is sent to log in, as for a real co-op (tests/platform/test_strangers.py)
    assert client.get("/c/nobody-here/").status_code == 404
    response = client.get("/c/nobody-here/api/v1/members")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_suspended_tenant_answers_403_page_and_json(app, client, login, make_tenant):
    _tenant, admin = make_tenant("quilted")
    login(admin.email)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tenants", "suspend", "quilted"])
    assert result.exit_code == 0, result.output
    page = client.get("/c/quilted/")
    assert page.status_code == 403
    assert "suspended" in page.get_data(as_text=True)
    api = client.get("/c/quilted/api/v1/members")
    assert api.status_code == 403
    assert api.get_json()["error"]["code"] == "tenant_suspended"
    assert runner.invoke(args=["tenants", "resume", "quilted"]).exit_code == 0
    assert client.get("/c/quilted/api/v1/members").status_code == 200


def test_roles_are_enforced_inside_a_tenant(app, client, login, make_tenant, make_account, add_member):
    tenant, _ = make_tenant("quilted")
    candidate = make_account("alex@quilted.example")
    add_member(tenant, candidate, "candidate")
    login(candidate.email)
    assert client.get("/c/quilted/api/v1/members").status_code == 200
    response = client.post("/c/quilted/api/v1/invitations", json={"email": "x@example.org"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "role_required"
    assert client.get("/c/quilted/api/v1/outbox").status_code == 403
    assert client.get("/c/quilted/outbox").status_code == 403


def test_members_list_shows_only_this_tenants_members(client, login, make_tenant, make_account, add_member):
    quilted, erik = make_tenant("quilted", admin_email="erik@quilted.example")
    design, _ = make_tenant("design-action")
    colin = make_account("colin@quilted.example")
    add_member(quilted, colin)
    add_member(design, make_account("print@designaction.example"))
    login(erik.email)
    emails = sorted(m["email"] for m in client.get("/c/quilted/api/v1/members").get_json()["members"])
    assert emails == ["colin@quilted.example", "erik@quilted.example"]


def test_schema_names_are_derived_one_to_one_from_slugs():
    assert schema_for("design-action") == "t_design_action"
    assert {t.schema for t in TenantModel.metadata.sorted_tables} == {"tenant"}


def test_a_connection_is_replaced_after_serving_many_tenants(app, engine, make_tenant):
    from sqlalchemy import create_engine

    from coopnet.database import install_engine_hooks

    slugs = [make_tenant()[0].slug for _ in range(5)]
    small = create_engine(engine.url, pool_size=1, max_overflow=0)
    install_engine_hooks(small, tenants_per_connection=3)
    pids = []
    try:
        for slug in slugs:
            with small.connect() as conn:
                translated = conn.execution_options(schema_translate_map={"tenant": schema_for(slug)})
                assert translated.execute(select(Invitation)).all() == []
                pids.append(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())
    finally:
        small.dispose()
    # Tenants 1-4 share a connection; the fifth checkout finds it has served 4 > 3.
    assert pids[:4] == [pids[0]] * 4
    assert pids[4] != pids[0]


# Shared records name their parties in their own rows (a queued job's account; later
# referrals, subcontracts, offers). Each route that names one is tried by a third party.
SHARED_RECORD_SAMPLES = {
    "job_id": "shared-record-of-two",
    "token_id": "filled in by the test",
    "session_id": "filled in by the test",
    # network records (tests/network/test_isolation.py walks them with real records of two parties)
    "invitation_id": "1",
    "member_id": "1",
    "offer_id": "1",
    "request_id": "1",
}


# Arguments of platform routes that are not records of anyone (a link's secret token).
NOT_RECORDS = {"token"}


def shared_record_rules(app):
    """Every platform API route that names a record; a new argument with no sample fails here."""
    rules = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or not rule.arguments or rule.arguments & NOT_RECORDS:
            continue
        unknown = rule.arguments - set(SHARED_RECORD_SAMPLES)
        assert not unknown, f"{rule.rule}: add a sample record for {unknown} to SHARED_RECORD_SAMPLES"
        rules.append(rule)
    return rules


def test_every_shared_record_route_answers_404_to_a_third_party(app, client, login, make_tenant, make_account):
    from coopnet.platform.models import JobProgress

    quilted, quilted_admin = make_tenant("quilted")
    _, design_admin = make_tenant("design-action")
    third = make_account()
    with app.app_context():
        _db.session.add(
            JobProgress(
                job_id="shared-record-of-two",
                account_id=quilted_admin.id,
                tenant_id=quilted.id,
                description="Quilted and Design Action's record",
            )
        )
        _db.session.commit()
    login(quilted_admin.email)
    token_id = client.post("/api/v1/tokens", json={"name": "bookkeeping"}).get_json()["token"]["id"]
    client.delete("/api/v1/session")
    laptop = app.test_client()  # a session of Quilted's admin that stays logged in throughout
    login(quilted_admin.email, who=laptop)
    [laptop_session] = laptop.get("/api/v1/sessions").get_json()["sessions"]
    samples = dict(SHARED_RECORD_SAMPLES, token_id=str(token_id), session_id=str(laptop_session["id"]))
    rules = shared_record_rules(app)
    assert rules, "the walk must find the shared-record routes"
    for who in (design_admin, third):
        login(who.email)
        for rule in rules:
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: samples[m.group(1)], rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method, json={} if method != "GET" else None)
                assert response.status_code == 404, (method, path, response.status_code)
                assert "Design Action's record" not in response.get_data(as_text=True)
        client.delete("/api/v1/session")
    assert laptop.get("/api/v1/account").status_code == 200
    login(quilted_admin.email)
    assert client.get("/api/v1/jobs/shared-record-of-two").status_code == 200
    assert [t["revoked"] for t in client.get("/api/v1/tokens").get_json()["tokens"]] == [False]


def test_a_capability_a_tenant_kind_does_not_show_is_404_and_not_in_the_navigation(
    app, client, login, make_tenant, monkeypatch
):
    from coopnet import capabilities

    _, coop_admin = make_tenant("quilted", kind="coop")
    _, network_admin = make_tenant("tech-underground", kind="network")
    outbox = next(c for c in capabilities.capabilities() if c.name == "outbox")
    coop_only = capabilities.Capability(name="outbox", package=outbox.package, kinds=("coop",), nav=outbox.nav)
    monkeypatch.setattr(
        capabilities,
        "capabilities",
        lambda: tuple(coop_only if c.name == "outbox" else c for c in capabilities.__dict__["_all"]()),
    )
    monkeypatch.setattr(
        capabilities, "capability_of_blueprint", lambda name: coop_only if name in ("outbox", "outbox_api") else None
    )
    login(network_admin.email)
    assert client.get("/c/tech-underground/outbox").status_code == 404
    assert client.get("/c/tech-underground/api/v1/outbox").status_code == 404
    assert 'href="/c/tech-underground/outbox"' not in client.get("/c/tech-underground/").get_data(as_text=True)
    client.delete("/api/v1/session")
    login(coop_admin.email)
    assert client.get("/c/quilted/outbox").status_code == 200
    assert 'href="/c/quilted/outbox"' in client.get("/c/quilted/").get_data(as_text=True)


def test_the_kind_check_uses_the_real_blueprint_to_capability_mapping(app):
    from coopnet import capabilities

    for capability in capabilities.capabilities():
        for module in ("views", "api"):
            blueprint = capability.attribute(module, "blueprint")
            if blueprint is not None:
                assert capabilities.capability_of_blueprint(blueprint.name) is capability
    assert capabilities.capability_of_blueprint("platform") is None
