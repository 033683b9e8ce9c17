"""JSON shapes of a client's projects, the co-op's expenses and a fiscal year's computed net
surplus. Amounts travel as decimal strings ("1234.50"); they are integer cents inside."""

from marshmallow import Schema, fields

from coopnet.tenants.pay.schemas import MONEY, Money


class ProjectIn(Schema):
    name = fields.String(required=True, metadata={"example": "Lease clinic website"})


class ProjectEditIn(Schema):
    """Only the fields sent change."""

    name = fields.String()
    archived = fields.Raw(metadata={"type": "boolean", "description": "an archived project takes no new time"})


class ProjectOut(Schema):
    id = fields.Integer()
    client_id = fields.Integer()
    name = fields.String()
    archived = fields.Boolean()
    created_at = fields.DateTime()


class ProjectListOut(Schema):
    projects = fields.List(fields.Nested(ProjectOut))


class ExpenseIn(Schema):
    spent_on = fields.String(required=True, metadata={"format": "date", "example": "2026-03-02"})
    amount = fields.Raw(required=True, metadata={**MONEY, "description": "above 0.00"})
    description = fields.String(required=True, metadata={"example": "Office rent, March"})
    category = fields.String(load_default="", metadata={"example": "rent"})


class ExpenseOut(Schema):
    id = fields.Integer()
    spent_on = fields.Date()
    amount = Money()
    description = fields.String()
    category = fields.String()
    recorded_by = fields.Integer()
    created_at = fields.DateTime()


class ExpenseListOut(Schema):
    fiscal_year = fields.Integer(allow_none=True)
    total = Money()
    expenses = fields.List(fields.Nested(ExpenseOut))


class NetSurplusOut(Schema):
    fiscal_year = fields.Integer()
    income = fields.String(metadata={**MONEY, "description": "invoices paid in the year"})
    pay = fields.String(metadata={**MONEY, "description": "gross pay (with adjustments) of final runs ending in it"})
    expenses = fields.String(metadata={**MONEY, "description": "expenses spent in the year"})
    net = fields.String(metadata={**MONEY, "description": "income less pay less expenses; may be negative"})
