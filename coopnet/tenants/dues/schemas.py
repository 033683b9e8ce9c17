"""JSON shapes of dues: settings (keys masked), the schedule, members, payments, tickets.
Money is a decimal string of the currency's major unit ("100.00"), stored as integer cents."""

from marshmallow import Schema, fields, validate

MONEY = {"type": "string", "example": "100.00", "description": "an amount with at most two decimals"}


class DuesSettingsIn(Schema):
    stripe_secret_key = fields.String(metadata={"example": "sk_test_..."})
    stripe_webhook_secret = fields.String(metadata={"example": "whsec_..."})
    currency = fields.String(metadata={"example": "usd"})
    grace_days = fields.Integer(metadata={"example": 60})
    reminder_days = fields.Integer(metadata={"example": 14})
    lapse_suspends_votes = fields.Boolean()
    lapse_flags_services = fields.Boolean()
    support_queue = fields.Boolean()


class DuesSettingsOut(Schema):
    connected = fields.Boolean()
    stripe_secret_key = fields.String(allow_none=True, metadata={"description": "masked: sk_test_…abcd"})
    stripe_webhook_secret = fields.String(allow_none=True, metadata={"description": "masked"})
    currency = fields.String()
    grace_days = fields.Integer()
    reminder_days = fields.Integer()
    lapse_suspends_votes = fields.Boolean()
    lapse_flags_services = fields.Boolean()
    support_queue = fields.Boolean()
    webhook_url = fields.String()


class DuesBandIn(Schema):
    income_up_to = fields.String(allow_none=True, load_default=None, metadata=MONEY)
    amount = fields.String(required=True, metadata=MONEY)


class DuesScheduleIn(Schema):
    period = fields.String(required=True, metadata={"enum": ["annual", "monthly"]})
    tiers = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    sliding_scale = fields.List(fields.Nested(DuesBandIn), load_default=list, validate=validate.Length(max=50))
    minimum = fields.String(load_default="0.00", metadata=MONEY)


class DuesBandOut(Schema):
    income_up_to = fields.String(allow_none=True)
    amount = fields.String()


class DuesScheduleOut(Schema):
    period = fields.String()
    currency = fields.String()
    tiers = fields.Dict(keys=fields.String(), values=fields.String())
    sliding_scale = fields.List(fields.Nested(DuesBandOut))
    minimum = fields.String()


class DuesMemberIn(Schema):
    name = fields.String(required=True)
    email = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["organization", "individual"]})
    votes = fields.Integer(load_default=None)
    declared_income = fields.String(load_default=None, allow_none=True, metadata=MONEY)
    amount = fields.String(load_default=None, allow_none=True, metadata={**MONEY, "description": "pay more"})
    plan = fields.String(load_default="annual", metadata={"enum": ["annual", "monthly"]})
    renews_on = fields.Date(load_default=None, allow_none=True)


class DuesPaymentOut(Schema):
    id = fields.Integer()
    period_start = fields.Date()
    period_end = fields.Date()
    amount = fields.String()
    currency = fields.String()
    method = fields.String()
    status = fields.String(metadata={"enum": ["paid", "refunded"]})
    reference = fields.String(allow_none=True)
    received_on = fields.Date()


class DuesMemberCreatedOut(Schema):
    id = fields.Integer()
    amount = fields.String()
    currency = fields.String()
    standing = fields.String()


class DuesMemberSummaryOut(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    kind = fields.String()
    votes = fields.Integer()
    effective_votes = fields.Integer()
    plan = fields.String()
    amount = fields.String()
    currency = fields.String()
    standing = fields.String(metadata={"enum": ["current", "grace", "lapsed"]})
    paid_through = fields.Date(allow_none=True)
    renews_on = fields.Date()
    grace_ends = fields.Date(allow_none=True)
    votes_suspended = fields.Boolean()
    services_flagged = fields.Boolean()
    has_payment_method = fields.Boolean()
    payment_pending = fields.Boolean()


class DuesMemberOut(DuesMemberSummaryOut):
    payments = fields.List(fields.Nested(DuesPaymentOut))


class DuesMemberListOut(Schema):
    members = fields.List(fields.Nested(DuesMemberSummaryOut))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class DuesMemberQuery(Schema):
    standing = fields.String(load_default=None, validate=validate.OneOf(["current", "grace", "lapsed"]))


class DuesPaymentMethodIn(Schema):
    payment_method = fields.String(required=True, metadata={"example": "pm_card_visa"})


class DuesManualPaymentIn(Schema):
    amount = fields.String(required=True, metadata=MONEY)
    method = fields.String(required=True, metadata={"enum": ["check", "transfer"]})
    reference = fields.String(load_default=None, allow_none=True)
    received_on = fields.Date(load_default=None, allow_none=True)
    period_start = fields.Date(load_default=None, allow_none=True)


class DuesJobOut(Schema):
    job_id = fields.String()


class DuesMonthOut(Schema):
    month = fields.String()
    amount = fields.String()


class DuesYearOut(Schema):
    year = fields.Integer()
    amount = fields.String()


class DuesCollectedOut(Schema):
    currency = fields.String()
    by_month = fields.List(fields.Nested(DuesMonthOut))
    by_year = fields.List(fields.Nested(DuesYearOut))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class DuesTicketIn(Schema):
    subject = fields.String(required=True)
    body = fields.String(required=True)
    public = fields.Boolean(load_default=False)


class DuesAnswerIn(Schema):
    body = fields.String(required=True)


class DuesAnswerOut(Schema):
    id = fields.Integer()
    author_name = fields.String()
    body = fields.String()
    created_at = fields.DateTime()


class DuesTicketSummaryOut(Schema):
    id = fields.Integer()
    subject = fields.String()
    body = fields.String()
    author_name = fields.String()
    public = fields.Boolean()
    status = fields.String()
    created_at = fields.DateTime()


class DuesTicketOut(DuesTicketSummaryOut):
    answers = fields.List(fields.Nested(DuesAnswerOut))


class DuesTicketListOut(Schema):
    tickets = fields.List(fields.Nested(DuesTicketSummaryOut))
