"""sessions that can be ended: a generation per account, logged-out session ids

Revision ID: s0003
Revises: s0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("accounts", sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "ended_sessions",
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name="pk_ended_sessions"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_ended_sessions_account_id_accounts", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_ended_sessions_account_id", "ended_sessions", ["account_id"])


def downgrade():
    op.drop_table("ended_sessions")
    op.drop_column("accounts", "session_generation")
