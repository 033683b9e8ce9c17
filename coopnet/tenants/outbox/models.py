"""Mail waiting to go out (or kept for an admin to read when no MAIL_SERVER is set)."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Identity, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coopnet.database import TenantModel, utcnow


class OutboxMessage(TenantModel):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # queued -> sent | held (no MAIL_SERVER: kept here for an admin) | failed
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
