"""JSON shapes of the platform API. Required-ness and types here; rules in the services."""

from marshmallow import Schema, fields

from coopnet.platform.roles import KINDS, ROLES


class FounderIn(Schema):
    name = fields.String(required=True)
    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class SignupIn(Schema):
    name = fields.String(required=True, metadata={"example": "Quilted"})
    slug = fields.String(required=True, metadata={"example": "quilted"})
    founder = fields.Nested(FounderIn, metadata={"description": "Required unless the caller is logged in"})
    kind = fields.String(
        load_default="coop",
        metadata={
            "enum": list(KINDS),
            "description": "A worker co-op, a network (federation) or a membership organisation",
        },
    )


class TenantOut(Schema):
    slug = fields.String()
    name = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    url = fields.String()


class AccountOut(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()


class SignupOut(Schema):
    tenant = fields.Nested(TenantOut)
    account = fields.Nested(AccountOut)


class SignupRequestedOut(Schema):
    message = fields.String(metadata={"example": "Check your email: we sent a link to finish signing up."})


class SignupConfirmIn(Schema):
    token = fields.String(required=True, metadata={"description": "The token in the link mailed to the founder"})


class LoginIn(Schema):
    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class SessionOut(Schema):
    account = fields.Nested(AccountOut)


class MembershipOut(Schema):
    tenant = fields.Nested(TenantOut)
    role = fields.String(metadata={"enum": list(ROLES)})


class MeOut(Schema):
    account = fields.Nested(AccountOut)
    memberships = fields.List(fields.Nested(MembershipOut))


class TokenIn(Schema):
    name = fields.String(required=True, metadata={"example": "bookkeeping script"})
    expires_in_days = fields.Integer(
        allow_none=True, load_default=None, metadata={"description": "1 to 366; none: the token never expires"}
    )
    read_only = fields.Boolean(load_default=False, metadata={"description": "Refuse every write with this token"})
    tenant = fields.String(
        allow_none=True, load_default=None, metadata={"description": "Slug of one of your co-ops: only its API"}
    )


class TokenOut(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked = fields.Function(lambda token: token.revoked_at is not None, metadata={"type": "boolean"})
    expires_at = fields.DateTime(allow_none=True)
    read_only = fields.Boolean()
    tenant = fields.Function(
        lambda token: token.tenant.slug if token.tenant else None, metadata={"type": "string", "nullable": True}
    )


class NewTokenOut(Schema):
    token = fields.Nested(TokenOut)
    secret = fields.String(metadata={"description": "Shown once; send as `Authorization: Bearer <secret>`"})


class TokenListOut(Schema):
    tokens = fields.List(fields.Nested(TokenOut))
