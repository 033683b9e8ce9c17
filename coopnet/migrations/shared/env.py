"""Alembic environment for the shared (public) schema."""

from alembic import context
from sqlalchemy import create_engine

import coopnet.platform.models  # noqa: F401  (registers the shared tables)
from coopnet.extensions import db

target_metadata = db.metadata


def run(connection):
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    # `alembic -c migrations/alembic.ini ...` by hand: use DATABASE_URL.
    import os

    from coopnet.embedded import normalise_database_url

    engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]))
    with engine.begin() as conn:
        run(conn)
