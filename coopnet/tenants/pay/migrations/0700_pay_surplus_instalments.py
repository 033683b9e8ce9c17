"""pay: the cash part of each member's surplus allocation, paid in dated instalments

Revision ID: 0700
Revises: 0600
Create Date: 2026-11-26 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0700"
down_revision = "0600"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("surplus_policy", sa.Column("instalment_months", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "surplus_instalments",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("allocation_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_recorded_by", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_surplus_instalments_amount")),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["surplus_allocations.id"],
            name=op.f("fk_surplus_instalments_allocation_id_surplus_allocations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surplus_instalments")),
        sa.UniqueConstraint("allocation_id", "account_id", "number", name="uq_surplus_instalments_member_number"),
    )
    op.create_index("ix_surplus_instalments_due", "surplus_instalments", ["due_on"], unique=False)
    # Splits made before instalments were tracked: their cash as one instalment, due the day
    # the split was made (officers record when it was paid). That day is the split's UTC day;
    # where a co-op's own day differed it may be a day earlier, which only shows it due sooner.
    op.execute(
        "INSERT INTO surplus_instalments (allocation_id, account_id, number, due_on, amount) "
        "SELECT l.allocation_id, l.account_id, 1, a.created_at::date, l.cash "
        "FROM allocation_lines l JOIN surplus_allocations a ON a.id = l.allocation_id WHERE l.cash > 0"
    )


def downgrade():
    op.drop_index("ix_surplus_instalments_due", table_name="surplus_instalments")
    op.drop_table("surplus_instalments")
    op.drop_column("surplus_policy", "instalment_months")
