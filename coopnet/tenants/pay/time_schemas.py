"""JSON shapes of time beyond logging it (CSV import, corrections and their audit) and of the
salary year (balances of hours and leave, leave taken, year ends). Hours are minutes inside."""

from marshmallow import Schema, fields

from coopnet.money import show_hours
from coopnet.tenants.pay.schemas import Money


class TimeImportIn(Schema):
    csv = fields.String(
        required=True,
        metadata={"description": "columns: worked_on, minutes; optional email, kind, billable, client, project, note"},
    )
    preview = fields.Boolean(load_default=False)


class TimeImportOut(Schema):
    rows = fields.Integer()
    imported = fields.Integer()
    problems = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": "line to reason"})


class TimeEntryEditIn(Schema):
    """Only the fields sent change."""

    worked_on = fields.String(metadata={"format": "date", "example": "2026-03-02"})
    minutes = fields.Raw(metadata={"type": "integer", "example": 120})
    kind = fields.String()
    billable = fields.Boolean()
    client_id = fields.Raw(allow_none=True, metadata={"type": "integer", "nullable": True})
    project_id = fields.Raw(allow_none=True, metadata={"type": "integer", "nullable": True})
    note = fields.String()
    reason = fields.String(load_default="", metadata={"description": "why, kept with the change"})


class TimeEntryRemoveIn(Schema):
    reason = fields.String(load_default="")


class TimeEntryChangeOut(Schema):
    id = fields.Integer()
    entry_id = fields.Integer()
    account_id = fields.Integer()
    action = fields.String(metadata={"enum": ["created", "changed", "deleted"]})
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    reason = fields.String()
    changed_by = fields.Integer()
    changed_at = fields.DateTime()


class TimeEntryChangeListOut(Schema):
    changes = fields.List(fields.Nested(TimeEntryChangeOut))


class SalaryMemberOut(Schema):
    account_id = fields.Integer()
    name = fields.String()
    counted_from = fields.Date(metadata={"description": "the year's first day, or the day they joined"})
    committed_minutes = fields.Integer(metadata={"description": "the commitment so far"})
    worked_minutes = fields.Integer()
    leave_taken_minutes = fields.Integer()
    leave_allowance_minutes = fields.Integer(metadata={"description": "the year's, or its part from joining"})
    leave_counted_minutes = fields.Integer(metadata={"description": "paid leave, up to the allowance"})
    leave_left_minutes = fields.Integer(metadata={"description": "allowance less leave taken"})
    carried_in_minutes = fields.Integer(metadata={"description": "from the year before; negative is owed"})
    balance_minutes = fields.Integer(metadata={"description": "over (positive) or under (negative)"})
    balance_hours = fields.Function(lambda row: show_hours(row["balance_minutes"]), metadata={"type": "string"})


class SalaryBalancesOut(Schema):
    year = fields.Integer()
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    on = fields.Date()
    yearly_minutes = fields.Integer()
    leave_allowance_minutes = fields.Integer()
    hourly_value = Money(metadata={"description": "twelve months' salary over the yearly hours"})
    members = fields.List(fields.Nested(SalaryMemberOut))


class LeaveIn(Schema):
    taken_on = fields.String(required=True, metadata={"format": "date", "example": "2026-08-03"})
    minutes = fields.Raw(required=True, metadata={"type": "integer", "example": 420})
    note = fields.String(load_default="")
    account_id = fields.Raw(load_default=None, metadata={"type": "integer", "nullable": True})


class LeaveOut(Schema):
    id = fields.Integer()
    account_id = fields.Integer()
    taken_on = fields.Date()
    minutes = fields.Integer()
    note = fields.String()
    recorded_by = fields.Integer()


class LeaveListOut(Schema):
    leave = fields.List(fields.Nested(LeaveOut))


class SalaryYearEndIn(Schema):
    year = fields.Raw(required=True, metadata={"type": "integer", "example": 2026})
    shortfall = fields.String(required=True, metadata={"enum": ["repay", "carry"]})
    surplus_hours = fields.String(required=True, metadata={"enum": ["carry", "drop"]})


class SalaryYearEndOut(Schema):
    account_id = fields.Integer()
    committed_minutes = fields.Integer()
    worked_minutes = fields.Integer()
    leave_minutes = fields.Integer()
    carried_in_minutes = fields.Integer()
    balance_minutes = fields.Integer()
    balance_hours = fields.Function(lambda row: show_hours(row.balance_minutes), metadata={"type": "string"})
    outcome = fields.String(metadata={"enum": ["even", "owed", "carried", "dropped"]})
    carried_minutes = fields.Integer()
    owed = Money()
    closed_by = fields.Integer()
    closed_at = fields.DateTime()


class SalaryYearEndListOut(Schema):
    year = fields.Integer()
    members = fields.List(fields.Nested(SalaryYearEndOut))
