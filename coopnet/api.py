"""The JSON API: one OpenAPI document (flask-smorest) and the JSON request rules."""

from flask import request
from flask_babel import gettext as _
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from werkzeug.routing import IntegerConverter

from coopnet.errors import api_error


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"example": "validation_failed"})
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": "field name to reason"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


class RowIdConverter(IntegerConverter):
    """`<id:...>`: a row id that fits PostgreSQL's bigint; anything else is a 404, not a 500."""

    def __init__(self, map, **kwargs):
        super().__init__(map, min=1, max=2**63 - 1)


class Api(SmorestApi):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """coopnet.errors answers every error in one shape; smorest's handler is not used."""


def api_blueprint(name, import_name, url_prefix, description):
    blueprint = Blueprint(name, import_name, url_prefix=url_prefix, description=description)
    blueprint.before_request(require_json_body)
    return blueprint


def require_json_body():
    """Writes must be JSON. Browsers cannot send JSON cross-site without CORS,
    which is why the API needs no CSRF token on cookie sessions."""
    writes = request.method in ("POST", "PUT", "PATCH") and (request.content_length or request.data)
    if writes and not request.is_json:
        return api_error(415, "unsupported_media_type", _("Send the request body as application/json."))
    return None


# Error responses the API documents on its operations.
STANDARD_ERRORS = (400, 401, 403, 404, 409, 415, 422, 429)


def document_errors(blueprint, *statuses):
    def decorate(view):
        for status in statuses or STANDARD_ERRORS:
            view = blueprint.alt_response(status, schema=ErrorSchema, description="Error")(view)
        return view

    return decorate
