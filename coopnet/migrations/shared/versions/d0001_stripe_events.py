"""the Stripe event log: each event once per receiving account, so a replay has no effect

Revision ID: d0001
Revises: s0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "d0001"
down_revision = "s0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stripe_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_stripe_events"),
        sa.UniqueConstraint("tenant_id", "event_id", name="uq_stripe_events_tenant_event"),
    )


def downgrade():
    op.drop_table("stripe_events")
