"""Shared-schema tables: the tenant registry, global accounts, memberships, API tokens."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopnet.database import schema_for, utcnow
from coopnet.extensions import db
from coopnet.platform.roles import KINDS, ROLES, sql_in

# What a mailed account link does when followed.
LINK_PURPOSES = ("reset_password", "verify_email", "change_email", "sign_in")


class Account(UserMixin, db.Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Copied into each session cookie at log-in; raising it ends every session at once.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when the owner followed a link mailed to ``email``; None until then.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The language the person chose ('es'); None follows their co-op, then their browser.
    locale: Mapped[str | None] = mapped_column(String(10))

    # Two-factor authentication: the TOTP secret sealed with Fernet (coopnet.sealed), set
    # when the person starts setting it up; on once totp_enabled_at is set. The last
    # accepted time step is kept so a code is never accepted twice.
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # An account deleted by its owner keeps its row (co-op records point at it) with
    # the name, address and secrets wiped.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    memberships: Mapped[list["Membership"]] = relationship(back_populates="account", cascade="all, delete-orphan")

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None


# Emails are unique whatever their case.
Index("uq_accounts_email_lower", func.lower(Account.email), unique=True)


class TenantFacts:
    """What follows from a tenant's slug and status, for the model and for TenantRef."""

    @property
    def schema(self):
        return schema_for(self.slug)

    @property
    def is_suspended(self):
        return self.status == "suspended"


class Tenant(TenantFacts, db.Model):
    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'suspended')", name="status"),
        CheckConstraint(sql_in("kind", KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="coop", server_default="coop")
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set by the co-op's admins: its pages and API refuse members without two-factor authentication.
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The co-op's default language for people who chose none; None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(10))
    # The IANA time zone its pages show times in ('America/Los_Angeles'); None is UTC.
    time_zone: Mapped[str | None] = mapped_column(String(64))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("tenant_id", "account_id", name="uq_memberships_tenant_account"),
        CheckConstraint(sql_in("role", ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tenant: Mapped[Tenant] = relationship(back_populates="memberships")
    account: Mapped[Account] = relationship(back_populates="memberships")


class ReleasedSlug(db.Model):
    """The slug of a deleted co-op: nobody may register it until the quarantine ends,
    so links, bookmarks and mail meant for the old co-op never reach a new one."""

    __tablename__ = "released_slugs"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SpareSchema(db.Model):
    """A tenant schema made ahead of any signup, empty and at tenant ``revision``; signup
    renames one to ``t_<slug>`` instead of running the DDL (coopnet.platform.spares).
    Not a tenant: no slug, never bound, never listed."""

    __tablename__ = "spare_schemas"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    revision: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 is stored, the secret is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Scopes: None means no expiry; read_only refuses every write; tenant_id limits the
    # token to that co-op's API (and nothing of the platform's).
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))

    account: Mapped[Account] = relationship()
    tenant: Mapped[Tenant | None] = relationship()


class AccountSession(db.Model):
    """A log-in: the cookie names it by ``session_id`` (a secret), the account's
    session list by ``id``. A cookie is accepted while its row is not ended; rows
    older than PERMANENT_SESSION_LIFETIME are swept."""

    __tablename__ = "account_sessions"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(32), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Kept to within a few minutes (sessions.SEEN_RESOLUTION), so most requests write nothing.
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class AccountLink(db.Model):
    """A single-use, expiring link mailed to an account's owner: reset the password,
    verify the address, move the account to a new address, or sign in without the
    password. Only the token's SHA-256 is stored."""

    __tablename__ = "account_links"
    __table_args__ = (CheckConstraint(sql_in("purpose", LINK_PURPOSES), name="purpose"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # For change_email: the address the account moves to once the link is followed.
    new_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RecoveryCode(db.Model):
    """One of the codes that stand in for the authenticator app once each (hashed)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JobProgress(db.Model):
    """How far a long job has got, keyed by its RQ job id; readable by whoever queued it."""

    __tablename__ = "job_progress"

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(200))
    # queued -> running -> finished | failed
    status: Mapped[str] = mapped_column(String(20), default="queued")
    done: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int | None] = mapped_column(BigInteger)
    message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlatformMail(db.Model):
    """Mail the platform itself sends (address verification, password reset, sign-up
    links): no tenant is bound, so it waits here, as a tenant's mail waits in its outbox."""

    __tablename__ = "platform_mail"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # queued -> sent | held (no MAIL_SERVER: kept for the operator) | failed
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignupRequest(db.Model):
    """A co-op signup waiting for its founder to follow the link mailed to them:
    no account exists for an address until its owner proves they read it."""

    __tablename__ = "signup_requests"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    founder_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
