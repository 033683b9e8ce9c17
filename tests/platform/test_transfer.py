"""Export one tenant and import it under a new slug; the operator's tenant commands."""

import gzip
import json

import pytest

from tests.conftest import counts


def test_export_then_import_round_trips_a_tenant(app, client, login, make_tenant, engine, tmp_path):
    _, admin = make_tenant("quilted", name="Quilted")
    login(admin.email)
    for email in ("michelle@quilted.example", "kyle@quilted.example"):
        assert (
            client.post("/c/quilted/api/v1/invitations", json={"email": email, "role": "candidate"}).status_code == 201
        )
    original = client.get("/c/quilted/api/v1/invitations").get_json()["invitations"]
    original_mail = client.get("/c/quilted/api/v1/outbox").get_json()["messages"]

    path = tmp_path / "quilted.json.gz"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tenants", "export", "quilted", str(path)])
    assert result.exit_code == 0, result.output
    with gzip.open(path, "rt") as fh:
        dump = json.load(fh)
    assert dump["tenant"] == {"slug": "quilted", "name": "Quilted", "kind": "coop"}
    assert {"invitations", "outbox_messages", "proposals", "approved_records"} <= set(dump["tables"])

    result = runner.invoke(args=["tenants", "import", str(path), "quilted-restored", "--relink-members"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 members re-linked" in result.output
    assert client.get("/c/quilted-restored/api/v1/invitations").get_json()["invitations"] == original
    assert client.get("/c/quilted-restored/api/v1/outbox").get_json()["messages"] == original_mail
    assert client.get("/c/quilted-restored/api/v1/").get_json()["name"] == "Quilted"
    # Identity columns continue after the restored rows.
    new = client.post("/c/quilted-restored/api/v1/invitations", json={"email": "alex@quilted.example"})
    assert new.status_code == 201
    assert new.get_json()["id"] == max(i["id"] for i in original) + 1
    # The original is untouched by what happened in the copy.
    assert len(client.get("/c/quilted/api/v1/invitations").get_json()["invitations"]) == 2


def test_import_refuses_a_taken_slug_or_a_bad_file_and_leaves_nothing(app, make_tenant, engine, tmp_path):
    make_tenant("quilted")
    path = tmp_path / "q.json.gz"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tenants", "export", "quilted", str(path)]).exit_code == 0
    before = counts(engine)
    taken = runner.invoke(args=["tenants", "import", str(path), "quilted"])
    assert taken.exit_code != 0 and "taken" in taken.output
    reserved = runner.invoke(args=["tenants", "import", str(path), "www"])
    assert reserved.exit_code != 0 and "reserved" in reserved.output
    newer = tmp_path / "newer.json.gz"
    with gzip.open(path, "rt") as fh:
        dump = json.load(fh)
    with gzip.open(newer, "wt") as fh:
        json.dump(dict(dump, revision="ffff_from_the_future"), fh)
    unknown = runner.invoke(args=["tenants", "import", str(newer), "quilted-two"])
    assert unknown.exit_code != 0 and "does not know" in unknown.output
    junk = tmp_path / "junk.gz"
    junk.write_bytes(b"not gzip at all")
    bad = runner.invoke(args=["tenants", "import", str(junk), "quilted-two"])
    assert bad.exit_code != 0 and "not a coopnet tenant export" in bad.output
    assert counts(engine) == before


def test_operator_lists_and_deletes_tenants(app, make_tenant, engine):
    make_tenant("quilted", name="Quilted")
    make_tenant("design-action", name="Design Action Collective")
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["tenants", "list"]).output
    assert "quilted" in listing and "Design Action Collective" in listing
    assert runner.invoke(args=["tenants", "delete", "quilted"], input="n\n").exit_code != 0
    assert counts(engine)["tenants"] == 2
    result = runner.invoke(args=["tenants", "delete", "quilted", "--yes"])
    assert result.exit_code == 0, result.output
    assert counts(engine) == {"tenants": 1, "accounts": 2, "memberships": 1, "schemas": 1}
    assert runner.invoke(args=["tenants", "delete", "nobody", "--yes"]).exit_code != 0


def test_operator_creates_a_tenant_for_an_existing_account(app, make_tenant, engine):
    _, admin = make_tenant("quilted")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["tenants", "create", "gaia-host", "--name", "GAIA Host", "--founder-email", admin.email]
    )
    assert result.exit_code == 0, result.output
    assert counts(engine)["schemas"] == 2 and counts(engine)["accounts"] == 1
    bad = runner.invoke(args=["tenants", "create", "Bad Slug", "--name", "x", "--founder-email", admin.email])
    assert bad.exit_code != 0 and "slug" in bad.output


def _tampered(tmp_path, app, make_tenant, change):
    make_tenant("quilted")
    path = tmp_path / "q.json.gz"
    assert app.test_cli_runner().invoke(args=["tenants", "export", "quilted", str(path)]).exit_code == 0
    with gzip.open(path, "rt") as fh:
        dump = json.load(fh)
    change(dump)
    crafted = tmp_path / "crafted.json.gz"
    with gzip.open(crafted, "wt") as fh:
        json.dump(dump, fh)
    return crafted


def public_tables(engine):
    with engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


INJECTIONS = {
    "table name": lambda d: d["tables"].update(
        {
            'invitations" (id) FROM STDIN; CREATE TABLE public.pwned (x int); COPY "invitations': d["tables"][
                "invitations"
            ]
        }
    ),
    "unknown table": lambda d: d["tables"].update({"accounts": d["tables"]["invitations"]}),
    "column name": lambda d: d["tables"]["invitations"].update(
        columns=["id) FROM STDIN; CREATE TABLE public.pwned (x int); --"]
    ),
    "unknown column": lambda d: d["tables"]["outbox_messages"].update(columns=["id", "password_hash"]),
    "rows that do not fit": lambda d: d["tables"]["invitations"].update(rows="bm90IGEgcm93Cg=="),
    "member with a made-up role": lambda d: d["members"].append({"email": "x@example.org", "role": "owner"}),
    "unknown kind": lambda d: d["tenant"].update(kind="empire"),
}


@pytest.mark.parametrize("attack", sorted(INJECTIONS))
def test_a_crafted_export_is_refused_whole_and_leaves_nothing(app, make_tenant, engine, tmp_path, attack):
    crafted = _tampered(tmp_path, app, make_tenant, INJECTIONS[attack])
    before, tables = counts(engine), public_tables(engine)
    result = app.test_cli_runner().invoke(args=["tenants", "import", str(crafted), "quilted-copy"])
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert counts(engine) == before
    assert public_tables(engine) == tables and "pwned" not in public_tables(engine)


def test_a_crafted_member_list_gives_nobody_a_role_unless_the_operator_says_so(
    app, make_tenant, make_account, tmp_path, client, login
):
    victim = make_account(email="victim@example.org")
    crafted = _tampered(
        tmp_path, app, make_tenant, lambda d: d["members"].append({"email": "victim@example.org", "role": "admin"})
    )
    result = app.test_cli_runner().invoke(args=["tenants", "import", str(crafted), "quilted-copy"])
    assert result.exit_code == 0, result.output
    assert "not re-linked" in result.output
    login(victim.email)
    assert client.get("/c/quilted-copy/api/v1/").status_code == 404


@pytest.mark.parametrize("revision", [[], {}, 7, None])
def test_a_revision_of_the_wrong_type_is_refused_cleanly(app, make_tenant, tmp_path, revision):
    crafted = _tampered(tmp_path, app, make_tenant, lambda d: d.update(revision=revision))
    result = app.test_cli_runner().invoke(args=["tenants", "import", str(crafted), "quilted-copy"])
    assert result.exit_code != 0 and "Traceback" not in result.output and "does not know" in result.output
