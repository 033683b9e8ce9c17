"""tenant kind; progress of long jobs

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("tenants", sa.Column("kind", sa.String(20), nullable=False, server_default="coop"))
    op.create_check_constraint("ck_tenants_kind", "tenants", "kind IN ('coop', 'network', 'membership_org')")
    op.create_table(
        "job_progress",
        sa.Column("job_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.BigInteger()),
        sa.Column("tenant_id", sa.BigInteger()),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("done", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger()),
        sa.Column("message", sa.String(500)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job_id", name="pk_job_progress"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_job_progress_account_id_accounts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_job_progress_tenant_id_tenants", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_job_progress_account_id", "job_progress", ["account_id"])


def downgrade():
    op.drop_table("job_progress")
    op.drop_constraint("ck_tenants_kind", "tenants")
    op.drop_column("tenants", "kind")
