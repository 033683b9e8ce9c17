"""JSON shapes of the platform API. Required-ness and types here; rules in the services."""

from marshmallow import Schema, fields

from coopnet.platform.roles import KINDS, ROLES
from coopnet.platform.sessions import current_session_id


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
    email_verified = fields.Boolean()
    two_factor_enabled = fields.Boolean()


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
    code = fields.String(
        load_default=None,
        load_only=True,
        metadata={"description": "With two-factor on: 6 digits from the app, or a recovery code"},
    )


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


class EmailIn(Schema):
    email = fields.String(required=True, metadata={"example": "erik@quilted.example"})


class MessageOut(Schema):
    message = fields.String()


class LinkTokenIn(Schema):
    token = fields.String(required=True, metadata={"description": "The token in the mailed link"})


class PasswordResetIn(Schema):
    token = fields.String(required=True, metadata={"description": "The token in the mailed link"})
    password = fields.String(required=True, load_only=True)


class SignInLinkIn(Schema):
    token = fields.String(required=True, metadata={"description": "The token in the mailed link"})
    code = fields.String(
        load_default=None, load_only=True, metadata={"description": "With two-factor on: a code from the app"}
    )


class EmailChangeIn(Schema):
    email = fields.String(required=True, metadata={"description": "The new address; a link is mailed there"})
    password = fields.String(required=True, load_only=True)


class PasswordChangeIn(Schema):
    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True)


class PasswordIn(Schema):
    password = fields.String(required=True, load_only=True)


class SessionRecordOut(Schema):
    id = fields.Integer()
    started_at = fields.DateTime()
    seen_at = fields.DateTime(metadata={"description": "Last request, to within five minutes"})
    user_agent = fields.String()
    address = fields.String()
    current = fields.Function(
        lambda record: record.session_id == current_session_id(),
        metadata={"type": "boolean", "description": "The session making this request"},
    )


class SessionListOut(Schema):
    sessions = fields.List(fields.Nested(SessionRecordOut))


class TwoFactorOut(Schema):
    enabled = fields.Boolean()
    recovery_codes_left = fields.Integer()
    required_by = fields.List(fields.String(), metadata={"description": "Your co-ops that require it"})


class TwoFactorSetupOut(Schema):
    secret = fields.String(metadata={"description": "Type into the authenticator app, or scan the URI"})
    uri = fields.String(metadata={"description": "otpauth:// URI for a QR code"})


class TwoFactorConfirmIn(Schema):
    code = fields.String(required=True, metadata={"description": "6 digits from the authenticator app"})
    password = fields.String(required=True, load_only=True, metadata={"description": "Your current password"})


class RecoveryCodesOut(Schema):
    recovery_codes = fields.List(fields.String(), metadata={"description": "Each works once; shown only now"})


class CoopSecurityIn(Schema):
    require_two_factor = fields.Boolean(required=True)


class CoopSecurityOut(Schema):
    require_two_factor = fields.Boolean()
