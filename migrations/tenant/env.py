"""Alembic environment for tenant schemas, used only to write new revisions.

`coopnet db upgrade` does not run this file: it drives the tenant tree itself
(coopnet.platform.migrate.upgrade_tenant) so one process can migrate thousands
of schemas without re-reading the scripts. Revisions are written unqualified;
search_path places them in the schema being migrated.

    DATABASE_URL=... alembic -c migrations/alembic.ini -n tenant -x schema=t_demo revision --autogenerate -m "..."
"""
import os

from alembic import context
from sqlalchemy import MetaData, create_engine

from coopnet.embedded import normalise_database_url
from coopnet.tenants.registry import tenant_metadata

schema = context.get_x_argument(as_dictionary=True).get("schema", "t_template")
target_metadata = MetaData()
for table in tenant_metadata.sorted_tables:
    table.to_metadata(target_metadata, schema=None)

engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]))
with engine.begin() as connection:
    connection.exec_driver_sql(f'SET search_path TO "{schema}"')
    connection.dialect.default_schema_name = schema
    context.configure(connection=connection, target_metadata=target_metadata, version_table_schema=schema)
    with context.begin_transaction():
        context.run_migrations()
