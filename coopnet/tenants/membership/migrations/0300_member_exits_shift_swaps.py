"""membership: exits decided by the co-op (what it owes back), rota swaps the other member accepts

Revision ID: 0300
Revises: 0100
Create Date: 2026-11-25 23:02:36.077294
"""

import sqlalchemy as sa
from alembic import op

revision = "0300"
down_revision = "0100"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "member_exits",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposal_id", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("exited_on", sa.Date(), nullable=True),
        sa.Column("owed", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.CheckConstraint("state IN ('proposed', 'done', 'not_agreed')", name=op.f("ck_member_exits_state")),
        sa.CheckConstraint("to_status IN ('withdrawn', 'expelled')", name=op.f("ck_member_exits_to_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_exits")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_member_exits_proposal_id")),
    )
    op.create_index(op.f("ix_member_exits_account_id"), "member_exits", ["account_id"], unique=False)
    op.create_index(
        "uq_member_exits_one_open",
        "member_exits",
        ["account_id"],
        unique=True,
        postgresql_where=sa.text("state = 'proposed'"),
    )
    op.create_table(
        "shift_swaps",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("shift_id", sa.BigInteger(), nullable=False),
        sa.Column("with_shift_id", sa.BigInteger(), nullable=False),
        sa.Column("asked_by", sa.BigInteger(), nullable=False),
        sa.Column("asked_of", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('asked', 'accepted', 'declined', 'withdrawn', 'lapsed')", name=op.f("ck_shift_swaps_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_swaps")),
    )
    op.create_index(op.f("ix_shift_swaps_asked_of"), "shift_swaps", ["asked_of"], unique=False)
    op.create_index(
        "uq_shift_swaps_open_pair",
        "shift_swaps",
        ["shift_id", "with_shift_id"],
        unique=True,
        postgresql_where=sa.text("state = 'asked'"),
    )


def downgrade():
    op.drop_index("uq_shift_swaps_open_pair", table_name="shift_swaps", postgresql_where=sa.text("state = 'asked'"))
    op.drop_index(op.f("ix_shift_swaps_asked_of"), table_name="shift_swaps")
    op.drop_table("shift_swaps")
    op.drop_index("uq_member_exits_one_open", table_name="member_exits", postgresql_where=sa.text("state = 'proposed'"))
    op.drop_index(op.f("ix_member_exits_account_id"), table_name="member_exits")
    op.drop_table("member_exits")
