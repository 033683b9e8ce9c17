"""pay: a client's projects (time and invoices may name one), the co-op's expenses

Revision ID: 0600
Revises: 0500
Create Date: 2026-11-26 05:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0600"
down_revision = "0500"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "projects",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_projects_client_id_clients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("client_id", "name", name="uq_projects_client_name"),
    )
    op.create_table(
        "expenses",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=100), server_default="", nullable=False),
        sa.Column("recorded_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_expenses_amount")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenses")),
    )
    op.create_index(op.f("ix_expenses_spent_on"), "expenses", ["spent_on"], unique=False)
    op.add_column("time_entries", sa.Column("project_id", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_time_entries_project_id"), "time_entries", ["project_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_time_entries_project_id_projects"), "time_entries", "projects", ["project_id"], ["id"]
    )
    op.add_column("invoices", sa.Column("project_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(op.f("fk_invoices_project_id_projects"), "invoices", "projects", ["project_id"], ["id"])


def downgrade():
    op.drop_constraint(op.f("fk_invoices_project_id_projects"), "invoices", type_="foreignkey")
    op.drop_column("invoices", "project_id")
    op.drop_constraint(op.f("fk_time_entries_project_id_projects"), "time_entries", type_="foreignkey")
    op.drop_index(op.f("ix_time_entries_project_id"), table_name="time_entries")
    op.drop_column("time_entries", "project_id")
    op.drop_index(op.f("ix_expenses_spent_on"), table_name="expenses")
    op.drop_table("expenses")
    op.drop_table("projects")
