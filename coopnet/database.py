"""The database layer everything else stands on: both declarative bases, the
placeholder tenant schema, the tenant-aware session and its scopes.

This module imports only coopnet.pool, which imports nothing of coopnet's, so any
module may import it.

Who commits: the view, command or job that owns the unit of work. Services add,
flush and return; they never commit or roll back.
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timezone

from flask_sqlalchemy.session import Session
from sqlalchemy import MetaData, event, inspect, text
from sqlalchemy.orm import DeclarativeBase, scoped_session
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql.util import find_tables

from coopnet.pool import SERVED, TenantAffinePool, wanted_schema

TENANT_SCHEMA = "tenant"
log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class PlatformBase(DeclarativeBase):
    """Tables of the shared schema (public)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TenantModel(DeclarativeBase):
    """Tables that live once per tenant, declared against the placeholder schema;
    each session maps it to t_<slug>."""

    metadata = MetaData(schema=TENANT_SCHEMA, naming_convention=NAMING_CONVENTION)


class NoTenantBound(RuntimeError):
    """A tenant table was used on a session that has no tenant schema bound."""


class PendingWrites(RuntimeError):
    """The bound tenant was switched while the session held writes not yet committed."""


def schema_for(slug: str) -> str:
    """The PostgreSQL schema of a tenant; slugs never contain '_', so this is one-to-one."""
    return "t_" + slug.replace("-", "_")


def _tenant_tables_in(mapper, clause):
    # The mapper is enough for ORM statements (cheap); walking the clause is for
    # Core statements. What slips past (a tenant table joined to a platform
    # entity) is caught by the engine's error hook in install_engine_hooks().
    if mapper is not None:
        tables = [inspect(mapper).local_table]
    elif clause is not None:
        tables = find_tables(clause, include_crud=True, include_joins=True)
    else:
        tables = []
    return [t for t in tables if getattr(t, "schema", None) == TENANT_SCHEMA]


# --- connections: which tenants each has served ---------------------------------


def prefer_connection_for(slug: str | None) -> None:
    """Say which tenant this thread's or task's next checkouts are for (None: any): the
    pool gives it the tenant's home connection (coopnet.pool). Called before a
    request's first query (the login loader) and by bind_tenant; reset when the
    app context ends, so a request never inherits the last one's tenant."""
    wanted_schema.set(schema_for(slug) if slug else None)


def install_engine_hooks(engine, tenants_per_connection: int) -> None:
    """Engine-level guards of the tenancy switch.

    1. Turn "schema tenant does not exist" into NoTenantBound: the placeholder
       schema never exists, so reaching the server with it means nothing was bound.
    2. Replace a pooled connection once it has served ``tenants_per_connection``
       tenants: PostgreSQL caches catalog entries for every table a connection
       touches (34-60 kB a tenant here, see BENCHMARKS.md) and never frees them.
    3. Give each tenant a home connection in the pool (coopnet.pool.TenantAffinePool).
    """
    from psycopg import errors
    from sqlalchemy.exc import DisconnectionError

    if type(engine.pool) is QueuePool:
        engine.pool = TenantAffinePool.replacing(engine.pool)

    @event.listens_for(engine, "before_cursor_execute")
    def count_tenant(conn, cursor, statement, parameters, context, executemany):
        translate = context.execution_options.get("schema_translate_map") if context is not None else None
        if translate:
            note_tenant(conn, translate.get(TENANT_SCHEMA))

    @event.listens_for(engine, "checkout")
    def retire_after_many_tenants(dbapi_connection, record, proxy):
        if len(record.info.get(SERVED, ())) > tenants_per_connection:
            raise DisconnectionError(f"connection served more than {tenants_per_connection} tenants; replacing it")

    @event.listens_for(engine, "handle_error")
    def placeholder_schema_used(context):
        original = context.original_exception
        statement = context.statement or ""
        if isinstance(original, (errors.InvalidSchemaName, errors.UndefinedTable)) and f"{TENANT_SCHEMA}." in statement:
            raise NoTenantBound(
                "A statement used a tenant table with no tenant bound (placeholder schema "
                f"{TENANT_SCHEMA!r} reached the database). Bind a tenant first: {statement[:200]}"
            ) from original


def note_tenant(connection, schema: str) -> None:
    """Count ``schema`` against this pooled connection's tenant limit. Statements run
    through ``schema_translate_map`` are counted by themselves; code that reaches a
    schema another way (migrations set search_path) says so with this."""
    connection.info.setdefault(SERVED, set()).add(schema)


class TenantAwareSession(Session):
    """Flask-SQLAlchemy session that translates the placeholder schema.

    ``bind_tenant`` stores the tenant schema in ``session.info``; each connection
    the session begins a transaction on then carries ``schema_translate_map=
    {"tenant": "t_<slug>"}``, so ORM queries and flushes land in the tenant's
    schema across commits, on the one connection the request already holds.
    With no tenant bound, a tenant table is refused.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is not None:
            return bind
        engine = super().get_bind(mapper=mapper, clause=clause, **kwargs)
        if self.info.get("tenant_schema") is None:
            tables = _tenant_tables_in(mapper, clause)
            if tables:
                raise NoTenantBound(
                    f"Tenant table {tables[0].name!r} was used with no tenant bound to the "
                    "session. Tenant data is only reachable inside a tenant request, a "
                    "tenant job or `with tenant_scope(session, slug):`."
                )
        return engine


def _translate(connection, schema):
    # Connection.execution_options() changes this Connection in place (SQLAlchemy 2);
    # the pooled DBAPI connection underneath keeps nothing when it goes back.
    connection.execution_options(schema_translate_map={TENANT_SCHEMA: schema})


@event.listens_for(TenantAwareSession, "after_begin")
def _translate_new_transaction(session, transaction, connection):
    schema = session.info.get("tenant_schema")
    if schema is not None:
        _translate(connection, schema)


# --- writes not yet committed, and work to do once they are -------------------


@event.listens_for(TenantAwareSession, "after_flush")
def _flushed(session, flush_context):
    session.info["uncommitted_writes"] = True


@event.listens_for(TenantAwareSession, "do_orm_execute")
def _bulk_write(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["uncommitted_writes"] = True


@event.listens_for(TenantAwareSession, "after_commit")
def _committed(session):
    session.info.pop("uncommitted_writes", None)
    for _, callback in session.info.pop("after_commit", []):
        try:
            callback()
        except Exception:
            # The rows are committed whatever happens here; the periodic sweeps
            # (coopnet.worker.schedule) catch work whose job could not be queued.
            log.exception("work after commit failed; the periodic sweep will catch it")


@event.listens_for(TenantAwareSession, "after_soft_rollback")
def _rolled_back(session, previous_transaction):
    if previous_transaction.nested:
        # A savepoint rolled back: only what was queued inside it goes.
        kept = [(tx, cb) for tx, cb in session.info.get("after_commit", []) if tx is not previous_transaction]
        session.info["after_commit"] = kept
    elif previous_transaction.parent is None:
        session.info.pop("uncommitted_writes", None)
        session.info.pop("after_commit", None)


def has_pending_writes(session) -> bool:
    """Objects not yet flushed, or statements flushed but not committed."""
    session = _plain(session)
    return bool(session.new or session.dirty or session.deleted or session.info.get("uncommitted_writes"))


def after_commit(session, callback: Callable[[], object]) -> None:
    """Run ``callback`` once the session's current transaction commits; drop it on rollback.

    Queueing a job this way means the job never runs for rows that were rolled
    back, and never runs before the rows it reads are visible."""
    session = _plain(session)
    # Begin the transaction now, so a rollback before any statement still drops
    # the callback (SQLAlchemy emits no rollback event for a transaction never begun).
    session.connection()
    session.info.setdefault("after_commit", []).append((session.get_nested_transaction(), callback))


# --- binding a tenant ----------------------------------------------------------


def _plain(session):
    """The Session behind Flask-SQLAlchemy's scoped ``db.session``."""
    return session() if isinstance(session, scoped_session) else session


def bind_tenant(session, slug: str) -> str:
    """Point ``session`` at one tenant's schema.

    Switching to another tenant ends the current transaction and empties the
    identity map (two tenants' rows can share a primary key); with writes not
    yet committed that would lose them, so it raises PendingWrites instead."""
    session = _plain(session)
    schema = schema_for(slug)
    current = session.info.get("tenant_schema")
    if current not in (None, schema):
        _leave(session, current, schema)
    session.info["tenant_schema"] = schema
    wanted_schema.set(schema)
    if session.in_transaction():
        # The request's first queries (user, tenant, role) began it: translate
        # from here on, on that same connection.
        _translate(session.connection(), schema)
    return schema


def unbind_tenant(session) -> None:
    session = _plain(session)
    current = session.info.get("tenant_schema")
    if current is not None:
        _leave(session, current, None)
        session.info.pop("tenant_schema", None)


def _leave(session, current, target):
    if has_pending_writes(session):
        raise PendingWrites(
            f"The session holds writes for {current} that are not committed; commit or roll "
            f"them back before switching to {target or 'no tenant'}."
        )
    session.rollback()
    session.expunge_all()


def current_schema(session) -> str | None:
    return _plain(session).info.get("tenant_schema")


def hold(session, name: str, shared: bool = False) -> None:
    """Take the bound tenant's lock called ``name`` to the end of the transaction (a PostgreSQL
    advisory lock keyed by schema and name, so co-ops never wait on each other); ``shared``
    holders wait only for one who holds it alone."""
    take = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    session.execute(text(f"SELECT {take}(hashtext(:key))"), {"key": f"{current_schema(session)}:{name}"})


@contextmanager
def tenant_scope(session, slug: str):
    """``with tenant_scope(session, slug):`` binds one tenant for the block, then
    restores the previous binding. Commit inside the block: leaving it with writes
    pending raises PendingWrites; an exception in the block rolls them back.

    Entering a scope for another tenant with writes pending raises PendingWrites,
    so a scope never rolls back work that was done before it; a scope for the
    tenant already bound changes nothing."""
    session = _plain(session)
    previous = session.info.get("tenant_schema")
    if previous == schema_for(slug):
        yield session
        return
    if has_pending_writes(session):
        raise PendingWrites(f"Commit or roll back the pending writes before entering tenant_scope({slug!r}).")
    bind_tenant(session, slug)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        if has_pending_writes(session):
            session.rollback()
            session.expunge_all()
            _restore(session, previous)
            raise PendingWrites(
                f"tenant_scope({slug!r}) ended with writes that were not committed; they were rolled back."
            )
        _leave(session, session.info.get("tenant_schema"), previous)
        _restore(session, previous)


def _restore(session, previous):
    if previous is None:
        session.info.pop("tenant_schema", None)
    else:
        session.info["tenant_schema"] = previous
