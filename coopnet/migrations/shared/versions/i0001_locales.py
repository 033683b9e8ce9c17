"""languages: a person's chosen locale and a co-op's default

Revision ID: i0001
Revises: n0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "i0001"
down_revision = "n0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("accounts", sa.Column("locale", sa.String(10)))
    op.add_column("tenants", sa.Column("locale", sa.String(10)))


def downgrade():
    op.drop_column("tenants", "locale")
    op.drop_column("accounts", "locale")
