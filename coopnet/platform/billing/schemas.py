"""JSON shapes of a tenant's plan with the platform. Money is a decimal string of the
currency's major unit ("20.00"), stored as integer cents."""

from marshmallow import Schema, fields

MONEY = {"type": "string", "example": "20.00", "description": "an amount with two decimals"}


class PlanOut(Schema):
    code = fields.String(metadata={"example": "cooperative"})
    label = fields.String()
    amount = fields.String(metadata=MONEY)
    currency = fields.String(metadata={"example": "usd"})
    interval = fields.String(metadata={"example": "month"})
    people = fields.Integer(allow_none=True, metadata={"description": "the most people it covers; null: any number"})
    covers_you = fields.Boolean(metadata={"description": "whether it covers everyone in this space now"})


class PlatformPaymentOut(Schema):
    amount = fields.String(metadata=MONEY)
    currency = fields.String()
    plan = fields.String()
    paid_on = fields.Date()


class BillingOut(Schema):
    plan = fields.Nested(PlanOut)
    amount = fields.String(metadata={**MONEY, "description": "charged a month (0.00 when free or comped)"})
    currency = fields.String()
    people = fields.Integer()
    standing = fields.String(metadata={"enum": ["good", "warned", "limited"]})
    reason = fields.String(allow_none=True, metadata={"enum": ["payment_failed", "over_plan", "subscription_ended"]})
    unpaid_since = fields.Date(allow_none=True)
    grace_ends = fields.Date(allow_none=True, metadata={"description": "the last day writes still work"})
    paid_through = fields.Date(allow_none=True)
    has_payment_method = fields.Boolean()
    last_error = fields.String(allow_none=True)
    comped = fields.Boolean()
    comped_until = fields.Date(allow_none=True)
    billing_configured = fields.Boolean(metadata={"description": "paid plans can be chosen"})
    plans = fields.List(fields.Nested(PlanOut))
    payments = fields.List(fields.Nested(PlatformPaymentOut))


class PlanChoiceIn(Schema):
    plan = fields.String(required=True, metadata={"example": "cooperative"})


class PaymentMethodIn(Schema):
    payment_method = fields.String(required=True, metadata={"example": "pm_card_visa"})


class WebhookOut(Schema):
    received = fields.Boolean()
    id = fields.String()
    duplicate = fields.Boolean()
