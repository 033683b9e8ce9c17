"""Errors services raise, and the one JSON error shape every API answers with."""

import re

from flask import jsonify, render_template, request
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


def api_error(status, code, message, fields=None, headers=None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
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
            return api_error(400, "malformed_json", "The request body is not valid JSON.")
        fields = {}
        for location in messages.values():
            fields.update(flatten_messages(location))
        return api_error(422, "validation_failed", "Some fields are missing or invalid.", fields)
    headers = {}
    limit = getattr(error, "limit", None)  # flask-limiter's RateLimitExceeded
    if status == 429 and limit is not None:
        headers["Retry-After"] = str(limit.limit.get_expiry())
    description = error.description if isinstance(error.description, str) else HTTP_CODES.get(status, "error")
    return api_error(status, HTTP_CODES.get(status, "error"), description, headers=headers)


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
        if error.code == 400 and "CSRF" in (error.description or ""):
            message = "This form has expired or did not come from this site. Reload the page and try again."
        else:
            message = error.description
        return render_template("errors/error.html", status=error.code, message=message), error.code

    @app.errorhandler(Exception)
    def unexpected(error):
        if _schema_missing(error):
            _tell_to_migrate(app, error)
            message = "coopnet is being set up and is not ready yet. Try again in a few minutes."
            if is_api_request():
                return api_error(503, "not_migrated", message)
            return render_template("errors/error.html", status=503, message=message), 503
        app.logger.exception("unhandled error")
        if is_api_request():
            return api_error(500, "internal_error", "Something went wrong on our side.")
        return render_template("errors/error.html", status=500, message="Something went wrong on our side."), 500


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
