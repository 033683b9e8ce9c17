"""JSON shapes of pay: time, clients, pay policies and runs, the surplus and capital accounts.

Amounts travel as decimal strings ("1234.50"); they are integer cents inside."""

from marshmallow import Schema, fields

from coopnet.i18n import today as local_today
from coopnet.money import show, show_hours
from coopnet.tenants.pay import instalments

MONEY = {"type": "string", "example": "1234.50"}


class Money(fields.Field):
    """Integer cents out as a decimal string."""

    def __init__(self, **kwargs):
        super().__init__(metadata={**MONEY, **kwargs.pop("metadata", {})}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else show(value)


class TimeEntryIn(Schema):
    worked_on = fields.String(required=True, metadata={"format": "date", "example": "2026-03-02"})
    minutes = fields.Raw(required=True, metadata={"type": "integer", "example": 150})
    kind = fields.String(load_default="client")
    billable = fields.Boolean(load_default=False)
    client_id = fields.Raw(load_default=None, metadata={"type": "integer", "nullable": True})
    project_id = fields.Raw(
        load_default=None, metadata={"type": "integer", "nullable": True, "description": "implies its client"}
    )
    note = fields.String(load_default="")
    account_id = fields.Raw(load_default=None, metadata={"type": "integer", "nullable": True})


class TimeEntryOut(Schema):
    id = fields.Integer()
    account_id = fields.Integer()
    worked_on = fields.Date()
    minutes = fields.Integer()
    kind = fields.String()
    billable = fields.Boolean()
    client_id = fields.Integer(allow_none=True)
    project_id = fields.Integer(allow_none=True)
    note = fields.String()
    entered_by = fields.Integer()


class TimeEntryListOut(Schema):
    entries = fields.List(fields.Nested(TimeEntryOut))
    total_minutes = fields.Integer()


class WorkKindIn(Schema):
    key = fields.String(required=True, metadata={"example": "web development"})
    label = fields.String(load_default="")


class WorkKindOut(Schema):
    key = fields.String()
    label = fields.String()


class WorkKindListOut(Schema):
    kinds = fields.List(fields.Nested(WorkKindOut))


class ClientIn(Schema):
    name = fields.String(required=True)
    hourly_rate = fields.Raw(required=True, metadata={**MONEY, "description": "sliding scale, 0.00 to 150.00"})
    email = fields.String(load_default="", metadata={"description": "where invoices are mailed"})
    payment_days = fields.Raw(load_default=30, metadata={"type": "integer", "description": "days until due"})


class ClientOut(Schema):
    id = fields.Integer()
    name = fields.String()
    hourly_rate = Money()
    email = fields.String()
    payment_days = fields.Integer()


class ClientListOut(Schema):
    clients = fields.List(fields.Nested(ClientOut))


class PayPolicyIn(Schema):
    effective_from = fields.String(required=True, metadata={"format": "date"})
    scheme = fields.String(load_default="hourly", metadata={"enum": ["hourly", "base_plus_hourly", "salary"]})
    rates = fields.Dict(required=True, metadata={"example": {"member": "25.00", "trainee": "15.00"}})
    kind_multipliers = fields.Dict(load_default=dict, metadata={"example": {"web development": "2"}})
    base_hours = fields.Raw(load_default=None, metadata={"type": "integer", "nullable": True})
    monthly_salary = fields.Raw(load_default=None, metadata={**MONEY, "nullable": True})
    yearly_hours = fields.Raw(load_default=None, metadata={"type": "integer", "nullable": True})
    leave_weeks = fields.Raw(load_default=0, metadata={"type": "integer"})
    member_fee = fields.Raw(load_default="0.00", metadata=MONEY)


class PayPolicyOut(Schema):
    id = fields.Integer()
    effective_from = fields.Date()
    scheme = fields.String()
    rates = fields.Function(lambda p: {k: show(v) for k, v in p.rates.items()}, metadata={"type": "object"})
    kind_multipliers = fields.Dict()
    base_hours = fields.Integer(allow_none=True)
    monthly_salary = Money(allow_none=True)
    yearly_hours = fields.Integer(allow_none=True)
    leave_weeks = fields.Integer()
    member_fee = Money()


class PayPolicyListOut(Schema):
    versions = fields.List(fields.Nested(PayPolicyOut))


class PayRunIn(Schema):
    period_start = fields.String(required=True, metadata={"format": "date"})
    period_end = fields.String(required=True, metadata={"format": "date"})


class PayLineOut(Schema):
    account_id = fields.Integer()
    minutes = fields.Integer()
    gross = Money()
    fee = Money()
    adjustment = Money()
    net = Money()
    detail = fields.List(fields.Dict())


class PayRunOut(Schema):
    id = fields.Integer()
    period_start = fields.Date()
    period_end = fields.Date()
    status = fields.String(metadata={"enum": ["draft", "final"]})
    finalised_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(PayLineOut))


class PayRunSummaryOut(Schema):
    """A run without its lines (what each member is paid): its period, state and totals."""

    id = fields.Integer()
    period_start = fields.Date()
    period_end = fields.Date()
    status = fields.String(metadata={"enum": ["draft", "final"]})
    finalised_at = fields.DateTime(allow_none=True)
    members = fields.Function(lambda run: len(run.lines), metadata={"type": "integer"})
    minutes = fields.Function(lambda run: sum(line.minutes for line in run.lines), metadata={"type": "integer"})
    gross = fields.Function(lambda run: show(sum(line.gross for line in run.lines)), metadata=MONEY)
    net = fields.Function(lambda run: show(sum(line.net for line in run.lines)), metadata=MONEY)


class PayRunListOut(Schema):
    pay_runs = fields.List(fields.Nested(PayRunSummaryOut))


class SurplusPolicyIn(Schema):
    reserve_share = fields.Raw(required=True, metadata={"type": "string", "example": "0.25"})
    funds = fields.Raw(load_default=list, metadata={"type": "array", "items": {"type": "object"}})
    basis = fields.String(load_default="hours", metadata={"enum": ["hours", "pay"]})
    cash_share = fields.Raw(load_default="0.20", metadata={"type": "string", "example": "0.20"})
    cash_instalments = fields.Raw(load_default=1, metadata={"type": "integer"})
    instalment_months = fields.Raw(load_default=1, metadata={"type": "integer", "description": "months apart, 1-12"})
    fiscal_year_start = fields.String(load_default="01-01", metadata={"example": "01-01"})


class FundShareOut(Schema):
    name = fields.String()
    share = fields.String()


class SurplusPolicyOut(Schema):
    reserve_share = fields.String()
    funds = fields.List(fields.Nested(FundShareOut))
    basis = fields.String()
    cash_share = fields.String()
    cash_instalments = fields.Integer()
    instalment_months = fields.Integer()
    fiscal_year_start = fields.String()


class AllocationIn(Schema):
    fiscal_year = fields.Raw(required=True, metadata={"type": "integer", "example": 2026})
    surplus = fields.Raw(
        load_default=None, metadata={**MONEY, "description": "default: the year's computed net surplus"}
    )


class FundAmountOut(Schema):
    name = fields.String()
    amount = Money()


class MemberAllocationOut(Schema):
    account_id = fields.Integer()
    hours = fields.Function(lambda line: show_hours(line.minutes), metadata={"type": "string"})
    allocation = Money()
    cash = Money()
    retained = Money()


class AllocationOut(Schema):
    id = fields.Integer()
    fiscal_year = fields.Integer()
    surplus = Money()
    reserve = Money()
    basis = fields.String()
    funds = fields.Function(
        lambda a: [{"name": f["name"], "amount": show(f["amount"])} for f in a.funds],
        metadata={"type": "array", "items": {"type": "object"}},
    )
    members = fields.List(fields.Nested(MemberAllocationOut))


class AllocationListOut(Schema):
    allocations = fields.List(fields.Nested(AllocationOut))


class InstalmentOut(Schema):
    id = fields.Integer()
    allocation_id = fields.Integer()
    account_id = fields.Integer()
    number = fields.Integer()
    due_on = fields.Date()
    amount = Money()
    paid_on = fields.Date(allow_none=True)
    status = fields.Function(
        lambda i: instalments.status(i), metadata={"type": "string", "enum": list(instalments.STATUSES)}
    )


class InstalmentListOut(Schema):
    instalments = fields.List(fields.Nested(InstalmentOut))


class InstalmentPaidIn(Schema):
    paid_on = fields.String(required=True, metadata={"format": "date", "example": "2027-02-01"})


class CapitalEntryOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    amount = Money()
    entry_on = fields.Date()
    allocation_id = fields.Integer(allow_none=True)
    note = fields.String()


class CapitalAccountOut(Schema):
    account_id = fields.Integer(allow_none=True)
    balance = Money()
    entries = fields.List(fields.Nested(CapitalEntryOut))


class CapitalEntryIn(Schema):
    kind = fields.String(required=True, metadata={"enum": ["buy_in", "payout", "loss", "redemption"]})
    amount = fields.Raw(required=True, metadata=MONEY)
    entry_on = fields.String(required=True, metadata={"format": "date"})
    note = fields.String(load_default="")


class InvoiceIn(Schema):
    client_id = fields.Raw(required=True, metadata={"type": "integer", "example": 1})
    period_start = fields.String(required=True, metadata={"format": "date", "example": "2026-03-01"})
    period_end = fields.String(required=True, metadata={"format": "date", "example": "2026-03-31"})
    due_on = fields.String(
        load_default=None, metadata={"format": "date", "nullable": True, "description": "default: the client's terms"}
    )
    project_id = fields.Raw(
        load_default=None,
        metadata={"type": "integer", "nullable": True, "description": "only this project's time (the client's)"},
    )


class InvoicePaidIn(Schema):
    paid_on = fields.String(load_default=None, metadata={"format": "date", "nullable": True})


class InvoiceLineOut(Schema):
    kind = fields.String()
    hours = fields.Function(lambda line: show_hours(line.minutes), metadata={"type": "string"})
    minutes = fields.Integer()
    rate = Money()
    amount = Money()


class InvoiceOut(Schema):
    id = fields.Integer()
    number = fields.Integer()
    client_id = fields.Integer()
    client_name = fields.Function(lambda i: i.client.name, metadata={"type": "string"})
    period_start = fields.Date()
    period_end = fields.Date()
    issued_on = fields.Date()
    due_on = fields.Date()
    currency = fields.String()
    hourly_rate = Money()
    minutes = fields.Integer()
    total = Money()
    status = fields.String(metadata={"enum": ["draft", "sent", "paid"]})
    overdue = fields.Function(lambda i: i.status == "sent" and i.due_on < local_today(), metadata={"type": "boolean"})
    sent_at = fields.DateTime(allow_none=True)
    paid_on = fields.Date(allow_none=True)
    project_id = fields.Integer(allow_none=True)
    lines = fields.List(fields.Nested(InvoiceLineOut))


class InvoiceSummaryOut(InvoiceOut):
    class Meta:
        exclude = ("lines",)


class InvoiceListOut(Schema):
    invoices = fields.List(fields.Nested(InvoiceSummaryOut))


class AdjustmentIn(Schema):
    account_id = fields.Raw(required=True, metadata={"type": "integer"})
    corrects_run_id = fields.Raw(required=True, metadata={"type": "integer"})
    amount = fields.Raw(required=True, metadata={**MONEY, "description": "negative takes back an overpayment"})
    reason = fields.String(required=True)


class AdjustmentOut(Schema):
    id = fields.Integer()
    account_id = fields.Integer()
    corrects_run_id = fields.Integer()
    amount = Money()
    reason = fields.String()
    recorded_by = fields.Integer()
    recorded_at = fields.DateTime()
    paid_in_run_id = fields.Integer(allow_none=True)


class AdjustmentListOut(Schema):
    adjustments = fields.List(fields.Nested(AdjustmentOut))


class PolicyProposalOut(Schema):
    id = fields.Integer()
    proposal_id = fields.Integer()
    terms = fields.Dict()
    proposed_by = fields.Integer()
    proposed_at = fields.DateTime()
    state = fields.String(metadata={"enum": ["open", "adopted", "not_agreed", "not_applied"]})
    policy_id = fields.Integer(allow_none=True)
    problem = fields.String()


class PolicyProposalListOut(Schema):
    proposals = fields.List(fields.Nested(PolicyProposalOut))


class SubsidisedLineOut(Schema):
    minutes = fields.Integer()
    hours = fields.Function(lambda row: show_hours(row["minutes"]), metadata={"type": "string"})
    full_value = Money(metadata={"description": "the billable hours at the full rate"})
    charged = Money(metadata={"description": "at the rate charged: the invoice's, else the client's"})
    given = Money(metadata={"description": "full value less charged: the subsidy"})


class SubsidisedProjectOut(SubsidisedLineOut):
    project_id = fields.Integer(allow_none=True, metadata={"description": "null: time on no project"})
    name = fields.String()


class SubsidisedClientOut(SubsidisedLineOut):
    client_id = fields.Integer()
    name = fields.String()
    hourly_rate = Money(metadata={"description": "the client's rate today"})
    projects = fields.List(fields.Nested(SubsidisedProjectOut), metadata={"description": "they sum to the client's"})


class SubsidisedWorkOut(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    full_rate = Money()
    clients = fields.List(fields.Nested(SubsidisedClientOut))
    total = fields.Nested(SubsidisedLineOut)


class ClientEditIn(Schema):
    """Only the fields sent change."""

    name = fields.String()
    hourly_rate = fields.Raw(metadata={**MONEY, "description": "sliding scale, 0.00 to 150.00"})
    email = fields.String()
    payment_days = fields.Raw(metadata={"type": "integer"})
