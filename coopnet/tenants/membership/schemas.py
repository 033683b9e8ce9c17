"""JSON shapes of members and invitations."""

from marshmallow import Schema, fields

from coopnet.platform.roles import ROLES
from coopnet.tenants.home.schemas import TenantInfoOut


class MemberOut(Schema):
    account_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    role = fields.String(metadata={"enum": list(ROLES)})
    joined_at = fields.DateTime()


class MemberListOut(Schema):
    members = fields.List(fields.Nested(MemberOut))


class InvitationIn(Schema):
    email = fields.String(required=True)
    role = fields.String(load_default="member", metadata={"enum": list(ROLES)})


class InvitationOut(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String(metadata={"enum": list(ROLES)})
    state = fields.String(metadata={"enum": ["pending", "accepted", "revoked", "expired"]})
    created_at = fields.DateTime()
    expires_at = fields.DateTime()


class InvitationListOut(Schema):
    invitations = fields.List(fields.Nested(InvitationOut))


class AcceptIn(Schema):
    token = fields.String(required=True)


class JoinedOut(Schema):
    role = fields.String()
    tenant = fields.Nested(TenantInfoOut)
