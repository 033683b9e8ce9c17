"""pay: invoices numbered per co-op, clients' mail and terms, pay adjustments, pay policy proposals

Revision ID: 0400
Revises: 0300
Create Date: 2026-11-26 00:32:06.353254
"""

import sqlalchemy as sa
from alembic import op

revision = "0400"
down_revision = "0300"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invoice_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_counter")),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("hourly_rate", sa.BigInteger(), nullable=False),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_by", sa.BigInteger(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_recorded_by", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'sent', 'paid')", name=op.f("ck_invoices_status")),
        sa.CheckConstraint("total >= 0", name=op.f("ck_invoices_total")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_invoices_client_id_clients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_invoices_number")),
    )
    op.create_index(op.f("ix_invoices_client_id"), "invoices", ["client_id"], unique=False)
    op.create_table(
        "pay_adjustments",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("corrects_run_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_in_run_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_pay_adjustments_amount")),
        sa.ForeignKeyConstraint(
            ["corrects_run_id"], ["pay_runs.id"], name=op.f("fk_pay_adjustments_corrects_run_id_pay_runs")
        ),
        sa.ForeignKeyConstraint(
            ["paid_in_run_id"],
            ["pay_runs.id"],
            name=op.f("fk_pay_adjustments_paid_in_run_id_pay_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_adjustments")),
    )
    op.create_index(op.f("ix_pay_adjustments_account_id"), "pay_adjustments", ["account_id"], unique=False)
    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("invoice_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_lines_invoice_id_invoices"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
    )
    op.create_index(op.f("ix_invoice_lines_invoice_id"), "invoice_lines", ["invoice_id"], unique=False)
    op.create_table(
        "pay_policy_proposals",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("proposal_id", sa.BigInteger(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("proposed_by", sa.BigInteger(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("policy_id", sa.BigInteger(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'adopted', 'not_agreed', 'not_applied')", name=op.f("ck_pay_policy_proposals_state")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["pay_policies.id"], name=op.f("fk_pay_policy_proposals_policy_id_pay_policies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_policy_proposals")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_pay_policy_proposals_proposal_id")),
    )
    op.add_column("clients", sa.Column("email", sa.String(length=254), server_default="", nullable=False))
    op.add_column("clients", sa.Column("payment_days", sa.Integer(), server_default="30", nullable=False))
    op.add_column("time_entries", sa.Column("invoice_id", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_time_entries_invoice_id"), "time_entries", ["invoice_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_time_entries_invoice_id_invoices"), "time_entries", "invoices", ["invoice_id"], ["id"]
    )


def downgrade():
    op.drop_constraint(op.f("fk_time_entries_invoice_id_invoices"), "time_entries", type_="foreignkey")
    op.drop_index(op.f("ix_time_entries_invoice_id"), table_name="time_entries")
    op.drop_column("time_entries", "invoice_id")
    op.drop_column("clients", "payment_days")
    op.drop_column("clients", "email")
    op.drop_index(op.f("ix_invoice_lines_invoice_id"), table_name="invoice_lines")
    op.drop_table("invoice_lines")
    op.drop_index(op.f("ix_pay_adjustments_account_id"), table_name="pay_adjustments")
    op.drop_table("pay_adjustments")
    op.drop_index(op.f("ix_invoices_client_id"), table_name="invoices")
    op.drop_table("invoices")
    op.drop_table("invoice_counter")
    op.drop_table("pay_policy_proposals")
