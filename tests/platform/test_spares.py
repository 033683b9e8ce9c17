"""Spare tenant schemas: signup renames one made ahead; two signups never share one; with
none left signup runs the DDL; `db upgrade` and the periodic refill keep them at head."""

from coopnet.extensions import db as _db
from coopnet.platform.migrate import tenant_head, tenant_versions
from coopnet.platform.provisioning import provision_schema
from coopnet.platform.spares import SPARE_PREFIX, keep_spares, take_spare
from tests.conftest import run_jobs
from tests.platform.test_migrations import shape


def spares(engine):
    """{spare name: (revision in its row, revision in its schema)}."""
    with engine.connect() as conn:
        rows = dict(conn.exec_driver_sql("SELECT name, revision FROM spare_schemas").all())
        stamped = tenant_versions(conn, list(rows))
    return {name: (revision, stamped[name]) for name, revision in rows.items()}


def schema_exists(engine, schema):
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM pg_namespace WHERE nspname = %s", (schema,)).scalar() == 1


def test_signup_takes_a_spare_and_the_coop_works(app, engine, client, login, make_tenant):
    with app.app_context():
        assert keep_spares(_db.engine, 2).made == 2
    before = spares(engine)
    assert len(before) == 2 and set(before.values()) == {(tenant_head(), tenant_head())}

    _, admin = make_tenant("quilted")
    after = spares(engine)
    assert len(after) == 1
    (taken,) = set(before) - set(after)
    assert not schema_exists(engine, taken) and schema_exists(engine, "t_quilted")
    with engine.begin() as conn:
        provision_schema(conn, "t_fresh")
    with engine.connect() as conn:
        assert shape(conn, "t_quilted") == shape(conn, "t_fresh")
        assert tenant_versions(conn, ["t_quilted"]) == {"t_quilted": tenant_head()}
    # Its tables take writes and give them back: an invitation, through the API.
    login(admin.email)
    response = client.post("/c/quilted/api/v1/invitations", json={"email": "kim@quilted.example", "role": "member"})
    assert response.status_code == 201, response.get_json()
    listed = client.get("/c/quilted/api/v1/invitations").get_json()
    assert [i["email"] for i in listed["invitations"]] == ["kim@quilted.example"]


def test_concurrent_signups_take_different_spares_and_a_rollback_gives_one_back(app, engine, db):
    with app.app_context():
        keep_spares(_db.engine, 2)
    first, second, third = engine.connect(), engine.connect(), engine.connect()
    try:
        first.begin()
        second.begin()
        third.begin()
        # The first holds its spare's row locked until it ends; the second does not wait
        # for it and takes the other; the third finds none free and would run the DDL.
        assert take_spare(first, "t_first")
        assert take_spare(second, "t_second")
        assert not take_spare(third, "t_third")
        first.commit()
        second.rollback()
        third.rollback()
    finally:
        first.close(), second.close(), third.close()
    assert schema_exists(engine, "t_first") and not schema_exists(engine, "t_second")
    # The rolled-back signup's spare is free again.
    assert len(spares(engine)) == 1


def test_with_no_spare_left_signup_runs_the_ddl(app, engine, make_tenant):
    with app.app_context():
        keep_spares(_db.engine, 1)
    make_tenant("quilted")
    assert spares(engine) == {}
    make_tenant("woven")
    with engine.connect() as conn:
        assert shape(conn, "t_woven") == shape(conn, "t_quilted")
        assert tenant_versions(conn, ["t_quilted", "t_woven"]) == {"t_quilted": tenant_head(), "t_woven": tenant_head()}


def test_db_upgrade_replaces_spares_of_an_older_release_and_lists_none_as_a_tenant(app, engine, make_tenant):
    make_tenant("quilted")
    with app.app_context():
        keep_spares(_db.engine, 2)
    stale = sorted(spares(engine))[0]
    with engine.begin() as conn:
        # As if made by the release before: its row and its schema say an older revision.
        conn.exec_driver_sql("UPDATE spare_schemas SET revision = 'older' WHERE name = %s", (stale,))
        conn.exec_driver_sql(f'UPDATE "{stale}".alembic_version SET version_num = %s', ("older",))
    size = app.config["TENANT_SPARE_SCHEMAS"]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    # Only the co-op is a tenant schema to migrate; the spares are not.
    assert "0 of 0 pending tenant schemas upgraded" in result.output
    assert f"spare schemas: {size} ready at head ({size - 1} made, 1 stale dropped)" in result.output
    now = spares(engine)
    assert stale not in now and not schema_exists(engine, stale)
    assert len(now) == size and set(now.values()) == {(tenant_head(), tenant_head())}
    listed = runner.invoke(args=["tenants", "list"]).output
    assert "quilted" in listed and SPARE_PREFIX not in listed and "spare" not in listed


def test_the_refill_job_keeps_the_configured_number(app, engine, db, monkeypatch):
    from coopnet.platform.jobs import refill_spare_schemas
    from coopnet.worker.queues import enqueue_platform

    def refill():
        with app.app_context():
            job = enqueue_platform(refill_spare_schemas)
        run_jobs(app)
        job.refresh()
        return job.return_value()

    monkeypatch.setitem(app.config, "TENANT_SPARE_SCHEMAS", 3)
    assert refill() == {"dropped": 0, "made": 3, "ready": 3}
    assert refill() == {"dropped": 0, "made": 0, "ready": 3}
    monkeypatch.setitem(app.config, "TENANT_SPARE_SCHEMAS", 1)
    assert refill() == {"dropped": 2, "made": 0, "ready": 1}
    (name,) = spares(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')  # gone behind the app's back
    assert refill() == {"dropped": 1, "made": 1, "ready": 1}
    with engine.connect() as conn:
        left = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_namespace WHERE starts_with(nspname, %s)", (SPARE_PREFIX,)
        ).scalar()
    assert left == 1


def test_a_stray_row_naming_a_tenant_schema_never_drops_it(app, engine, make_tenant):
    make_tenant("quilted")
    with engine.begin() as conn:  # only a person with write access to the database could do this
        conn.exec_driver_sql(
            "INSERT INTO spare_schemas (name, revision, created_at) VALUES ('t_quilted', 'older', now())"
        )
    with app.app_context():
        upkeep = keep_spares(_db.engine, 1)
    assert upkeep.dropped == 0 and schema_exists(engine, "t_quilted")
    assert all(name.startswith(SPARE_PREFIX) for name in spares(engine) if name != "t_quilted")


def test_db_upgrade_waits_for_a_refill_at_work_then_replaces_stale_spares(app, engine):
    import threading

    with app.app_context():
        keep_spares(_db.engine, 2)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE spare_schemas SET revision = 'older' WHERE name = (SELECT min(name) FROM spare_schemas)"
        )
    holder = engine.connect()
    held = holder.begin()
    holder.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('coopnet:spare_schemas'))")
    result = {}

    def upkeep():
        with app.app_context():
            result["upkeep"] = keep_spares(_db.engine, 2, wait=True)

    waiting = threading.Thread(target=upkeep)
    waiting.start()
    waiting.join(timeout=1)
    assert waiting.is_alive()  # it waits for the refill at work instead of giving up
    held.commit()
    holder.close()
    waiting.join(timeout=30)
    assert result["upkeep"].dropped == 1 and result["upkeep"].ready == 2
    assert all(row == (tenant_head(), tenant_head()) for row in spares(engine).values())
