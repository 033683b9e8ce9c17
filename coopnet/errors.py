"""Errors services raise, and the one JSON error shape every API answers with."""

import re

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException


class ServiceError(Exception):
    """A rule said no. ``fields`` maps a field name to the reason."""

    status = 422
    code = "invalid"

    def __init__(self, message, fields=None, code=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class ValidationFailed(ServiceError):
    status, code = 422, "validation_failed"


class Conflict(ServiceError):
    status, code = 409, "conflict"


class NotFound(ServiceError):
    status, code = 404, "not_found"


class Forbidden(ServiceError):
    status, code = 403, "forbidden"


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


# What a person reads for an HTTP error that carries no message of its own (werkzeug's
# defaults are English prose about "the server").
STATUS_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Log in or send an API token."),
    403: _l("You are not allowed to do this."),
    404: _l("There is nothing at this address."),
    405: _l("This address does not accept that method."),
    409: _l("That conflicts with the current state; reload and try again."),
    413: _l("The request is too large."),
    415: _l("Send the request body as application/json."),
    422: _l("Some fields are missing or invalid."),
    429: _l("Too many requests. Wait a while and try again."),
    500: _l("Something went wrong on our side."),
    503: _l("The service is not available right now. Try again in a few minutes."),
}

# marshmallow's own messages for fields of the JSON API, so they reach a person in their language.
SCHEMA_MESSAGES = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Unknown field.": _l("Unknown field."),
    "Field may not be null.": _l("Field may not be null."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Not a valid number.": _l("Not a valid number."),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid datetime.": _l("Not a valid datetime."),
    "Not a valid email address.": _l("Not a valid email address."),
    "Not a valid list.": _l("Not a valid list."),
    "Not a valid mapping type.": _l("Not a valid mapping type."),
    "Invalid input type.": _l("Invalid input type."),
    "Invalid value.": _l("Invalid value."),
    "Not a valid UUID.": _l("Not a valid UUID."),
    "Not a valid URL.": _l("Not a valid URL."),
}


def api_error(status, code, message, fields=None, headers=None):
    fields = {name: str(SCHEMA_MESSAGES.get(text, text)) for name, text in (fields or {}).items()}
    body = {"error": {"code": code, "message": str(message), "fields": fields}}
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def is_api_request():
    path = request.path
    return path.startswith("/api/") or "/api/v1" in path


def flatten_messages(messages, prefix=""):
    """webargs/marshmallow messages ({"founder": {"email": ["..."]}}) to {"founder.email": "..."}."""
    flat = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                flat.update(flatten_messages(value, name))
            else:
                flat[name] = value[0] if isinstance(value, list) and value else str(value)
    elif messages:
        flat[prefix or "_schema"] = messages[0] if isinstance(messages, list) else str(messages)
    return flat


def http_exception_response(error):
    status = error.code or 500
    if status == 422 or (status == 400 and getattr(error, "data", None)):
        messages = (getattr(error, "data", None) or {}).get("messages") or {}
        if "json" in messages and messages["json"] == ["Invalid JSON body."]:
            return api_error(400, "malformed_json", _("The request body is not valid JSON."))
        fields = {}
        for location in messages.values():
            fields.update(flatten_messages(location))
        return api_error(422, "validation_failed", _("Some fields are missing or invalid."), fields)
    headers = {}
    limit = getattr(error, "limit", None)  # flask-limiter's RateLimitExceeded
    if status == 429 and limit is not None:
        headers["Retry-After"] = str(limit.limit.get_expiry())
    return api_error(status, HTTP_CODES.get(status, "error"), describe(error), headers=headers)


def describe(error):
    """An HTTP error's message for a person: its own, or ours for its status."""
    description = error.description
    if not isinstance(description, str) or description == type(error).description:
        return str(STATUS_MESSAGES.get(error.code or 500, STATUS_MESSAGES[400]))
    return description


def register_error_handlers(app):
    @app.errorhandler(ServiceError)
    def service_error(error):
        if is_api_request():
            return api_error(error.status, error.code, error.message, error.fields)
        return render_template("errors/error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(HTTPException)
    def http_error(error):
        if is_api_request():
            return http_exception_response(error)
        if error.code in (404, 405):
            _load_the_person()
        if error.code == 400 and "CSRF" in (error.description or ""):
            message = _("This form has expired or did not come from this site. Reload the page and try again.")
        else:
            message = describe(error)
        return render_template("errors/error.html", status=error.code, message=message), error.code

    @app.errorhandler(DataError)
    def out_of_range(error):
        """A value the database cannot hold (a date beyond its calendar, a number beyond its
        columns) that no check caught: nothing is written, and the person is told, not 500."""
        from coopnet.extensions import db

        db.session.rollback()
        app.logger.warning("value refused by the database: %s", error.orig)
        message = _("A value is out of the range this site can keep.")
        if is_api_request():
            return api_error(422, "out_of_range", message)
        return render_template("errors/error.html", status=422, message=message), 422

    @app.errorhandler(Exception)
    def unexpected(error):
        if _schema_missing(error):
            _tell_to_migrate(app, error)
            message = _("coopnet is being set up and is not ready yet. Try again in a few minutes.")
            if is_api_request():
                return api_error(503, "not_migrated", message)
            return render_template("errors/error.html", status=503, message=message), 503
        app.logger.exception("unhandled error")
        message = _("Something went wrong on our side.")
        if is_api_request():
            return api_error(500, "internal_error", message)
        return render_template("errors/error.html", status=500, message=message), 500


def _load_the_person():
    """A page that does not exist never ran a view, so nothing loaded the person yet and
    the page would speak the browser's language: load them (their language is on the
    account) and choose the language again. Only for 404 and 405, which the loader
    itself never raises."""
    from flask_babel import refresh
    from flask_login import current_user

    try:
        current_user._get_current_object()
    except Exception:  # the error page is then in the browser's language
        return
    refresh()


_told_to_migrate = False


def _schema_missing(error):
    """A shared table or column is missing: the database was never migrated, or the
    code was deployed ahead of `coopnet db upgrade`. A tenant schema's missing table
    is a real error (its migration failed) and stays a logged 500."""
    from psycopg import errors as pg_errors
    from sqlalchemy.exc import ProgrammingError

    if not isinstance(error, ProgrammingError):
        return False
    if not isinstance(error.orig, (pg_errors.UndefinedTable, pg_errors.UndefinedColumn)):
        return False
    return re.search(r'(?<![\w"])"?t_[a-z0-9_]+"?\.', error.statement or "") is None


def _tell_to_migrate(app, error):
    """One clear line per process, not one per request."""
    global _told_to_migrate
    if not _told_to_migrate:
        _told_to_migrate = True
        app.logger.error("the database is not migrated: run `coopnet db upgrade` (%s)", str(error.orig).splitlines()[0])
