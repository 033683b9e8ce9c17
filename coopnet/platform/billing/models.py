"""Shared-schema tables of the platform's billing: the Stripe event log that dues and
platform billing share."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Identity,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopnet.database import utcnow
from coopnet.extensions import db

# The receiving account of the platform's own Stripe events in the shared event log.
PLATFORM_ACCOUNT = 0


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
