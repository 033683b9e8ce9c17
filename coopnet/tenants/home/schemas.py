"""JSON shapes of the tenant's home."""

from marshmallow import Schema, fields

from coopnet.platform.roles import KINDS, ROLES


class TenantInfoOut(Schema):
    slug = fields.String()
    name = fields.String()
    kind = fields.String(metadata={"enum": list(KINDS)})
    url = fields.String()
    role = fields.String(metadata={"description": "the caller's role here", "enum": list(ROLES)})
