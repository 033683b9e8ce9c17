"""Create and drop tenant schemas: a pre-rendered DDL script run in one round trip."""

import functools

from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from coopnet.database import NAMING_CONVENTION, TenantModel
from coopnet.platform.migrate import tenant_head
from coopnet.platform.schemas_sql import quote_schema


@functools.lru_cache(maxsize=1)
def tenant_ddl():
    """The DDL for every tenant table at the tenant head, unqualified, stamped with the
    head revision. It is run with search_path set to the new schema."""
    dialect = postgresql.psycopg.dialect()
    plain = MetaData(naming_convention=NAMING_CONVENTION)
    for table in TenantModel.metadata.sorted_tables:
        table.to_metadata(plain, schema=None)
    statements = []
    for table in plain.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda i: i.name):
            statements.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    statements.append(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
    )
    statements.append(f"INSERT INTO alembic_version (version_num) VALUES ('{tenant_head()}')")
    return ";\n".join(statements) + ";"


def provision_schema(connection, schema):
    """Create ``schema`` with all tenant tables at head, inside the caller's transaction."""
    quoted = quote_schema(schema)
    script = f"CREATE SCHEMA {quoted};\nSET LOCAL search_path TO {quoted};\n{tenant_ddl()}\nSET LOCAL search_path TO DEFAULT;"
    _run_script(connection, script)


def drop_schema(connection, schema):
    _run_script(connection, f"DROP SCHEMA IF EXISTS {quote_schema(schema)} CASCADE;")


def _run_script(connection, script):
    # psycopg runs a parameterless multi-statement string in one round trip.
    with connection.connection.dbapi_connection.cursor() as cursor:
        cursor.execute(script)
