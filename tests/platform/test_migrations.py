"""Provisioning at head, `coopnet db upgrade` over many schemas, resuming after a failure."""

from coopnet.extensions import db as _db
from coopnet.platform.migrate import tenant_head, tenant_versions, upgrade_tenant, upgrade_tenants
from coopnet.platform.models import Tenant
from coopnet.platform.provisioning import provision_schema
from tests.rehearsal import NEW_REVISION, tree_with_priority_column

SHAPE_SQL = """
SELECT 'column', c.table_name || '.' || c.column_name || ' ' || c.data_type || ' ' || c.is_nullable
       || ' ' || coalesce(c.character_maximum_length::text, '') || ' ' || c.is_identity
  FROM information_schema.columns c WHERE c.table_schema = %(s)s
UNION ALL
SELECT 'constraint', tc.table_name || ' ' || tc.constraint_name || ' ' || tc.constraint_type
  FROM information_schema.table_constraints tc WHERE tc.table_schema = %(s)s AND tc.constraint_type <> 'CHECK'
UNION ALL
SELECT 'index', replace(indexdef, %(s)s || '.', '') FROM pg_indexes WHERE schemaname = %(s)s
"""


def shape(connection, schema):
    return sorted(tuple(r) for r in connection.exec_driver_sql(SHAPE_SQL, {"s": schema}))


def test_provisioned_schema_equals_the_migrated_one(engine, db):
    """The fast DDL script and the Alembic tree build the same tables, keys and indexes."""
    with engine.begin() as conn:
        provision_schema(conn, "t_fast")
        conn.exec_driver_sql('CREATE SCHEMA "t_migrated"')
        upgrade_tenant(conn, "t_migrated")
    with engine.connect() as conn:
        fast, migrated = shape(conn, "t_fast"), shape(conn, "t_migrated")
        assert fast == migrated
        assert len(fast) > 10
        assert tenant_versions(conn, ["t_fast", "t_migrated"]) == {"t_fast": tenant_head(), "t_migrated": tenant_head()}


def register_empty_tenants(app, engine, count):
    """Tenants whose schemas exist but hold nothing yet, like ones made before any migration."""
    slugs = [f"old-coop-{i}" for i in range(count)]
    with engine.begin() as conn:
        for slug in slugs:
            conn.exec_driver_sql(f'CREATE SCHEMA "t_{slug.replace("-", "_")}"')
    with app.app_context():
        _db.session.add_all(Tenant(slug=slug, name=slug) for slug in slugs)
        _db.session.commit()
    return slugs


def test_db_upgrade_migrates_every_tenant_and_resumes_after_a_failure(app, engine, db):
    slugs = register_empty_tenants(app, engine, 25)
    broken = "t_old_coop_7"
    with engine.begin() as conn:
        # A table in the way: this schema's migration fails, the others must not.
        conn.exec_driver_sql(f'CREATE TABLE "{broken}".invitations (id int)')
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade", "--workers", "4"])
    assert result.exit_code != 0
    assert broken in result.output
    schemas = [f"t_{s.replace('-', '_')}" for s in slugs]
    with engine.connect() as conn:
        versions = tenant_versions(conn, schemas)
    assert versions[broken] is None
    assert all(v == tenant_head() for s, v in versions.items() if s != broken)

    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP TABLE "{broken}".invitations')
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 pending tenant schemas upgraded" in result.output
    with engine.connect() as conn:
        assert set(tenant_versions(conn, schemas).values()) == {tenant_head()}
    # Nothing left to do: a third run touches no schema.
    assert "0 of 0 pending" in runner.invoke(args=["db", "upgrade"]).output


def test_a_new_tenant_migration_reaches_every_schema(app, engine, make_tenant, tmp_path):
    """Add a column and an index in a new revision and apply it to many tenants."""
    script = tree_with_priority_column(tmp_path / "tenant")
    schemas = [make_tenant()[0].schema for _ in range(12)]
    pending, upgraded, failed = upgrade_tenants(engine, schemas, workers=3, script=script)
    assert failed == {}
    assert sorted(upgraded) == sorted(schemas) == sorted(pending)
    with engine.connect() as conn:
        assert set(tenant_versions(conn, schemas).values()) == {NEW_REVISION}
        columns = conn.exec_driver_sql(
            "SELECT count(*) FROM information_schema.columns WHERE column_name = 'priority' AND table_schema LIKE %s",
            ("t\\_coop%",),
        ).scalar()
    assert columns == 12


def test_migration_workers_replace_their_connection_after_many_schemas(app, engine, make_tenant, tmp_path):
    """Like the web pool, a worker's connection serves at most DB_TENANTS_PER_CONNECTION
    schemas (the check is at checkout, so limit + 1), then a new backend takes over."""
    script = tree_with_priority_column(tmp_path / "tenant")
    revision = next((tmp_path / "tenant" / "versions").glob(f"{NEW_REVISION}_*.py"))
    # The rehearsal revision also records which backend ran it.
    revision.write_text(
        revision.read_text() + '    op.execute("CREATE TABLE migrated_by AS SELECT pg_backend_pid() AS pid")\n'
    )
    schemas = [make_tenant()[0].schema for _ in range(12)]
    with app.app_context():
        _, upgraded, failed = upgrade_tenants(engine, schemas, workers=2, script=script, tenants_per_connection=2)
    assert failed == {} and sorted(upgraded) == sorted(schemas)
    with engine.connect() as conn:
        pids = [conn.exec_driver_sql(f'SELECT pid FROM "{s}".migrated_by').scalar() for s in schemas]
    served = {pid: pids.count(pid) for pid in pids}
    assert max(served.values()) <= 3
    # Two workers that never recycled would have used exactly two backends.
    assert len(served) >= 4


def test_migration_workers_take_the_limit_from_the_configuration(app):
    from coopnet.platform.migrate import _configured_tenants_per_connection

    with app.app_context():
        assert _configured_tenants_per_connection() == app.config["DB_TENANTS_PER_CONNECTION"]


def test_versions_of_many_schemas_are_read_a_batch_per_transaction(app, engine, db, monkeypatch, request):
    """One transaction over every schema ran out of PostgreSQL's lock table between 6,000
    and 6,500 schemas; each batch now ends its transaction and closes its backend."""
    from sqlalchemy import event

    from coopnet.platform import migrate

    monkeypatch.setattr(migrate, "VERSIONS_AT_ONCE", 4)
    schemas = [f"t_{s.replace('-', '_')}" for s in register_empty_tenants(app, engine, 10)]
    with engine.begin() as conn:
        for schema in schemas[:7]:  # seven at head, three empty
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}"')
            provision_schema(conn, schema)
    closed = []

    def invalidated(dbapi_connection, record, error):
        closed.append(dbapi_connection)

    event.listen(engine, "invalidate", invalidated)
    request.addfinalizer(lambda: event.remove(engine, "invalidate", invalidated))

    versions = migrate.versions_of_many(engine, [*schemas, "t_no_such_coop"])

    assert versions == {**dict.fromkeys(schemas[:7], tenant_head()), **dict.fromkeys([*schemas[7:], "t_no_such_coop"])}
    # 11 schemas, 4 at a time: three transactions, each on a backend closed after it
    assert len(set(closed)) == 3
