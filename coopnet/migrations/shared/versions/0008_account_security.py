"""account security: a record per log-in session, mailed account links, two-factor
authentication with recovery codes, account deletion, a co-op's two-factor rule

Session records replace ended_sessions: a cookie from before this revision has no
record and is refused, so everyone logs in once more after the upgrade.

Revision ID: s0008
Revises: i0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "s0008"
down_revision = "i0001"
branch_labels = None
depends_on = None


def _account_fk(table):
    return sa.ForeignKeyConstraint(
        ["account_id"], ["accounts.id"], name=f"fk_{table}_account_id_accounts", ondelete="CASCADE"
    )


def upgrade():
    op.drop_table("ended_sessions")
    op.create_table(
        "account_sessions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("user_agent", sa.String(300), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_account_sessions"),
        sa.UniqueConstraint("session_id", name="uq_account_sessions_session_id"),
        _account_fk("account_sessions"),
    )
    op.create_index("ix_account_sessions_account_id", "account_sessions", ["account_id"])
    op.create_table(
        "account_links",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("new_email", sa.String(254)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "purpose IN ('reset_password', 'verify_email', 'change_email', 'sign_in')",
            name="ck_account_links_purpose",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_account_links"),
        sa.UniqueConstraint("token_hash", name="uq_account_links_token_hash"),
        _account_fk("account_links"),
    )
    op.create_index("ix_account_links_account_id", "account_links", ["account_id"])
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_recovery_codes"),
        _account_fk("recovery_codes"),
    )
    op.create_index("ix_recovery_codes_account_id", "recovery_codes", ["account_id"])
    op.add_column("accounts", sa.Column("totp_secret", sa.LargeBinary()))
    op.add_column("accounts", sa.Column("totp_enabled_at", sa.DateTime(timezone=True)))
    op.add_column("accounts", sa.Column("totp_last_step", sa.BigInteger()))
    op.add_column("accounts", sa.Column("deleted_at", sa.DateTime(timezone=True)))
    op.add_column("tenants", sa.Column("require_two_factor", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    op.drop_column("tenants", "require_two_factor")
    for column in ("deleted_at", "totp_last_step", "totp_enabled_at", "totp_secret"):
        op.drop_column("accounts", column)
    op.drop_table("recovery_codes")
    op.drop_table("account_links")
    op.drop_table("account_sessions")
    op.create_table(
        "ended_sessions",
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name="pk_ended_sessions"),
        _account_fk("ended_sessions"),
    )
    op.create_index("ix_ended_sessions_account_id", "ended_sessions", ["account_id"])
