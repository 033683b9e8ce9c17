"""network: invitation links for people without accounts, admission by the network's rulebook

Revision ID: n0002
Revises: b0001
Create Date: 2026-11-27 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "n0002"
down_revision = "b0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("network_invitations", sa.Column("token_digest", sa.String(length=64), nullable=True))
    op.add_column("network_invitations", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("network_invitations", sa.Column("proposal_id", sa.BigInteger(), nullable=True))
    op.add_column(
        "network_settings",
        sa.Column("admission_by_rulebook", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.create_unique_constraint(op.f("uq_network_invitations_token_digest"), "network_invitations", ["token_digest"])
    op.drop_constraint(op.f("ck_network_invitations_status"), "network_invitations", type_="check")
    op.create_check_constraint(
        op.f("ck_network_invitations_status"),
        "network_invitations",
        "status IN ('pending', 'proposed', 'accepted', 'refused')",
    )


def downgrade():
    op.execute("UPDATE network_invitations SET status = 'pending' WHERE status IN ('proposed', 'refused')")
    op.drop_constraint(op.f("ck_network_invitations_status"), "network_invitations", type_="check")
    op.create_check_constraint(
        op.f("ck_network_invitations_status"), "network_invitations", "status IN ('pending', 'accepted')"
    )
    op.drop_constraint(op.f("uq_network_invitations_token_digest"), "network_invitations", type_="unique")
    op.drop_column("network_settings", "admission_by_rulebook")
    op.drop_column("network_invitations", "proposal_id")
    op.drop_column("network_invitations", "expires_at")
    op.drop_column("network_invitations", "token_digest")
