"""JSON shapes of the tenant API."""
from marshmallow import Schema, fields


class TenantInfoOut(Schema):
    slug = fields.String()
    name = fields.String()
    url = fields.String()
    role = fields.String(metadata={"description": "the caller's role here"})


class MemberOut(Schema):
    account_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    role = fields.String()
    joined_at = fields.String()


class MemberListOut(Schema):
    members = fields.List(fields.Nested(MemberOut))


class InvitationIn(Schema):
    email = fields.String(required=True)
    role = fields.String(load_default="member", metadata={"enum": ["admin", "member", "candidate"]})


class InvitationOut(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String()
    state = fields.String(metadata={"enum": ["pending", "accepted", "revoked", "expired"]})
    created_at = fields.String()
    expires_at = fields.String()


class InvitationListOut(Schema):
    invitations = fields.List(fields.Nested(InvitationOut))


class AcceptIn(Schema):
    token = fields.String(required=True)


class JoinedOut(Schema):
    role = fields.String()
    tenant = fields.Nested(TenantInfoOut)


class OutboxMessageOut(Schema):
    id = fields.Integer()
    to = fields.String()
    subject = fields.String()
    body = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    created_at = fields.String()
    sent_at = fields.String(allow_none=True)


class OutboxOut(Schema):
    messages = fields.List(fields.Nested(OutboxMessageOut))
