"""network: an invitation not yet accepted can be revoked by the network's coordinators

Revision ID: n0003
Revises: s0009
Create Date: 2026-11-26
"""

from alembic import op

revision = "n0003"
down_revision = "s0009"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_constraint(op.f("ck_network_invitations_status"), "network_invitations", type_="check")
    op.create_check_constraint(
        op.f("ck_network_invitations_status"),
        "network_invitations",
        "status IN ('pending', 'proposed', 'accepted', 'refused', 'revoked')",
    )


def downgrade():
    op.execute("UPDATE network_invitations SET status = 'refused' WHERE status = 'revoked'")
    op.drop_constraint(op.f("ck_network_invitations_status"), "network_invitations", type_="check")
    op.create_check_constraint(
        op.f("ck_network_invitations_status"),
        "network_invitations",
        "status IN ('pending', 'proposed', 'accepted', 'refused')",
    )
