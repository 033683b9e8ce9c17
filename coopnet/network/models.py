"""Network tables. Shared (public schema): who belongs to which network and their
directory listings, coordinators, client requests with their timeline and offers,
the overhead fee ledger, subcontracts and their published hours. Each row names the
parties that may see it. Tenant (each co-op's schema): the subcontractor's own
timesheet entries, published from there into the shared subcontract."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from coopnet.database import TenantModel, utcnow
from coopnet.extensions import db
from coopnet.platform.roles import sql_in

COORDINATOR_ROLES = ("new_client", "consultant_group", "community", "records_keeper", "meeting_secretary")
COORDINATOR_LABELS = {
    "new_client": _l("New-client coordinator"),
    "consultant_group": _l("Consultant-group coordinator"),
    "community": _l("Community coordinator"),
    "records_keeper": _l("Records keeper"),
    "meeting_secretary": _l("Meeting secretary"),
}
REQUEST_STATUSES = ("new", "triaged", "offered", "placed", "referred_out", "closed")
URGENCIES = ("low", "normal", "urgent")
OFFER_STATUSES = ("open", "accepted", "declined", "expired", "withdrawn")
SUBCONTRACT_STATUSES = ("offered", "accepted", "declined", "invoiced", "paid")
HOURS_STATUSES = ("submitted", "approved", "queried")
# Directory fields a member may publish; the rest are seen by coordinators and themselves.
LISTING_FIELDS = ("skills", "tags", "services", "region", "time_zone", "languages", "availability", "rates")

TEXT_ARRAY = ARRAY(String(60))


def _tenant_fk():
    return ForeignKey("tenants.id", ondelete="CASCADE")


class NetworkMember(db.Model):
    """A co-op (a tenant) or an independent consultant (an account) in a network,
    with its directory listing. Leaving sets ``left_at``; the row stays, so past
    referrals and subcontracts stay readable to their parties."""

    __tablename__ = "network_members"
    __table_args__ = (
        CheckConstraint("(coop_id IS NULL) <> (account_id IS NULL)", name="one_party"),
        UniqueConstraint("network_id", "coop_id", name="uq_network_members_network_coop"),
        UniqueConstraint("network_id", "account_id", name="uq_network_members_network_account"),
        Index("ix_network_members_skills", "skills", postgresql_using="gin"),
        Index("ix_network_members_search", "search", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    network_id: Mapped[int] = mapped_column(_tenant_fk(), index=True)
    coop_id: Mapped[int | None] = mapped_column(_tenant_fk(), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    skills: Mapped[list[str]] = mapped_column(TEXT_ARRAY, default=list, server_default="{}")
    tags: Mapped[list[str]] = mapped_column(TEXT_ARRAY, default=list, server_default="{}")
    services: Mapped[str] = mapped_column(Text, default="", server_default="")
    region: Mapped[str] = mapped_column(String(100), default="", server_default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    languages: Mapped[list[str]] = mapped_column(TEXT_ARRAY, default=list, server_default="{}")
    taking_work: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    full_until: Mapped[date | None] = mapped_column(Date)
    rates: Mapped[str] = mapped_column(Text, default="", server_default="")
    public_fields: Mapped[list[str]] = mapped_column(TEXT_ARRAY, default=list, server_default="{}")
    # The published fields only, kept by the listing service: what the public search reads.
    search: Mapped[str | None] = mapped_column(TSVECTOR)
    last_offered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


INVITATION_STATUSES = ("pending", "proposed", "accepted", "refused", "revoked")


class NetworkInvitation(db.Model):
    """The community coordinator invites a co-op (its admin accepts) or a person by email
    (a mailed link, so someone with no account yet can sign up and join). When the
    network's rulebook decides admissions, accepting opens a proposal in the network
    (``proposed``) and its outcome makes the invitation ``accepted`` or ``refused``. A
    coordinator may revoke one still ``pending`` (``revoked``): its link stops working."""

    __tablename__ = "network_invitations"
    __table_args__ = (
        CheckConstraint("(coop_id IS NULL) <> (email IS NULL)", name="one_party"),
        CheckConstraint(sql_in("status", INVITATION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    network_id: Mapped[int] = mapped_column(_tenant_fk(), index=True)
    coop_id: Mapped[int | None] = mapped_column(_tenant_fk(), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    # Of the mailed link (email invitations): only its SHA-256 is kept.
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The admission proposal in the network's own schema (no cross-schema foreign key).
    proposal_id: Mapped[int | None] = mapped_column(BigInteger)


class Coordinator(db.Model):
    __tablename__ = "network_coordinators"
    __table_args__ = (
        UniqueConstraint("network_id", "account_id", "role", name="uq_network_coordinators_network_account_role"),
        CheckConstraint(sql_in("role", COORDINATOR_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    network_id: Mapped[int] = mapped_column(_tenant_fk(), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NetworkSettings(db.Model):
    __tablename__ = "network_settings"
    __table_args__ = (
        CheckConstraint("overhead_cents_per_hour >= 0", name="overhead"),
        CheckConstraint("offer_hours > 0", name="offer_hours"),
    )

    network_id: Mapped[int] = mapped_column(_tenant_fk(), primary_key=True)
    overhead_cents_per_hour: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    offer_hours: Mapped[int] = mapped_column(Integer, default=72)
    # Set by the network's admins once its rulebook has an admission category: accepting
    # an invitation then opens a proposal there instead of joining at once.
    admission_by_rulebook: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class ClientRequest(db.Model):
    """A client's request for work, from a network's public form."""

    __tablename__ = "client_requests"
    __table_args__ = (
        CheckConstraint(sql_in("status", REQUEST_STATUSES), name="status"),
        CheckConstraint(sql_in("urgency", URGENCIES), name="urgency"),
        Index("ix_client_requests_network_created", "network_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    network_id: Mapped[int] = mapped_column(_tenant_fk())
    organisation: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    need: Mapped[str] = mapped_column(Text)
    skills: Mapped[list[str]] = mapped_column(TEXT_ARRAY, default=list)
    ability_to_pay: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(20), default="new")
    client_address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    placed_member_id: Mapped[int | None] = mapped_column(ForeignKey("network_members.id", ondelete="SET NULL"))
    outside_referrals: Mapped[list] = mapped_column(JSONB, default=list)


class RequestEvent(db.Model):
    """One step of a request's timeline."""

    __tablename__ = "client_request_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("client_requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("network_members.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")


class Offer(db.Model):
    """A request offered to one member, with a deadline to respond by."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint(sql_in("status", OFFER_STATUSES), name="status"),
        Index("uq_offers_one_open", "request_id", "member_id", unique=True, postgresql_where=text("status = 'open'")),
        Index("ix_offers_open_due", "respond_by", postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("client_requests.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("network_members.id", ondelete="CASCADE"), index=True)
    offered_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    respond_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="open")
    reason: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    responded_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))


class FeeEntry(db.Model):
    """The network's overhead share of hours billed on referred work, owed by the provider."""

    __tablename__ = "network_fee_entries"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours"),
        CheckConstraint("amount_cents >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    network_id: Mapped[int] = mapped_column(_tenant_fk(), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("client_requests.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("network_members.id", ondelete="CASCADE"))
    worked_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    overhead_cents_per_hour: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Subcontract(db.Model):
    """Co-op A (contractor) subcontracts work to co-op B (subcontractor); only A and B see it."""

    __tablename__ = "subcontracts"
    __table_args__ = (
        CheckConstraint(sql_in("status", SUBCONTRACT_STATUSES), name="status"),
        CheckConstraint("contractor_id <> subcontractor_id", name="two_parties"),
        CheckConstraint("(rate_cents IS NULL) <> (fixed_price_cents IS NULL)", name="one_price"),
        CheckConstraint("rate_cents >= 0 AND fixed_price_cents >= 0", name="price_not_negative"),
        CheckConstraint("hour_cap > 0", name="hour_cap"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    contractor_id: Mapped[int] = mapped_column(_tenant_fk(), index=True)
    subcontractor_id: Mapped[int] = mapped_column(_tenant_fk(), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("client_requests.id", ondelete="SET NULL"))
    scope: Mapped[str] = mapped_column(Text)
    client: Mapped[str] = mapped_column(String(200), default="")
    rate_cents: Mapped[int | None] = mapped_column(BigInteger)
    fixed_price_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    hour_cap: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="offered")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    invoiced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    invoice_cents: Mapped[int | None] = mapped_column(BigInteger)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SubcontractHours(db.Model):
    """Hours the subcontractor published from its own timesheet; the contractor approves or queries them."""

    __tablename__ = "subcontract_hours"
    __table_args__ = (
        CheckConstraint(sql_in("status", HOURS_STATUSES), name="status"),
        CheckConstraint("hours > 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    subcontract_id: Mapped[int] = mapped_column(ForeignKey("subcontracts.id", ondelete="CASCADE"), index=True)
    worked_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    logged_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    query_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))


class SubcontractTimeEntry(TenantModel):
    """In the subcontractor's own schema: a member's time on a subcontract, as its own
    timesheet keeps it (until pay's time entries exist). ``published_id`` is the
    shared row it was published as; its status follows the contractor's decision."""

    __tablename__ = "subcontract_time_entries"
    __table_args__ = (CheckConstraint(sql_in("status", HOURS_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    subcontract_id: Mapped[int] = mapped_column(BigInteger, index=True)  # shared record; no cross-schema FK
    account_id: Mapped[int] = mapped_column(BigInteger)
    worked_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    published_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
