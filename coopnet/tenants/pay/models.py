"""Pay tables in the co-op's own schema: time, clients, pay policies and runs, the
surplus policy and its splits, and each member's capital account. Money is integer cents."""

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
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopnet.database import TenantModel, utcnow


class WorkKind(TenantModel):
    """Kinds of work a co-op logs: client and internal by default, and its own."""

    __tablename__ = "work_kinds"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))


class Client(TenantModel):
    """A client, billed on Quilted's sliding scale: $150 down to $0 an hour by what they can pay."""

    __tablename__ = "clients"
    __table_args__ = (CheckConstraint("hourly_rate >= 0 AND hourly_rate <= 15000", name="sliding_scale"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    hourly_rate: Mapped[int] = mapped_column(BigInteger)  # cents
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")  # where invoices go
    payment_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")  # an invoice is due after
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Project(TenantModel):
    """A piece of work for a client (Quilted: one website build); time and invoices may name it.
    An archived project takes no new time but keeps what it has."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("client_id", "name", name="uq_projects_client_name"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    name: Mapped[str] = mapped_column(String(200))
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    client: Mapped[Client] = relationship(lazy="joined")


class TimeEntry(TenantModel):
    __tablename__ = "time_entries"
    __table_args__ = (CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger)
    worked_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(ForeignKey("work_kinds.key"))
    billable: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)  # billed on
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)


# The member's days (timesheets, the fiscal year) and the pay run's period.
Index("ix_time_entries_account_day", TimeEntry.account_id, TimeEntry.worked_on)
Index("ix_time_entries_day", TimeEntry.worked_on)


class PayPolicy(TenantModel):
    """A version of the co-op's pay rules, in force from a date (to the next version)."""

    __tablename__ = "pay_policies"
    __table_args__ = (
        CheckConstraint("scheme IN ('hourly', 'base_plus_hourly', 'salary')", name="scheme"),
        UniqueConstraint("effective_from", name="uq_pay_policies_effective_from"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    scheme: Mapped[str] = mapped_column(String(20))
    # {"member": 2500, "candidate": 2500, "trainee": 1500}: cents an hour by class/status
    rates: Mapped[dict] = mapped_column(JSON)
    # {"web development": "2"}: multiples of the rate by kind of work
    kind_multipliers: Mapped[dict] = mapped_column(JSON, default=dict)
    base_hours: Mapped[int | None] = mapped_column(Integer)  # base_plus_hourly: hours a month paid at least
    monthly_salary: Mapped[int | None] = mapped_column(BigInteger)  # salary: cents a month
    yearly_hours: Mapped[int | None] = mapped_column(Integer)  # salary: the commitment
    leave_weeks: Mapped[int] = mapped_column(Integer, default=0)
    member_fee: Mapped[int] = mapped_column(BigInteger, default=0)  # cents a month toward shared costs
    proposal_id: Mapped[int | None] = mapped_column(BigInteger)  # the pay decision that set it
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PolicyProposal(TenantModel):
    """A new pay policy put to the co-op as a decision in the rulebook's ``pay`` category:
    it takes effect from its date when the proposal passes."""

    __tablename__ = "pay_policy_proposals"
    __table_args__ = (CheckConstraint("state IN ('open', 'adopted', 'not_agreed', 'not_applied')", name="state"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    terms: Mapped[dict] = mapped_column(JSON)  # the policy as proposed (the pay-policies JSON body)
    proposed_by: Mapped[int] = mapped_column(BigInteger)
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="open")
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("pay_policies.id"))
    problem: Mapped[str] = mapped_column(Text, default="")  # why a passed one could not take effect


class PayRun(TenantModel):
    __tablename__ = "pay_runs"
    __table_args__ = (CheckConstraint("status IN ('draft', 'final')", name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    lines: Mapped[list["PayLine"]] = relationship(order_by="PayLine.account_id", cascade="all, delete-orphan")


class PayLine(TenantModel):
    __tablename__ = "pay_lines"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("pay_runs.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(BigInteger)
    minutes: Mapped[int] = mapped_column(BigInteger)
    gross: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger, default=0)
    adjustment: Mapped[int] = mapped_column(BigInteger, default=0)
    net: Mapped[int] = mapped_column(BigInteger)
    detail: Mapped[list] = mapped_column(JSON, default=list)  # [{"kind", "minutes", "rate", "amount"}]


class PayAdjustment(TenantModel):
    """A correction to pay already finalised: it is paid (or taken back) in the next run
    that starts after it was recorded; the finalised run itself is never edited."""

    __tablename__ = "pay_adjustments"
    __table_args__ = (CheckConstraint("amount <> 0", name="amount"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger, index=True)
    amount: Mapped[int] = mapped_column(BigInteger)  # cents; negative takes back an overpayment
    corrects_run_id: Mapped[int] = mapped_column(ForeignKey("pay_runs.id"))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # the run that pays it: set while a draft includes it, fixed when that run is finalised
    paid_in_run_id: Mapped[int | None] = mapped_column(ForeignKey("pay_runs.id", ondelete="SET NULL"))


class SurplusPolicy(TenantModel):
    __tablename__ = "surplus_policy"
    __table_args__ = (CheckConstraint("basis IN ('hours', 'pay')", name="basis"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    reserve_share: Mapped[str] = mapped_column(String(20))  # exact fraction as text: "1/4"
    funds: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "share"}]
    basis: Mapped[str] = mapped_column(String(10), default="hours")
    cash_share: Mapped[str] = mapped_column(String(20), default="1/5")
    cash_instalments: Mapped[int] = mapped_column(Integer, default=1)
    instalment_months: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # months between
    fiscal_year_start: Mapped[str] = mapped_column(String(5), default="01-01")  # MM-DD
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SurplusAllocation(TenantModel):
    __tablename__ = "surplus_allocations"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, unique=True)
    surplus: Mapped[int] = mapped_column(BigInteger)
    reserve: Mapped[int] = mapped_column(BigInteger)
    funds: Mapped[list] = mapped_column(JSON)  # [{"name", "amount"}] in cents
    basis: Mapped[str] = mapped_column(String(10))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    members: Mapped[list["AllocationLine"]] = relationship(
        order_by="AllocationLine.account_id", cascade="all, delete-orphan"
    )


class AllocationLine(TenantModel):
    __tablename__ = "allocation_lines"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("surplus_allocations.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(BigInteger)
    minutes: Mapped[int] = mapped_column(BigInteger)
    weight: Mapped[int] = mapped_column(BigInteger)
    allocation: Mapped[int] = mapped_column(BigInteger)
    cash: Mapped[int] = mapped_column(BigInteger)
    retained: Mapped[int] = mapped_column(BigInteger)


class SurplusInstalment(TenantModel):
    """One dated payment of a member's cash part of a year's surplus (Design Action pays it in
    instalments to protect its cash flow); ``paid_on`` is set when an officer records it paid."""

    __tablename__ = "surplus_instalments"
    __table_args__ = (
        UniqueConstraint("allocation_id", "account_id", "number", name="uq_surplus_instalments_member_number"),
        CheckConstraint("amount > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("surplus_allocations.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... of the member's schedule
    due_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)  # cents
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_recorded_by: Mapped[int | None] = mapped_column(BigInteger)


Index("ix_surplus_instalments_due", SurplusInstalment.due_on)


class CapitalEntry(TenantModel):
    """One line of a capital account; ``account_id`` None is the collective reserve (indivisible)."""

    __tablename__ = "capital_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('buy_in', 'allocation', 'payout', 'loss', 'redemption', 'reserve')", name="kind"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)  # cents; payouts and losses negative
    entry_on: Mapped[date] = mapped_column(Date)
    allocation_id: Mapped[int | None] = mapped_column(ForeignKey("surplus_allocations.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InvoiceCounter(TenantModel):
    """The co-op's last invoice number: taken with one ``UPDATE ... RETURNING`` in the
    transaction that writes the invoice, so a rolled-back invoice leaves no gap."""

    __tablename__ = "invoice_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    last: Mapped[int] = mapped_column(BigInteger, default=0)


class Invoice(TenantModel):
    """A bill to a client for a period's billable time: draft, then sent, then paid.
    Overdue is not stored: a sent invoice is overdue once its due date has passed."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sent', 'paid')", name="status"),
        CheckConstraint("total >= 0", name="total"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    hourly_rate: Mapped[int] = mapped_column(BigInteger)  # cents: the client's rate when it was made
    minutes: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)  # cents
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_by: Mapped[int | None] = mapped_column(BigInteger)
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))  # only this project's time

    client: Mapped[Client] = relationship(lazy="joined")
    lines: Mapped[list["InvoiceLine"]] = relationship(order_by="InvoiceLine.id", cascade="all, delete-orphan")


class InvoiceLine(TenantModel):
    """The hours of one kind of work on an invoice, at the client's rate."""

    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    minutes: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[int] = mapped_column(BigInteger)  # cents an hour
    amount: Mapped[int] = mapped_column(BigInteger)  # cents


class TimeEntryChange(TenantModel):
    """Who entered, changed or removed a member's time, when, and what it was before and after.
    It outlives a removed entry, so ``entry_id`` is not a foreign key."""

    __tablename__ = "time_entry_changes"
    __table_args__ = (CheckConstraint("action IN ('created', 'changed', 'deleted')", name="action"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entry_id: Mapped[int] = mapped_column(BigInteger, index=True)
    account_id: Mapped[int] = mapped_column(BigInteger, index=True)  # whose time
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict | None] = mapped_column(JSON)  # the entry's fields, None when created
    after: Mapped[dict | None] = mapped_column(JSON)  # None when removed
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    changed_by: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LeaveTaken(TenantModel):
    """Paid leave a member took on a day (Web Collective: six weeks a year), in minutes; it counts
    toward a salary's yearly hours up to the policy's allowance."""

    __tablename__ = "leave_taken"
    __table_args__ = (CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    account_id: Mapped[int] = mapped_column(BigInteger)
    taken_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


Index("ix_leave_taken_account_day", LeaveTaken.account_id, LeaveTaken.taken_on)


class SalaryYearEnd(TenantModel):
    """A member's salary year closed: hours committed and done, and what the co-op decided about
    the difference: a shortfall repaid (``owed``) or carried as hours, surplus hours carried or not."""

    __tablename__ = "salary_year_ends"
    __table_args__ = (
        UniqueConstraint("year", "account_id", name="uq_salary_year_ends_year_account"),
        CheckConstraint("outcome IN ('even', 'owed', 'carried', 'dropped')", name="outcome"),
        CheckConstraint("owed >= 0", name="owed"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # the fiscal year it starts in
    account_id: Mapped[int] = mapped_column(BigInteger)
    committed_minutes: Mapped[int] = mapped_column(BigInteger)
    worked_minutes: Mapped[int] = mapped_column(BigInteger)
    leave_minutes: Mapped[int] = mapped_column(BigInteger)  # leave counted (up to the allowance)
    carried_in_minutes: Mapped[int] = mapped_column(BigInteger)  # from the year before; negative is owed
    balance_minutes: Mapped[int] = mapped_column(BigInteger)  # worked + leave + carried in - committed
    outcome: Mapped[str] = mapped_column(String(10))
    carried_minutes: Mapped[int] = mapped_column(BigInteger)  # into the next year
    owed: Mapped[int] = mapped_column(BigInteger)  # cents the member pays back
    closed_by: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Expense(TenantModel):
    """Money the co-op spent (rent, software, a contractor): it comes off the year's surplus."""

    __tablename__ = "expenses"
    __table_args__ = (CheckConstraint("amount > 0", name="amount"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    spent_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(BigInteger)  # cents
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(100), default="", server_default="")
    recorded_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
