"""Alembic for both trees: the shared schema, then every tenant schema in parallel."""
import functools
import logging
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def shared_config(connection=None):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS / "shared"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.lru_cache(maxsize=1)
def tenant_script():
    return ScriptDirectory(str(MIGRATIONS / "tenant"))


def tenant_head():
    return tenant_script().get_current_head()


def upgrade_shared(engine, target="head"):
    with engine.begin() as connection:
        command.upgrade(shared_config(connection), target)


def upgrade_tenant(connection, schema, target="head"):
    """Bring one tenant schema to ``target`` inside the caller's transaction.

    Migrations are written unqualified; search_path puts them in the schema, and
    the schema's own alembic_version records where it stands."""
    from coopnet.platform.provisioning import quote_schema

    script = tenant_script()
    quoted = quote_schema(schema)
    # One runner per schema at a time, even across concurrent `db upgrade` runs.
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock(hashtext('{schema}'))")
    connection.exec_driver_sql(f"SET LOCAL search_path TO {quoted}")
    context = MigrationContext.configure(
        connection,
        opts={
            "script": script,
            "fn": lambda rev, ctx: script._upgrade_revs(target, rev),
            "version_table_schema": schema,
            "transactional_ddl": True,
        },
    )
    with Operations.context(context):
        context.run_migrations()
    connection.exec_driver_sql("SET LOCAL search_path TO DEFAULT")


def tenant_versions(connection, schemas):
    """{schema: version or None} for many schemas in one round trip."""
    from coopnet.platform.provisioning import quote_schema

    if not schemas:
        return {}
    existing = {
        r[0]
        for r in connection.exec_driver_sql(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'alembic_version'"
            " AND table_schema LIKE %s", ("t\\_%",)
        )
    }
    versions = {schema: None for schema in schemas}
    parts = [
        f"SELECT '{s}', version_num FROM {quote_schema(s)}.alembic_version" for s in schemas if s in existing
    ]
    for start in range(0, len(parts), 500):
        for schema, version in connection.exec_driver_sql(" UNION ALL ".join(parts[start:start + 500])):
            versions[schema] = version
    return versions


def upgrade_tenants(engine, schemas, workers=4, on_done=None, target="head"):
    """Upgrade each pending schema in its own transaction, ``workers`` at a time.

    A failure leaves that schema at its old version and the run goes on; re-running
    finishes what is left. Returns (upgraded, failed) where failed maps schema to error."""
    head = tenant_head() if target == "head" else target
    with engine.connect() as connection:
        versions = tenant_versions(connection, schemas)
    pending = [s for s in schemas if versions.get(s) != head]
    upgraded, failed = [], {}

    def run(schema):
        with engine.begin() as connection:
            upgrade_tenant(connection, schema, target)
        return schema

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(run, schema): schema for schema in pending}
        for future in as_completed(futures):
            schema = futures[future]
            try:
                future.result()
                upgraded.append(schema)
            except Exception as exc:  # one bad schema must not stop the others
                log.exception("tenant schema %s failed to migrate", schema)
                failed[schema] = f"{type(exc).__name__}: {exc}".splitlines()[0]
            if on_done:
                on_done(schema)
    return pending, upgraded, failed
