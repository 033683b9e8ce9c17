"""tenancy: tenant schemas made ahead of signup, renamed to a new co-op's schema when it signs up

Revision ID: t0001
Revises: i0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "t0001"
down_revision = "i0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spare_schemas",
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("revision", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_spare_schemas"),
    )


def downgrade():
    # The spares go with the table that names them: only names a spare is made with, quoted.
    rows = op.get_bind().exec_driver_sql("SELECT name FROM spare_schemas WHERE starts_with(name, 't__spare_')")
    for (name,) in rows.all():
        quoted = '"' + name.replace('"', '""') + '"'
        op.execute(f"DROP SCHEMA IF EXISTS {quoted} CASCADE")
    op.drop_table("spare_schemas")
