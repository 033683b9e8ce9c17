"""languages: a co-op's time zone, in which its pages show times

Revision ID: i0002
Revises: n0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "i0002"
down_revision = "n0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("tenants", sa.Column("time_zone", sa.String(64)))


def downgrade():
    op.drop_column("tenants", "time_zone")
