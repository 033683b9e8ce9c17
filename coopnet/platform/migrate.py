"""Alembic for both trees: the shared schema, then every tenant schema in parallel."""

import functools
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from coopnet.database import install_engine_hooks, note_tenant
from coopnet.platform.schemas_sql import quote_schema

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def shared_config(connection=None):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS / "shared"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def tenant_version_locations():
    """The tenant tree's own versions folder, then each capability's ``migrations/``:
    one linear history over several folders, so each capability keeps its revisions."""
    from coopnet.capabilities import capabilities

    folders = [MIGRATIONS / "tenant" / "versions"]
    folders += [c.migrations for c in capabilities() if c.migrations is not None]
    return [str(folder) for folder in folders]


@functools.lru_cache(maxsize=4)
def tenant_script(location=None):
    """The tenant tree (another location only for tests and benchmarks)."""
    default = str(MIGRATIONS / "tenant")
    if location is not None and str(location) != default:
        return ScriptDirectory(str(location))
    return ScriptDirectory(default, version_locations=tenant_version_locations())


def tenant_head(script=None):
    return (script or tenant_script()).get_current_head()


def upgrade_shared(engine, target="head"):
    with engine.begin() as connection:
        command.upgrade(shared_config(connection), target)


def upgrade_tenant(connection, schema, target="head", script=None):
    """Bring one tenant schema to ``target`` inside the caller's transaction.

    Migrations are written unqualified; search_path puts them in the schema, and
    the schema's own alembic_version records where it stands."""
    script = script or tenant_script()
    quoted = quote_schema(schema)
    # One runner per schema at a time, even across concurrent `db upgrade` runs.
    note_tenant(connection, schema)
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


VERSIONS_AT_ONCE = 200  # schemas one transaction reads the versions of, on a backend closed after (30 kB each)


def tenant_versions(connection, schemas):
    """{schema: version or None} for up to VERSIONS_AT_ONCE schemas, in one round trip.

    Each schema read holds a lock on its alembic_version table to the end of the
    transaction; for more schemas, versions_of_many."""
    if not schemas:
        return {}
    existing = set(
        connection.exec_driver_sql(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = 'alembic_version' AND n.nspname = ANY(%s)",
            (list(schemas),),
        ).scalars()
    )
    versions = dict.fromkeys(schemas)
    parts = [f"SELECT '{s}', version_num FROM {quote_schema(s)}.alembic_version" for s in schemas if s in existing]
    if parts:
        versions.update(connection.exec_driver_sql(" UNION ALL ".join(parts)).all())
    return versions


def versions_of_many(engine, schemas):
    """tenant_versions for any number of schemas: each VERSIONS_AT_ONCE in a transaction
    and a connection of their own. One transaction over all of them ran out of
    PostgreSQL's lock table (about 6,400 locks by default) between 6,000 and 6,500
    schemas, and one backend would cache every alembic_version table it read."""
    schemas, versions = list(schemas), {}
    for start in range(0, len(schemas), VERSIONS_AT_ONCE):
        with engine.connect() as connection:
            versions.update(tenant_versions(connection, schemas[start : start + VERSIONS_AT_ONCE]))
            connection.invalidate()  # close the backend rather than pool it with those tables cached
    return versions


def upgrade_tenants(engine, schemas, workers=4, on_done=None, target="head", script=None, tenants_per_connection=None):
    """Upgrade each pending schema in its own transaction, in ``workers`` processes.

    Processes, not threads: Alembic's ``op`` is one module-level proxy, so two
    migrations in one process would run each other's operations. A failure leaves
    that schema at its old version and the run goes on; re-running finishes what
    is left. Each worker replaces its connection after ``tenants_per_connection``
    schemas (default: the app's DB_TENANTS_PER_CONNECTION), as the web pool does,
    so no backend's catalog cache grows with the number of schemas.
    Returns (pending, upgraded, failed) where failed maps schema to error."""
    script = script or tenant_script()
    if tenants_per_connection is None:
        tenants_per_connection = _configured_tenants_per_connection()
    head = tenant_head(script) if target == "head" else target
    versions = versions_of_many(engine, schemas)
    pending = [s for s in schemas if versions.get(s) != head]
    upgraded, failed = [], {}

    def record(results):
        for schema, error in results:
            if error is None:
                upgraded.append(schema)
            else:
                failed[schema] = error
            if on_done:
                on_done(schema)

    chunks = [pending[i : i + CHUNK] for i in range(0, len(pending), CHUNK)]
    url = engine.url.render_as_string(hide_password=False)
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            record(_migrate_chunk(chunk, target, script.dir, engine))
        return pending, upgraded, failed
    engine.dispose(close=False)  # forked children must not share the parent's connections
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(url, tenants_per_connection)
    ) as pool:
        futures = [pool.submit(_migrate_chunk, chunk, target, script.dir) for chunk in chunks]
        for future in as_completed(futures):
            record(future.result())
    return pending, upgraded, failed


CHUNK = 10
_worker_engine = None


def _configured_tenants_per_connection():
    from flask import current_app, has_app_context

    from coopnet.config import load_config

    if has_app_context():
        return current_app.config["DB_TENANTS_PER_CONNECTION"]
    return load_config({k: v for k, v in os.environ.items() if k.startswith("DB_")})["DB_TENANTS_PER_CONNECTION"]


def _start_worker(url, tenants_per_connection):
    """In each pool process: a connection of its own, never one inherited by fork,
    replaced after ``tenants_per_connection`` schemas."""
    global _worker_engine
    _worker_engine = create_engine(url, pool_size=1, max_overflow=0)
    install_engine_hooks(_worker_engine, tenants_per_connection)


def _migrate_chunk(schemas, target, location, engine=None):
    engine = engine or _worker_engine
    script = tenant_script(location)
    results = []
    for schema in schemas:
        try:
            with engine.begin() as connection:
                upgrade_tenant(connection, schema, target, script)
            results.append((schema, None))
        except Exception as exc:  # one bad schema must not stop the others
            log.error("tenant schema %s failed to migrate: %s", schema, exc)
            results.append((schema, f"{type(exc).__name__}: {exc}".splitlines()[0]))
    return results
