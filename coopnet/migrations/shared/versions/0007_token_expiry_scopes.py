"""personal API tokens: optional expiry, read-only, limited to one co-op

Revision ID: s0007
Revises: s0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "s0007"
down_revision = "s0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True)))
    op.add_column("api_tokens", sa.Column("read_only", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("api_tokens", sa.Column("tenant_id", sa.BigInteger()))
    op.create_foreign_key(
        "fk_api_tokens_tenant_id_tenants", "api_tokens", "tenants", ["tenant_id"], ["id"], ondelete="CASCADE"
    )


def downgrade():
    op.drop_constraint("fk_api_tokens_tenant_id_tenants", "api_tokens")
    op.drop_column("api_tokens", "tenant_id")
    op.drop_column("api_tokens", "read_only")
    op.drop_column("api_tokens", "expires_at")
