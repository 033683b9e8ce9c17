"""slugs of deleted co-ops, held for a while before anyone may register them again

Revision ID: s0006
Revises: s0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "s0006"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "released_slugs",
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slug", name="pk_released_slugs"),
    )


def downgrade():
    op.drop_table("released_slugs")
