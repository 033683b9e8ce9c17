"""Membership tables in the co-op's own schema: invitations, and each person's lifecycle
(status history, probation hours, buy-in, exits, officer terms, accountability, duty rota
and its swaps)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopnet.database import TenantModel, utcnow


class Invitation(TenantModel):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[int] = mapped_column(BigInteger)  # account id; no cross-schema FK
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by: Mapped[int | None] = mapped_column(BigInteger)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def state(self):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= utcnow():
            return "expired"
        return "pending"


# --- the lifecycle of a person in the co-op (the shared membership row is only access) ---


# The statuses of someone who has left the co-op (a withdrawal or an expulsion).
EXIT_STATUSES = ("withdrawn", "expelled")


class MemberRecord(TenantModel):
    """A person's place in the co-op: status since a date, class, and the candidacy's admission."""

    __tablename__ = "member_records"
    __table_args__ = (
        CheckConstraint(
            "status IN ('applicant', 'candidate', 'member', 'leave', 'withdrawn', 'expelled')", name="status"
        ),
        CheckConstraint("class IN ('member', 'trainee')", name="class"),
    )

    account_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # no cross-schema FK
    status: Mapped[str] = mapped_column(String(20))
    since: Mapped[date] = mapped_column(Date)
    member_class: Mapped[str] = mapped_column("class", String(20), default="member")
    candidate_since: Mapped[date | None] = mapped_column(Date)
    # Opened once per candidacy: a conditional update claims it.
    admission_proposal_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    entrance_fee_owed: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    entrance_fee_deferred: Mapped[bool] = mapped_column(Boolean, default=False)


class StatusChange(TenantModel):
    """Every status change, with who made it and why (the audit trail)."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)
    changed_by: Mapped[int | None] = mapped_column(BigInteger)  # None: the co-op's own decision (a proposal)
    proposal_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MembershipPolicy(TenantModel):
    """The co-op's probation and buy-in rules (one row)."""

    __tablename__ = "membership_policy"
    __table_args__ = (CheckConstraint("require IN ('both', 'either')", name="require"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    probation_months: Mapped[int | None] = mapped_column(Integer)
    probation_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    require: Mapped[str] = mapped_column(String(10), default="both")
    buy_in: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    buy_in_instalments: Mapped[int] = mapped_column(Integer, default=1)
    entrance_fee: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HoursEntry(TenantModel):
    """Hours an officer entered for a candidate (until time tracking brings its own)."""

    __tablename__ = "hours_entries"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    worked_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    entered_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BuyInPayment(TenantModel):
    __tablename__ = "buy_in_payments"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # negative: refunded at exit
    paid_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(300), default="")


class OfficerTerm(TenantModel):
    """Who holds which rotating role, from when to when."""

    __tablename__ = "officer_terms"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    role: Mapped[str] = mapped_column(String(60), index=True)
    account_id: Mapped[int] = mapped_column(BigInteger)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)


class AccountabilityStatement(TenantModel):
    """GAIA Host: anyone may file one about any member, themselves included. Never edited;
    the subject may add one response."""

    __tablename__ = "accountability_statements"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    subject_id: Mapped[int] = mapped_column(BigInteger, index=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DutyShift(TenantModel):
    """A shift of the support rota (GAIA Host's 24-hour support)."""

    __tablename__ = "duty_shifts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    swapped_from: Mapped[int | None] = mapped_column(BigInteger)


class ShiftSwap(TenantModel):
    """A member asks another to trade shifts; the shifts change hands only when the
    other accepts (nobody hands a shift to someone else alone)."""

    __tablename__ = "shift_swaps"
    __table_args__ = (
        CheckConstraint("state IN ('asked', 'accepted', 'declined', 'withdrawn', 'lapsed')", name="state"),
        Index(
            "uq_shift_swaps_open_pair",
            "shift_id",
            "with_shift_id",
            unique=True,
            postgresql_where=text("state = 'asked'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    shift_id: Mapped[int] = mapped_column(BigInteger)  # the asker's shift
    with_shift_id: Mapped[int] = mapped_column(BigInteger)  # the shift they would take instead
    asked_by: Mapped[int] = mapped_column(BigInteger)
    asked_of: Mapped[int] = mapped_column(BigInteger, index=True)
    state: Mapped[str] = mapped_column(String(20), default="asked")
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MemberExit(TenantModel):
    """A person leaving (withdrawal or expulsion): the co-op's decision on it, and what
    the co-op owed them back when they left (the buy-in paid in; refunds are negative
    buy-in payments)."""

    __tablename__ = "member_exits"
    __table_args__ = (
        CheckConstraint("to_status IN ('withdrawn', 'expelled')", name="to_status"),
        CheckConstraint("state IN ('proposed', 'done', 'not_agreed')", name="state"),
        Index("uq_member_exits_one_open", "account_id", unique=True, postgresql_where=text("state = 'proposed'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[int | None] = mapped_column(BigInteger)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    proposal_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)  # None: recorded, not voted here
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    exited_on: Mapped[date | None] = mapped_column(Date)
    owed: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # owed back on the day they left
