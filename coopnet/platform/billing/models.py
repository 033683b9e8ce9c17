"""Shared-schema tables of the platform's own billing: each tenant's plan and standing
with the platform, the payments it received (revenue), and the Stripe event log that
dues and platform billing share."""

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
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopnet.database import utcnow
from coopnet.extensions import db
from coopnet.platform.roles import sql_in

# The receiving account of the platform's own Stripe events in the shared event log.
PLATFORM_ACCOUNT = 0
STANDINGS = ("good", "warned", "limited")
UNPAID_REASONS = ("payment_failed", "over_plan", "subscription_ended")


class StripeEvent(db.Model):
    """Each Stripe event once per receiving account (a tenant, or 0 for the platform's
    own billing), so a replayed event is recognised and has no effect."""

    __tablename__ = "stripe_events"
    __table_args__ = (UniqueConstraint("tenant_id", "event_id", name="uq_stripe_events_tenant_event"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(BigInteger)  # 0: the platform's own Stripe account
    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(200))


class PlatformSubscription(db.Model):
    """A tenant's plan with the platform and whether it is paid: good, warned (unpaid,
    inside the grace period) or limited (unpaid past it: read-only). A tenant with no
    row is on the free plan in good standing. Comped tenants are never charged."""

    __tablename__ = "platform_subscriptions"
    __table_args__ = (
        CheckConstraint(sql_in("standing", STANDINGS), name="standing"),
        CheckConstraint(f"reason IS NULL OR {sql_in('reason', UNPAID_REASONS)}", name="reason"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    plan: Mapped[str] = mapped_column(String(20), default="free")
    amount: Mapped[int] = mapped_column(BigInteger, default=0)  # cents a month, as charged
    currency: Mapped[str] = mapped_column(String(3), default="usd")
    standing: Mapped[str] = mapped_column(String(10), default="good", index=True)
    reason: Mapped[str | None] = mapped_column(String(20))
    unpaid_since: Mapped[date | None] = mapped_column(Date)
    warned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    limited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_through: Mapped[date | None] = mapped_column(Date)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(64))
    # The invoice left unpaid, paid again when a new card is attached.
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(64))
    has_payment_method: Mapped[bool] = mapped_column(Boolean, default=False)
    # Counts plan changes and payment attempts: idempotency keys are made from them.
    changes: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    comped: Mapped[bool] = mapped_column(Boolean, default=False)
    comp_reason: Mapped[str | None] = mapped_column(String(300))
    comped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comped_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlatformPayment(db.Model):
    """Money the platform received from a tenant (one row a paid Stripe invoice). Kept
    when the tenant is deleted, with its slug, so revenue by month stays true."""

    __tablename__ = "platform_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="SET NULL"), index=True)
    tenant_slug: Mapped[str] = mapped_column(String(40))
    plan: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    stripe_invoice_id: Mapped[str] = mapped_column(String(64), unique=True)
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
