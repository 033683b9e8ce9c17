"""pay: the audit of changes to time, paid leave taken, salary year ends

Revision ID: 0500
Revises: 0400
Create Date: 2026-11-26 02:24:48.353689
"""

import sqlalchemy as sa
from alembic import op

revision = "0500"
down_revision = "0400"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "leave_taken",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("minutes > 0 AND minutes <= 1440", name=op.f("ck_leave_taken_minutes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_taken")),
    )
    op.create_index("ix_leave_taken_account_day", "leave_taken", ["account_id", "taken_on"], unique=False)
    op.create_table(
        "salary_year_ends",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("committed_minutes", sa.BigInteger(), nullable=False),
        sa.Column("worked_minutes", sa.BigInteger(), nullable=False),
        sa.Column("leave_minutes", sa.BigInteger(), nullable=False),
        sa.Column("carried_in_minutes", sa.BigInteger(), nullable=False),
        sa.Column("balance_minutes", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("carried_minutes", sa.BigInteger(), nullable=False),
        sa.Column("owed", sa.BigInteger(), nullable=False),
        sa.Column("closed_by", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('even', 'owed', 'carried', 'dropped')", name=op.f("ck_salary_year_ends_outcome")
        ),
        sa.CheckConstraint("owed >= 0", name=op.f("ck_salary_year_ends_owed")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_salary_year_ends")),
        sa.UniqueConstraint("year", "account_id", name="uq_salary_year_ends_year_account"),
    )
    op.create_table(
        "time_entry_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("changed_by", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("action IN ('created', 'changed', 'deleted')", name=op.f("ck_time_entry_changes_action")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_entry_changes")),
    )
    op.create_index(op.f("ix_time_entry_changes_account_id"), "time_entry_changes", ["account_id"], unique=False)
    op.create_index(op.f("ix_time_entry_changes_entry_id"), "time_entry_changes", ["entry_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_time_entry_changes_entry_id"), table_name="time_entry_changes")
    op.drop_index(op.f("ix_time_entry_changes_account_id"), table_name="time_entry_changes")
    op.drop_table("time_entry_changes")
    op.drop_table("salary_year_ends")
    op.drop_index("ix_leave_taken_account_day", table_name="leave_taken")
    op.drop_table("leave_taken")
