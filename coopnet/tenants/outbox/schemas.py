"""JSON shape of outbox mail."""

from marshmallow import Schema, fields


class OutboxMessageOut(Schema):
    id = fields.Integer()
    to = fields.String(attribute="to_address")
    subject = fields.String()
    body = fields.String()
    status = fields.String(metadata={"enum": ["queued", "sent", "held", "failed"]})
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


class OutboxOut(Schema):
    messages = fields.List(fields.Nested(OutboxMessageOut))
