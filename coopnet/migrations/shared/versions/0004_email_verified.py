"""when an account's email address was last proved to be its owner's

Revision ID: s0004
Revises: s0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts stay unverified: nobody ever proved they own their address.
    op.add_column("accounts", sa.Column("email_verified_at", sa.DateTime(timezone=True)))


def downgrade():
    op.drop_column("accounts", "email_verified_at")
