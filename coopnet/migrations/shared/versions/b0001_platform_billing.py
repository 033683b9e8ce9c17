"""platform billing: each tenant's plan and standing with the platform, and the payments it received

Revision ID: b0001
Revises: s0008
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "b0001"
down_revision = "s0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "platform_subscriptions",
        sa.Column("tenant_id", sa.BigInteger(), nullable=False),
        sa.Column("plan", sa.String(20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("standing", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(20), nullable=True),
        sa.Column("unpaid_since", sa.Date(), nullable=True),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("limited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_through", sa.Date(), nullable=True),
        sa.Column("stripe_customer_id", sa.String(64), nullable=True),
        sa.Column("stripe_subscription_id", sa.String(64), nullable=True),
        sa.Column("stripe_invoice_id", sa.String(64), nullable=True),
        sa.Column("has_payment_method", sa.Boolean(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("comped", sa.Boolean(), nullable=False),
        sa.Column("comp_reason", sa.String(300), nullable=True),
        sa.Column("comped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comped_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "standing IN ('good', 'warned', 'limited')", name=op.f("ck_platform_subscriptions_standing")
        ),
        sa.CheckConstraint(
            "reason IS NULL OR reason IN ('payment_failed', 'over_plan', 'subscription_ended')",
            name=op.f("ck_platform_subscriptions_reason"),
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_platform_subscriptions_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_platform_subscriptions_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_platform_subscriptions")),
        sa.UniqueConstraint("stripe_customer_id", name=op.f("uq_platform_subscriptions_stripe_customer_id")),
    )
    op.create_index(op.f("ix_platform_subscriptions_standing"), "platform_subscriptions", ["standing"], unique=False)
    op.create_table(
        "platform_payments",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("tenant_id", sa.BigInteger(), nullable=True),
        sa.Column("tenant_slug", sa.String(40), nullable=False),
        sa.Column("plan", sa.String(20), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("stripe_invoice_id", sa.String(64), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_platform_payments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_platform_payments_tenant_id_tenants"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_payments")),
        sa.UniqueConstraint("stripe_invoice_id", name=op.f("uq_platform_payments_stripe_invoice_id")),
    )
    op.create_index(op.f("ix_platform_payments_tenant_id"), "platform_payments", ["tenant_id"], unique=False)
    op.create_index(op.f("ix_platform_payments_paid_on"), "platform_payments", ["paid_on"], unique=False)


def downgrade():
    op.drop_table("platform_payments")
    op.drop_table("platform_subscriptions")
