"""Input refused at the door: NUL (PostgreSQL text cannot store it), bodies too
large to read, JSON nested too deeply to parse."""

import json

from flask import abort, current_app, request
from flask_babel import gettext as _

from coopnet.errors import ServiceError, ValidationFailed

NUL = "\x00"
# PostgreSQL's bigint, the widest whole number any column holds: no JSON integer beyond it
# gets past the door (an id or count out of range would fail only at the database).
BIGGEST = 2**63 - 1
# Deeper than any body the API takes; far below where Python's parser recurses out.
MAX_JSON_DEPTH = 64


def refuse_nul_in_path(endpoint, values):
    """url_value_preprocessor (runs before the tenant is looked up): no URL holds a NUL."""
    if NUL in request.path:
        abort(404, _("There is nothing at this address."))


def limit_json_body():
    """before_request: a JSON body larger than MAX_JSON_LENGTH is a 413 before any of it is read."""
    if not request.is_json:
        return
    limit = current_app.config["MAX_JSON_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        abort(413, _("A JSON body may be at most %(size)s KB.", size=limit // 1024))
    request.max_content_length = limit  # a body sent without a length stops there too


def _first_bad(value, path="", depth=0):
    """(field, why) of the first value no field may take: a NUL in text, or a whole
    number beyond bigint; None when there is none."""
    if depth > MAX_JSON_DEPTH:
        abort(400, _("The JSON body is nested more than %(depth)s levels deep.", depth=MAX_JSON_DEPTH))
    if isinstance(value, str):
        return (path or "_body", "nul") if NUL in value else None
    if isinstance(value, int) and not isinstance(value, bool):
        return (path or "_body", "range") if abs(value) > BIGGEST else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return name, "nul"
            if (found := _first_bad(item, name, depth + 1)) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _first_bad(item, f"{path}.{index}" if path else str(index), depth + 1)) is not None:
                return found
    return None


class MalformedJson(ServiceError):
    status, code = 400, "malformed_json"


def refuse_nul_bytes():
    """before_request: a NUL in the query string, a form or a JSON body, or a JSON whole
    number beyond bigint, is a 422 naming the field."""
    fields = [
        key
        for multi in (request.args, request.form)
        for key, value in multi.items(multi=True)
        if NUL in key or NUL in value
    ]
    if not fields and request.is_json:
        data = request.get_data(cache=True)
        try:
            body = json.loads(data) if data else None
        except RecursionError:
            abort(400, _("The JSON body is nested more than %(depth)s levels deep.", depth=MAX_JSON_DEPTH))
        except ValueError:
            # Not JSON, or a number of more than 4,300 digits (Python refuses to parse it):
            # the same answer either way, before any parser further on fails harder.
            raise MalformedJson(_("The request body is not valid JSON.")) from None
        found = _first_bad(body)
        if found is not None and found[1] == "range":
            raise ValidationFailed(_("A number is too large."), {found[0]: _("At most %(most)s.", most=f"{BIGGEST:,}")})
        fields = [found[0]] if found is not None else []
    if fields:
        raise ValidationFailed(
            _("Text may not contain NUL characters."), {fields[0]: _("This may not contain NUL characters.")}
        )
