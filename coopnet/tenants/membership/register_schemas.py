"""JSON shapes of the register: policy, people and their probation, officers, statements, rota."""

from marshmallow import Schema, fields

from coopnet.tenants.membership.lifecycle import CLASSES, EXIT_STATUSES, STATUSES

MONEY = {"type": "string", "example": "5000.00", "description": "a decimal amount in the co-op's currency"}


class Money(fields.Decimal):
    """Amounts travel as decimal strings ("1234.50"), never floats."""

    def __init__(self, metadata=None, **kwargs):
        super().__init__(places=2, as_string=True, metadata={**MONEY, **(metadata or {})}, **kwargs)


class PolicyIn(Schema):
    probation_months = fields.Raw(load_default=None, metadata={"type": "integer", "nullable": True})
    probation_hours = fields.Raw(load_default=None, metadata={"type": "string", "nullable": True, "example": "520"})
    require = fields.String(load_default="both", metadata={"enum": ["both", "either"]})
    buy_in = fields.Raw(load_default="0.00", metadata=MONEY)
    buy_in_instalments = fields.Raw(load_default=1, metadata={"type": "integer"})
    entrance_fee = fields.Raw(load_default="0.00", metadata=MONEY)
    currency = fields.String(load_default="USD")


class PolicyOut(Schema):
    probation_months = fields.Integer(allow_none=True)
    probation_hours = fields.Decimal(as_string=True, allow_none=True)
    require = fields.String()
    buy_in = Money()
    buy_in_instalments = fields.Integer()
    instalment = Money()
    entrance_fee = Money()
    currency = fields.String()


class PersonIn(Schema):
    email = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    since = fields.String(required=True, metadata={"format": "date"})
    member_class = fields.String(data_key="class", load_default="member", metadata={"enum": list(CLASSES)})


class ProbationOut(Schema):
    months_served = fields.Integer()
    months_required = fields.Integer(allow_none=True)
    hours_served = fields.Decimal(as_string=True)
    hours_required = fields.Decimal(as_string=True, allow_none=True)
    buy_in_paid = Money()
    buy_in_due = Money()
    met = fields.Boolean()
    admission_proposal = fields.Integer(allow_none=True)


class ChangeOut(Schema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    effective_on = fields.Date()
    changed_by = fields.Integer(allow_none=True)
    proposal_id = fields.Integer(allow_none=True)
    reason = fields.String()
    recorded_at = fields.DateTime()


class SettlementOut(Schema):
    status = fields.String(metadata={"enum": list(EXIT_STATUSES)})
    exited_on = fields.Date()
    proposal_id = fields.Integer(allow_none=True, metadata={"description": "the proposal that decided it"})
    reason = fields.String()
    owed_at_exit = Money(metadata={"description": "buy-in the co-op owed back on the day they left"})
    still_owed = Money()


class EntranceFeeOut(Schema):
    owed = Money(metadata={**MONEY, "description": "the entrance fee this person owes"})
    deferred = fields.Boolean(metadata={"description": "owed, and paid later"})


class EntranceFeeIn(Schema):
    deferred = fields.Boolean(required=True)


class PersonOut(Schema):
    account_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    status = fields.String(metadata={"enum": list(STATUSES)})
    member_class = fields.String(data_key="class", metadata={"enum": list(CLASSES)})
    since = fields.Date()
    probation = fields.Nested(ProbationOut)
    history = fields.List(fields.Nested(ChangeOut))
    exit = fields.Nested(SettlementOut, allow_none=True, metadata={"description": "null until they leave"})
    entrance_fee = fields.Nested(EntranceFeeOut)


class RegisterEntryOut(Schema):
    account_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    status = fields.String(metadata={"enum": list(STATUSES)})
    member_class = fields.String(data_key="class", metadata={"enum": list(CLASSES)})
    since = fields.Date()
    probation = fields.Nested(ProbationOut)


class RegisterOut(Schema):
    people = fields.List(fields.Nested(RegisterEntryOut))


class ExitIn(Schema):
    status = fields.String(required=True, metadata={"enum": list(EXIT_STATUSES)})
    reason = fields.String(required=True)


class ExitOut(Schema):
    id = fields.Integer()
    account_id = fields.Integer()
    status = fields.String(attribute="to_status", metadata={"enum": list(EXIT_STATUSES)})
    reason = fields.String()
    proposal_id = fields.Integer(allow_none=True)
    state = fields.String(metadata={"enum": ["proposed", "done", "not_agreed"]})
    exited_on = fields.Date(allow_none=True)
    owed = Money(allow_none=True)


class RefundIn(Schema):
    amount = fields.Raw(
        load_default=None, allow_none=True, metadata={**MONEY, "description": "all that is owed if left out"}
    )
    paid_on = fields.String(load_default=None, allow_none=True, metadata={"format": "date"})


class StatusIn(Schema):
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    on = fields.String(load_default=None, allow_none=True, metadata={"format": "date"})
    reason = fields.String(load_default="")


class HoursIn(Schema):
    worked_on = fields.String(required=True, metadata={"format": "date"})
    hours = fields.Raw(required=True, metadata={"type": "string", "example": "130.5"})


class HoursOut(Schema):
    id = fields.Integer()
    account_id = fields.Integer()
    worked_on = fields.Date()
    hours = fields.Decimal(as_string=True)


class HoursListOut(Schema):
    hours = fields.List(fields.Nested(HoursOut))


class PaymentIn(Schema):
    amount = fields.Raw(required=True, metadata=MONEY)
    paid_on = fields.String(required=True, metadata={"format": "date"})
    note = fields.String(load_default="")


class PaymentOut(Schema):
    id = fields.Integer(allow_none=True, metadata={"description": "null: a refund wholly of retained capital"})
    account_id = fields.Integer()
    amount = Money(
        metadata={"description": "negative: refunded at exit (buy-in first, then retained capital as a redemption)"}
    )
    paid_on = fields.Date()
    note = fields.String()


class PaymentListOut(Schema):
    payments = fields.List(fields.Nested(PaymentOut))


class ImportIn(Schema):
    csv = fields.String(required=True, metadata={"description": "columns: email, name, status, since, class"})
    preview = fields.Boolean(load_default=False)


class ImportOut(Schema):
    rows = fields.Integer()
    imported = fields.Integer()
    problems = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": "line to reason"})


class TermIn(Schema):
    role = fields.String(required=True, metadata={"example": "bookkeeper"})
    account_id = fields.Integer(required=True)
    starts_on = fields.String(required=True, metadata={"format": "date"})
    ends_on = fields.String(load_default=None, allow_none=True, metadata={"format": "date"})


class TermOut(Schema):
    id = fields.Integer()
    role = fields.String()
    account_id = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)


class EndTermIn(Schema):
    ends_on = fields.String(required=True, metadata={"format": "date"})


class TermListOut(Schema):
    current = fields.List(fields.Nested(TermOut))
    terms = fields.List(fields.Nested(TermOut))


class StatementIn(Schema):
    subject_id = fields.Integer(required=True)
    kind = fields.String(
        required=True, metadata={"enum": ["missed deadline", "unfulfilled commitment", "costly error", "other"]}
    )
    body = fields.String(required=True)


class ResponseIn(Schema):
    response = fields.String(required=True)


class StatementOut(Schema):
    id = fields.Integer()
    subject_id = fields.Integer()
    author_id = fields.Integer()
    kind = fields.String()
    body = fields.String()
    filed_at = fields.DateTime()
    response = fields.String(allow_none=True)
    responded_at = fields.DateTime(allow_none=True)


class StatementListOut(Schema):
    statements = fields.List(fields.Nested(StatementOut))


class RotaIn(Schema):
    participants = fields.List(fields.Integer(), required=True)
    starts_at = fields.AwareDateTime(required=True)
    days = fields.Integer(required=True)
    shift_hours = fields.Integer(load_default=24)


class ShiftOut(Schema):
    id = fields.Integer()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    account_id = fields.Integer()
    swapped_from = fields.Integer(allow_none=True)


class RotaOut(Schema):
    shifts = fields.List(fields.Nested(ShiftOut))


class SwapIn(Schema):
    with_shift_id = fields.Integer(required=True)


class SwapRequestOut(Schema):
    id = fields.Integer()
    shift_id = fields.Integer(metadata={"description": "the asker's shift"})
    with_shift_id = fields.Integer(metadata={"description": "the shift the asker would take"})
    asked_by = fields.Integer()
    asked_of = fields.Integer()
    state = fields.String(metadata={"enum": ["asked", "accepted", "declined", "withdrawn", "lapsed"]})
    asked_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class SwapRequestListOut(Schema):
    swap_requests = fields.List(fields.Nested(SwapRequestOut))
