"""platform mail (no tenant bound); co-op signups waiting for the founder's address to be proved

Revision ID: s0005
Revises: s0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "platform_mail",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("to_address", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_platform_mail"),
    )
    op.create_index("ix_platform_mail_status", "platform_mail", ["status"])
    op.create_table(
        "signup_requests",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("founder_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_signup_requests"),
        sa.UniqueConstraint("token_hash", name="uq_signup_requests_token_hash"),
    )
    op.create_index("ix_signup_requests_email", "signup_requests", ["email"])


def downgrade():
    op.drop_table("signup_requests")
    op.drop_table("platform_mail")
