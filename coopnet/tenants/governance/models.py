"""Governance tables, in each tenant's own schema: rulebook versions, proposals,
positions (with every change kept), meetings, minutes and the chain of approved records."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopnet.database import TenantModel, utcnow


class RulebookVersion(TenantModel):
    """One version of the co-op's rulebook; a new version only through a passed proposal."""

    __tablename__ = "rulebook_versions"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    preset: Mapped[str | None] = mapped_column(String(40))
    # {category key: rule as JSON (fractions as "2/3")}
    categories: Mapped[dict] = mapped_column(JSON)
    adopted_by: Mapped[int] = mapped_column(BigInteger)  # account id; no cross-schema FK
    proposal_id: Mapped[int | None] = mapped_column(BigInteger)  # the proposal that changed it
    adopted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Proposal(TenantModel):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed', 'withdrawn')", name="status"),
        CheckConstraint("outcome IS NULL OR outcome IN ('passed', 'failed', 'blocked', 'no_quorum')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    category: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(BigInteger)
    rulebook_version: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    tally: Mapped[dict | None] = mapped_column(JSON)  # counts at closing
    eligible: Mapped[int | None] = mapped_column(Integer)  # eligible voters at closing
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(20))  # schedule | sweep | early
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A rulebook proposal carries the categories it would adopt.
    rulebook_change: Mapped[dict | None] = mapped_column(JSON)

    positions: Mapped[list["Position"]] = relationship(back_populates="proposal", order_by="Position.id")


class Position(TenantModel):
    """A member's current position on a proposal: one per member, changed in place."""

    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("proposal_id", "account_id", name="uq_positions_proposal_account"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(BigInteger)
    stance: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="positions")


class PositionChange(TenantModel):
    """Every position ever taken, in order: positions change until closing, history stays."""

    __tablename__ = "position_changes"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(BigInteger)
    stance: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Meeting(TenantModel):
    __tablename__ = "meetings"
    __table_args__ = (CheckConstraint("recurrence IN ('none', 'weekly', 'monthly', 'weeks')", name="recurrence"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    minutes_long: Mapped[int] = mapped_column(Integer, default=60)
    location: Mapped[str | None] = mapped_column(String(200))
    recurrence: Mapped[str] = mapped_column(String(20), default="none")
    every_weeks: Mapped[int | None] = mapped_column(Integer)  # recurrence "weeks": every N weeks
    created_by: Mapped[int] = mapped_column(BigInteger)
    agenda: Mapped[list] = mapped_column(JSON, default=list)  # [{"title", "proposal_id"}]


class Minutes(TenantModel):
    """Minutes of a meeting: a draft anyone may edit, then an approved legal record."""

    __tablename__ = "minutes"
    __table_args__ = (CheckConstraint("status IN ('draft', 'approved')", name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"), index=True)
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("minutes.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    held_on: Mapped[date] = mapped_column(Date)
    attendees: Mapped[list] = mapped_column(JSON, default=list)  # account ids
    issues: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[list] = mapped_column(JSON, default=list)  # [{"text", "proposal_id", "tally"}]
    written_by: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by_proposal: Mapped[int | None] = mapped_column(BigInteger)

    actions: Mapped[list["ActionItem"]] = relationship(order_by="ActionItem.id", cascade="all, delete-orphan")


class ActionItem(TenantModel):
    __tablename__ = "action_items"
    __table_args__ = (CheckConstraint("status IN ('open', 'done', 'dropped')", name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    assignee_id: Mapped[int] = mapped_column(BigInteger, index=True)
    what: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")


class ApprovedRecord(TenantModel):
    """An approved record, chained: its hash covers its canonical content and the previous hash.

    A row here is never updated or deleted by the app; a direct SQL change breaks the chain."""

    __tablename__ = "approved_records"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="RESTRICT"), unique=True)
    content: Mapped[str] = mapped_column(Text)  # canonical JSON of the minutes as approved
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CalendarKey(TenantModel):
    """A member's secret for subscribing to the meetings calendar (stored hashed)."""

    __tablename__ = "calendar_keys"

    account_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
