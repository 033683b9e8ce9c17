"""The tenancy switch: bind a session to one tenant schema, fail loudly without one."""
from flask_sqlalchemy.session import Session
from sqlalchemy import event, inspect
from sqlalchemy.orm import scoped_session
from sqlalchemy.sql.util import find_tables

TENANT_SCHEMA = "tenant"


class NoTenantBound(RuntimeError):
    """A tenant table was used on a session that has no tenant schema bound."""


def schema_for(slug):
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


def install_engine_hooks(engine, tenants_per_connection):
    """Engine-level guards of the tenancy switch.

    1. Turn "schema tenant does not exist" into NoTenantBound: the placeholder
       schema never exists, so reaching the server with it means nothing was bound.
    2. Replace a pooled connection once it has served ``tenants_per_connection``
       tenants: PostgreSQL caches catalog entries for every table a connection
       touches (34-60 kB a tenant here, see BENCHMARKS.md) and never frees them.
    """
    from psycopg import errors
    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine, "before_cursor_execute")
    def count_tenant(conn, cursor, statement, parameters, context, executemany):
        translate = context.execution_options.get("schema_translate_map") if context is not None else None
        if translate:
            conn.info.setdefault("tenant_schemas", set()).add(translate.get(TENANT_SCHEMA))

    @event.listens_for(engine, "checkout")
    def retire_after_many_tenants(dbapi_connection, record, proxy):
        if len(record.info.get("tenant_schemas", ())) > tenants_per_connection:
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


class TenantAwareSession(Session):
    """Flask-SQLAlchemy session that translates the placeholder schema.

    ``bind_tenant`` stores the tenant schema in ``session.info``; each connection
    the session begins a transaction on then carries ``schema_translate_map=
    {"tenant": "t_<slug>"}`` (see ``_translate_new_transaction``), so ORM queries
    and flushes land in the tenant's schema across commits, on the one connection
    the request already holds. With no tenant bound, a tenant table is refused.
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
                    "tenant job (enqueue_for_tenant) or after bind_tenant(session, slug)."
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


def _plain(session):
    """The Session behind Flask-SQLAlchemy's scoped ``db.session``."""
    return session() if isinstance(session, scoped_session) else session


def bind_tenant(session, slug):
    """Point ``session`` at one tenant's schema. Switching tenants starts afresh:
    rows of the previous tenant are dropped from the identity map, since two
    tenants' rows can share a primary key."""
    session = _plain(session)
    schema = schema_for(slug)
    if session.info.get("tenant_schema") not in (None, schema):
        session.rollback()
        session.expunge_all()
    session.info["tenant_schema"] = schema
    if session.in_transaction():
        # The request's first queries (user, tenant, role) began it: translate
        # from here on, on that same connection.
        _translate(session.connection(), schema)
    return schema


def unbind_tenant(session):
    session = _plain(session)
    if session.info.pop("tenant_schema", None) is not None:
        session.rollback()
        session.expunge_all()


def current_schema(session):
    return session.info.get("tenant_schema")
