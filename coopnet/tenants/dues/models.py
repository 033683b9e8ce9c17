"""Dues tables: the organisation's settings and schedule, its member register, what was
billed and paid, the support queue (each tenant's own schema). The Stripe event log is
shared with platform billing (coopnet.platform.billing.models)."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopnet.database import TenantModel, utcnow
from coopnet.platform.billing.models import StripeEvent  # noqa: F401  (shared with platform billing)


class DuesSettings(TenantModel):
    """One row: the organisation's Stripe keys (encrypted), currency and standing rules."""

    __tablename__ = "dues_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    stripe_secret_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # Fernet token
    stripe_webhook_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # Fernet token
    key_hint: Mapped[str | None] = mapped_column(String(40))  # "sk_test_…abcd"
    currency: Mapped[str] = mapped_column(String(3), default="usd")
    grace_days: Mapped[int] = mapped_column(Integer, default=60)
    reminder_days: Mapped[int] = mapped_column(Integer, default=14)
    lapse_suspends_votes: Mapped[bool] = mapped_column(Boolean, default=True)
    lapse_flags_services: Mapped[bool] = mapped_column(Boolean, default=True)
    support_queue: Mapped[bool] = mapped_column(Boolean, default=False)
    connected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DuesSchedule(TenantModel):
    """One row: tiers by kind of member and the sliding scale, in cents per period."""

    __tablename__ = "dues_schedules"
    __table_args__ = (CheckConstraint("period IN ('annual', 'monthly')", name="period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    period: Mapped[str] = mapped_column(String(10), default="annual")
    tiers: Mapped[dict] = mapped_column(JSON, default=dict)  # {"organization": cents, "individual": cents}
    # [{"income_up_to": cents or None, "amount": cents}], ascending; None is "and above"
    bands: Mapped[list] = mapped_column(JSON, default=list)
    minimum: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DuesMember(TenantModel):
    """A member organisation or individual on the register, with its votes and standing."""

    __tablename__ = "dues_members"
    __table_args__ = (
        CheckConstraint("kind IN ('organization', 'individual')", name="kind"),
        CheckConstraint("plan IN ('annual', 'monthly')", name="plan"),
        CheckConstraint("standing IN ('current', 'grace', 'lapsed')", name="standing"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(20))
    votes: Mapped[int] = mapped_column(Integer, default=1)
    declared_income: Mapped[int | None] = mapped_column(BigInteger)  # cents a year
    plan: Mapped[str] = mapped_column(String(10), default="annual")
    amount: Mapped[int] = mapped_column(BigInteger)  # cents a plan period
    currency: Mapped[str] = mapped_column(String(3))
    renews_on: Mapped[date] = mapped_column(Date, index=True)  # first day not yet paid for
    paid_through: Mapped[date | None] = mapped_column(Date)
    standing: Mapped[str] = mapped_column(String(10), index=True)
    grace_ends: Mapped[date | None] = mapped_column(Date)
    votes_suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    services_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(64))
    has_payment_method: Mapped[bool] = mapped_column(Boolean, default=False)
    reminded_for: Mapped[date | None] = mapped_column(Date)  # the renewal date last reminded of
    account_id: Mapped[int | None] = mapped_column(BigInteger)  # no cross-schema FK
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DuesCharge(TenantModel):
    """One attempt to collect one period through Stripe: claimed before Stripe is called,
    so a restarted run finds it and never bills the period twice."""

    __tablename__ = "dues_charges"
    __table_args__ = (
        UniqueConstraint("member_id", "period_start", name="uq_dues_charges_member_period"),
        CheckConstraint("status IN ('pending', 'submitted', 'paid', 'failed', 'no_method')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("dues_members.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(64))
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DuesPayment(TenantModel):
    """Money received for one period: by card through Stripe, or by check or transfer
    recorded by an officer. A period is counted once; a second payment is refunded."""

    __tablename__ = "dues_payments"
    __table_args__ = (
        CheckConstraint("method IN ('card', 'check', 'transfer')", name="method"),
        CheckConstraint("status IN ('paid', 'refunded')", name="status"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index(
            "uq_dues_payments_member_period_paid",
            "member_id",
            "period_start",
            unique=True,
            postgresql_where=text("status = 'paid'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("dues_members.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="paid")
    reference: Mapped[str | None] = mapped_column(String(200))
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)  # account id of the officer
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SupportTicket(TenantModel):
    __tablename__ = "support_tickets"
    __table_args__ = (CheckConstraint("status IN ('open', 'answered', 'closed')", name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    author_name: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SupportAnswer(TenantModel):
    __tablename__ = "support_answers"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("support_tickets.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    author_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
