"""Alembic environment for tenant schemas, used only to write new revisions.

`coopnet db revision --tenant -m "..."` runs this against a scratch schema at
head (coopnet.platform.revisions); `coopnet db upgrade` does not run this file:
it drives the tenant tree itself (coopnet.platform.migrate.upgrade_tenant) so one
process can migrate thousands of schemas without re-reading the scripts.
Revisions are written unqualified; search_path places them in each schema.
"""

from alembic import context
from sqlalchemy import MetaData

from coopnet.database import NAMING_CONVENTION, TenantModel

connection = context.config.attributes["connection"]
schema = context.config.attributes["schema"]

target_metadata = MetaData(naming_convention=NAMING_CONVENTION)
for table in TenantModel.metadata.sorted_tables:
    table.to_metadata(target_metadata, schema=None)

connection.dialect.default_schema_name = schema
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    version_table_schema=schema,
    compare_type=True,
    include_name=lambda name, type_, parent: type_ != "table" or name != "alembic_version",
)
with context.begin_transaction():
    context.run_migrations()
