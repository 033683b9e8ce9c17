"""The register import in bulk: a few statements per file, the same checks as one by one."""

from sqlalchemy import event, text

from tests.conftest import run_jobs

HEADER = "email,name,status,since,class\n"


def rows(n, start=0):
    return "".join(
        f"person{i}@quilted.example,Person {i},{'candidate' if i % 5 == 0 else 'member'},2015-03-01,member\n"
        for i in range(start, start + n)
    )


def test_a_large_file_is_imported_with_a_handful_of_statements(quilted, client, app, engine):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.post("/c/quilted/api/v1/members/import", json={"csv": HEADER + rows(300)})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200 and response.get_json()["imported"] == 300
    # Log-in, tenant, the look-ups and one INSERT each (executemany batches of 1,000 rows at most).
    assert len(statements) < 40, len(statements)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.member_records")).scalar() == 303
        assert (
            conn.execute(text("SELECT count(*) FROM t_quilted.status_changes WHERE reason LIKE 'imported%'")).scalar()
            == 300
        )
        candidates = conn.execute(
            text("SELECT count(*) FROM t_quilted.member_records WHERE status = 'candidate' AND candidate_since = since")
        ).scalar()
        assert candidates == 60
        roles = dict(
            conn.execute(
                text(
                    "SELECT m.role, count(*) FROM memberships m JOIN accounts a ON a.id = m.account_id "
                    "WHERE a.email LIKE 'person%@quilted.example' GROUP BY m.role"
                )
            ).all()
        )
        assert roles == {"candidate": 60, "member": 240}
        assert conn.execute(text("SELECT count(*) FROM t_quilted.outbox_messages")).scalar() == 300
    # One job fans the welcome mail out into a delivery job each, in the worker.
    run_jobs(app)
    with engine.connect() as conn:
        states = dict(conn.execute(text("SELECT status, count(*) FROM t_quilted.outbox_messages GROUP BY 1")).all())
    assert states == {"held": 300}
    person = client.get("/c/quilted/api/v1/register").get_json()["people"]
    assert len(person) == 303


def test_imported_people_set_a_password_from_the_welcome_link(quilted, client, app):
    csv = HEADER + "new.person@quilted.example,New Person,candidate,2026-01-05,trainee\n"
    assert client.post("/c/quilted/api/v1/members/import", json={"csv": csv}).get_json()["imported"] == 1
    run_jobs(app)
    mail = next(
        m
        for m in client.get("/c/quilted/api/v1/outbox").get_json()["messages"]
        if m["to"] == "new.person@quilted.example"
    )
    assert mail["subject"] == "Quilted has added you on coopnet"
    link = next(line for line in mail["body"].splitlines() if "/welcome/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = app.test_client().get(path)
    assert page.status_code == 200 and "New Person" in page.get_data(as_text=True)


def test_someone_with_access_but_not_yet_in_the_register_is_entered_with_their_account(
    quilted, client, make_account, add_member, engine
):
    tenant, _, _ = quilted
    helper = make_account(email="helper@quilted.example", name="Helper")
    add_member(tenant, helper, "member")
    csv = (
        HEADER
        + "HELPER@quilted.example,Helper,leave,2020-02-01,member\nfresh@quilted.example,Fresh,member,2021-01-01,member\n"
    )
    preview = client.post("/c/quilted/api/v1/members/import", json={"csv": csv, "preview": True}).get_json()
    assert preview == {"rows": 2, "imported": 0, "problems": {}}
    assert client.post("/c/quilted/api/v1/members/import", json={"csv": csv}).get_json()["imported"] == 2
    person = client.get(f"/c/quilted/api/v1/members/{helper.id}").get_json()
    assert (person["status"], person["since"]) == ("leave", "2020-02-01")
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM accounts WHERE lower(email) = 'helper@quilted.example'")).scalar()
            == 1
        )
        assert conn.execute(text("SELECT count(*) FROM t_quilted.outbox_messages")).scalar() == 1  # Fresh only


def test_every_kind_of_bad_row_is_named_and_nothing_is_written(quilted, client, make_account, engine):
    make_account(email="elsewhere@example.org", name="Elsewhere")
    _, admin, _ = quilted
    csv = (
        HEADER
        + "ok@quilted.example,Fine,member,2014-02-01,member\n"
        + f"{admin.email},Erik again,member,2014-02-01,member\n"
        + "elsewhere@example.org,Elsewhere,member,2014-02-01,member\n"
        + "ok@quilted.example,Twice,member,2014-02-01,member\n"
        + "x@quilted.example,,member,2014-02-01,member\n"
        + "y@quilted.example,Y,member,14/02/2014,member\n"
        + "z@quilted.example,Z,member,2014-02-01,boss\n"
    )
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM accounts")).scalar()
    preview = client.post("/c/quilted/api/v1/members/import", json={"csv": csv, "preview": True}).get_json()
    assert set(preview["problems"]) == {"3", "4", "5", "6", "7", "8"}
    assert preview["problems"]["3"] == "already in the register"
    assert preview["problems"]["4"] == "has a coopnet account: invite them instead"
    assert "earlier line" in preview["problems"]["5"]
    refused = client.post("/c/quilted/api/v1/members/import", json={"csv": csv})
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {f"line {n}" for n in range(3, 9)}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM accounts")).scalar() == before
        assert conn.execute(text("SELECT count(*) FROM t_quilted.member_records")).scalar() == 3
        assert conn.execute(text("SELECT count(*) FROM t_quilted.outbox_messages")).scalar() == 0


def test_an_address_that_only_looks_like_another_accounts_is_refused(quilted, client, make_account):
    make_account(email="papa@example.org", name="Real")
    lookalike = "\u0440\u0430\u0440\u0430@example.org"  # Cyrillic er and a
    csv = HEADER + f"{lookalike},Fake,member,2014-02-01,member\n"
    preview = client.post("/c/quilted/api/v1/members/import", json={"csv": csv, "preview": True}).get_json()
    assert preview["problems"] == {"2": "has a coopnet account: invite them instead"}
